package io.edgepush.agent.trigger;

import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Motion found from the coded video alone, for a camera that sends no motion EVENT (issue 11): a moving object
 * makes the encoder spend more bytes on the predicted (P) pictures than the static scene did, so motion is
 * flagged when P-picture sizes rise well above their rolling level. No pixel is decoded. Source: own design;
 * compressed-domain motion from frame sizes.
 *
 * <p>Input, once per access unit in decoding order: its decode time, the bytes of its coded SLICE NAL units only
 * ({@link #sliceBytes(AccessUnit)}: H.264 nal_unit_type 1..5, H.265 0..31; no parameter sets, SEI, AUD or filler,
 * because a CBR encoder pads every picture with filler data up to the rate, which would hide the rise), and
 * whether it is a keyframe and a reference picture. Only reference non-key pictures (P) are measured:
 * <ul>
 *   <li>Keyframes (IDR/IRAP) neither feed the level nor flag motion; their sizes are kept to see bitrate steps.</li>
 *   <li>Non-reference pictures (B, or a camera's non-reference P of temporal scalability) are ignored: they are
 *       small and cheap whatever the scene, and the P pictures around them carry the change.</li>
 *   <li>A P picture's size is normalised by time: its rate is {@code sliceBytes / (dtsMs - dts of the previous
 *       reference or key picture)}, bytes per millisecond (the spacing clamped to 1..1000 ms; the first P picture
 *       after a start only sets the time the next is measured from). A P picture after
 *       two B pictures predicts across three frame spacings and is divided by them; when the frame rate changes,
 *       bytes per ms stay where they were at the same bitrate.</li>
 * </ul>
 *
 * <p>The statistic, at every P picture:
 * <ul>
 *   <li>short level = the time-weighted mean rate of the P pictures of the last {@value #SHORT_WINDOW_MS} ms (sum
 *       of bytes / sum of spacings): long enough to average the noise of single pictures (a few P pictures even
 *       with B-frames), short enough to answer within about half a second;</li>
 *   <li>baseline = the median of the short levels sampled at every P picture of the last
 *       {@value #BASELINE_WINDOW_MS} ms (at most {@value #BASELINE_CAPACITY} samples): a slow, robust level that
 *       covers ten GOPs of a 1 s GOP (so the rise and fall of P sizes within a GOP under CBR averages out) and that
 *       does not follow the motion: the window's time stands still during a motion (a long motion does not age the
 *       pre-motion samples out), and once learnt, no sample is taken while in motion or while the score is at or
 *       above {@value #START_RATIO} (a motion that is starting), and a median ignores a minority of odd samples. A slow
 *       change (light fading over 10 s or more) is followed: the median lags it by about 5 s, so the score stays
 *       near {@code level(t) / level(t - 5 s)}; a rise that doubles the P sizes within about 5 s or less is motion.</li>
 *   <li>score = short level / max(baseline, floor), where floor = max({@value #MIN_FLOOR_BYTES_PER_MS} bytes/ms,
 *       {@value #FLOOR_KEYFRAME_SHARE} x the keyframe level in bytes per 1000 ms): P pictures of a static scene may
 *       be near-empty (slice headers and skipped macroblocks, tens of bytes), where a few bytes more would double
 *       the rate; below the floor, a P stream of less than a tenth of one keyframe per second is treated as an
 *       empty scene, so the floor follows the picture size and bitrate the keyframes show (at 640x360, keyframes
 *       of 12 kB give a floor of 1.2 bytes/ms = 48 bytes per 40 ms picture).</li>
 * </ul>
 *
 * <p>Decision, with hysteresis:
 * <ul>
 *   <li>MOTION_STARTED when the score is at or above {@value #START_RATIO} on every P picture for at least
 *       {@value #START_HOLD_MS} ms of decode time (at least two P pictures), once the baseline holds at least
 *       {@value #LEARN_MS} ms of samples (after construction, {@link #reset()} or a re-learn nothing starts before).
 *       A 3x rise is flagged about 0.5 s after it begins (the short level passes 2x half way through its window,
 *       plus the hold).</li>
 *   <li>{@link #motionStartDtsMs()}, the onset for a pre-roll: going back from the picture that flagged, the
 *       earliest P picture of the run whose own rate is at least {@value #ONSET_RATIO} x the baseline (one lower
 *       picture inside the run is allowed; the run ends at two in a row).</li>
 *   <li>MOTION_ENDED when the score stays below {@value #END_RATIO} on every P picture for
 *       {@value #END_HOLD_MS} ms (a person who stops for a moment does not end it). A motion longer than
 *       {@value #MAX_MOTION_MS} ms is taken as the scene's new normal (rain, a screen, wind in trees): it ends and
 *       the baseline is learnt afresh.</li>
 * </ul>
 *
 * <p>Bitrate steps of the adaptive bitrate controller (10-50% up or down at a GOP boundary): every keyframe's
 * slice bytes are compared with the keyframe level (the mean of the last {@value #KEYFRAME_HISTORY} keyframes). The
 * encoder's rate control scales keyframes with the bitrate as it scales P pictures, so when two keyframes in a row
 * differ from the level by a factor {@value #KEYFRAME_STEP_RATIO} or more in the same direction, and no motion is
 * flagged, the baseline and the short window are scaled by their mean factor and the keyframe level starts again
 * from the second (one odd keyframe, a flash or a moving object in it, is left out of the level and rescales
 * nothing; the step is taken in one GOP late, while the P pictures move by less than {@value #START_RATIO}). After
 * {@link #encoderChanged()} the next keyframe rescales by its factor whatever its size (also during a motion), and
 * no motion starts until {@value #GRACE_MS} ms after that keyframe (or {@value #PENDING_MAX_MS} ms after the
 * call if no keyframe comes). A factor outside 1/{@value #KEYFRAME_RELEARN_RATIO}..{@value #KEYFRAME_RELEARN_RATIO}
 * (a new picture size the caller did not report) forgets the baseline and learns it again. So an ABR step up of
 * 30-50%, with or without the hint, does not flag motion; nor does a step down; smaller steps (below
 * {@value #KEYFRAME_STEP_RATIO}) stay well under {@value #START_RATIO} and the median takes them in within about
 * 5 s. Known limits: a camera that changes bitrate in the middle of a GOP, by 2x or more at once, without the hint,
 * flags once, and the motion then ends when the baseline has re-learnt (at most {@value #MAX_MOTION_MS} ms); a
 * scene change that moves every keyframe by 25% or more (lights switched on) rescales the baseline, which the
 * median then re-learns within about 5 s.
 *
 * <p>Time: a decode time that goes back, or a gap of more than {@value #GAP_RELEARN_MS} ms, means the camera
 * restarted or the stream was cut: the baseline is forgotten (MOTION_ENDED if in motion). Call {@link #reset()}
 * when the picture size or frame rate changes (new SPS/PPS).
 *
 * <p>Cost: per access unit a few arithmetic operations over primitive ring buffers (at most
 * {@value #SHORT_CAPACITY} short-window entries, a median of at most {@value #BASELINE_CAPACITY} samples by
 * quickselect); nothing is allocated and nothing is logged. Not thread-safe: one camera's I/O thread calls it. The
 * rolling statistics live in package-private helpers: {@code ShortWindow} (short level, onset), {@code
 * MedianBaseline} (baseline) and {@code KeyframeLevel} (keyframe level, pending step); the decision is here.
 */
public final class BitstreamMotionDetector {
    /** What one access unit changed. */
    public enum Change {
        /** Nothing changed. */
        NONE,
        /** Motion began; {@link #motionStartDtsMs()} says where. */
        MOTION_STARTED,
        /** The motion ended (also when the baseline is forgotten during a motion). */
        MOTION_ENDED
    }

    /** Short window: the P pictures of the last 500 ms form the short level. */
    static final long SHORT_WINDOW_MS = 500;
    /** Baseline window: ten 1 s GOPs of short-level samples. */
    static final long BASELINE_WINDOW_MS = 10_000;
    /** Baseline ring size: 10 s of P pictures at up to 50 fps; at higher rates the window is shorter. */
    static final int BASELINE_CAPACITY = 512;
    /** Short ring size (power of two): the short window plus the onset look-back, 5 s at 25 fps. */
    static final int SHORT_CAPACITY = 128;
    /** Score at or above which a P picture counts towards a start (and is kept out of the baseline). */
    static final double START_RATIO = 2.0;
    /** How long the score must stay at or above {@link #START_RATIO} to start: a few pictures, not one. */
    static final long START_HOLD_MS = 200;
    /** Score below which a P picture counts towards an end (hysteresis against {@link #START_RATIO}). */
    static final double END_RATIO = 1.3;
    /** How long the score must stay below {@link #END_RATIO} to end. */
    static final long END_HOLD_MS = 2000;
    /** A P picture at this multiple of the baseline belongs to the motion's onset. */
    static final double ONSET_RATIO = 1.5;
    /** Samples of baseline needed before a motion may start. */
    static final long LEARN_MS = 2000;
    /** Lowest baseline used in the score, bytes per ms (4 kbit/s). */
    static final double MIN_FLOOR_BYTES_PER_MS = 0.5;
    /** Lowest baseline used in the score as a share of the keyframe level per second. */
    static final double FLOOR_KEYFRAME_SHARE = 0.1;
    /** Keyframes in the keyframe level. */
    static final int KEYFRAME_HISTORY = 4;
    /** A keyframe this many times larger or smaller than the level is a bitrate step. */
    static final double KEYFRAME_STEP_RATIO = 1.25;
    /** A keyframe this many times larger or smaller than the level is a new picture: learn afresh. */
    static final double KEYFRAME_RELEARN_RATIO = 4.0;
    /** After {@link #encoderChanged()}: no start until this long after the next keyframe. */
    static final long GRACE_MS = 2000;
    /** After {@link #encoderChanged()} without a keyframe: the hint lapses after this long. */
    static final long PENDING_MAX_MS = 5000;
    /** A motion this long is the scene's new normal. */
    static final long MAX_MOTION_MS = 60_000;
    /** A gap in decode time longer than this forgets the baseline. */
    static final long GAP_RELEARN_MS = 5000;

    private static final long NONE_MS = Long.MIN_VALUE;

    private final ShortWindow shortWindow = new ShortWindow();
    private final MedianBaseline baseline = new MedianBaseline();
    private final KeyframeLevel keyframes = new KeyframeLevel();

    private long lastDtsMs = NONE_MS;
    private long lastReferenceDtsMs = NONE_MS;
    private double score;
    private boolean inMotion;
    private long motionStartDtsMs = NONE_MS;
    private long motionFlaggedDtsMs = NONE_MS;
    private long runStartDtsMs = NONE_MS;
    private int runPictures;
    private long belowSinceDtsMs = NONE_MS;
    private boolean encoderChangePending;
    private long pendingSinceDtsMs = NONE_MS;
    private long graceUntilDtsMs = NONE_MS;

    /** A detector with the thresholds documented on the class. */
    public BitstreamMotionDetector() {
    }

    /**
     * The coded slice bytes of an access unit: the sum of its VCL NAL unit sizes (H.264 nal_unit_type 1..5,
     * H.265 0..31), without parameter sets, SEI, access unit delimiters or filler data. Allocates nothing.
     *
     * @param au borrowed, not released; must not be released yet
     */
    public static int sliceBytes(AccessUnit au) {
        List<ByteBuf> nalUnits = au.nalUnits();
        boolean hevc = au.codec() == VideoCodec.H265;
        int bytes = 0;
        for (int i = 0; i < nalUnits.size(); i++) {
            ByteBuf nal = nalUnits.get(i);
            if (hevc ? HevcNalUnitType.isVcl(HevcNalUnitType.of(nal)) : NalUnitType.isVcl(NalUnitType.of(nal))) {
                bytes += nal.readableBytes();
            }
        }
        return bytes;
    }

    /**
     * {@link #onAccessUnit(long, int, boolean, boolean)} with the access unit's decode time, {@link #sliceBytes},
     * keyframe and reference flags.
     *
     * @param au borrowed, not released; must not be released yet
     */
    public Change onAccessUnit(AccessUnit au) {
        return onAccessUnit(au.dtsMs(), sliceBytes(au), au.keyframe(), au.reference());
    }

    /**
     * Takes the next access unit in decoding order.
     *
     * @param dtsMs its decode time, milliseconds on the camera's clock
     * @param sliceBytes the bytes of its coded slice NAL units only ({@link #sliceBytes(AccessUnit)}): no filler
     * @param keyframe an IDR (H.264) or IRAP (H.265) picture
     * @param reference other pictures may predict from it (a keyframe is one)
     * @return what changed with this access unit
     */
    public Change onAccessUnit(long dtsMs, int sliceBytes, boolean keyframe, boolean reference) {
        Change change = Change.NONE;
        if (lastDtsMs != NONE_MS && (dtsMs < lastDtsMs || dtsMs - lastDtsMs > GAP_RELEARN_MS)) {
            change = forget();
        }
        lastDtsMs = dtsMs;
        if (encoderChangePending && pendingSinceDtsMs == NONE_MS) {
            pendingSinceDtsMs = dtsMs;
        }
        if (encoderChangePending && dtsMs - pendingSinceDtsMs > PENDING_MAX_MS) {
            encoderChangePending = false;
        }
        if (keyframe) {
            Change forgotten = onKeyframe(dtsMs, sliceBytes);
            lastReferenceDtsMs = dtsMs;
            return forgotten == Change.NONE ? change : forgotten;
        }
        if (!reference) {
            return change;
        }
        long spacingMs = dtsMs - lastReferenceDtsMs;
        boolean first = lastReferenceDtsMs == NONE_MS;
        lastReferenceDtsMs = dtsMs;
        if (first) {
            return change; // no spacing to divide by yet
        }
        int clampedMs = (int) Math.max(1, Math.min(1000, spacingMs));
        shortWindow.add(dtsMs, sliceBytes, clampedMs);
        if (!inMotion) {
            baseline.advance(clampedMs);
        }
        Change decided = decide(dtsMs);
        return decided == Change.NONE ? change : decided;
    }

    /** True between MOTION_STARTED and MOTION_ENDED. */
    public boolean inMotion() {
        return inMotion;
    }

    /**
     * The decode time of the first picture of the flagged motion (its onset, for a pre-roll), milliseconds; valid
     * after MOTION_STARTED, at or before the decode time of the picture that flagged it.
     *
     * @throws IllegalStateException before the first MOTION_STARTED (or since {@link #reset()})
     */
    public long motionStartDtsMs() {
        if (motionStartDtsMs == NONE_MS) {
            throw new IllegalStateException("no motion has started");
        }
        return motionStartDtsMs;
    }

    /**
     * Forgets everything learnt (the camera restarted, a new sequence, or the picture size or frame rate changed):
     * the baseline is learnt again for {@value #LEARN_MS} ms. A motion in progress is dropped without
     * MOTION_ENDED: the caller that resets knows it.
     */
    public void reset() {
        forget();
        keyframes.clear();
        lastDtsMs = NONE_MS;
        lastReferenceDtsMs = NONE_MS;
        motionStartDtsMs = NONE_MS;
        encoderChangePending = false;
        graceUntilDtsMs = NONE_MS;
    }

    /**
     * A hint: the agent just asked the encoder for another bitrate, frame rate or resolution. The next keyframe
     * rescales the baseline by its size against the keyframe level, and no motion starts until {@value #GRACE_MS}
     * ms after it. (For a new resolution or frame rate, {@link #reset()} when the new SPS arrives is better.)
     */
    public void encoderChanged() {
        encoderChangePending = true;
        pendingSinceDtsMs = NONE_MS;
    }

    /** The latest score (short level / baseline), for tests and diagnostics; 0 before the first one. */
    double score() {
        return score;
    }

    /** @return MOTION_ENDED if a new picture size made it forget a motion */
    private Change onKeyframe(long dtsMs, int sliceBytes) {
        boolean hinted = encoderChangePending;
        encoderChangePending = false;
        if (hinted) {
            graceUntilDtsMs = dtsMs + GRACE_MS;
        }
        double bytes = Math.max(1, sliceBytes);
        if (!keyframes.isEmpty()) {
            double factor = bytes / keyframes.level();
            if (factor > KEYFRAME_RELEARN_RATIO || factor < 1 / KEYFRAME_RELEARN_RATIO) {
                Change change = forget();
                keyframes.restart(bytes);
                return change;
            }
            int direction = factor >= KEYFRAME_STEP_RATIO ? 1 : factor <= 1 / KEYFRAME_STEP_RATIO ? -1 : 0;
            if (hinted || (direction != 0 && direction == keyframes.stepDirection() && !inMotion)) {
                rescale(hinted ? factor : keyframes.confirmedFactor(bytes));
                keyframes.restart(bytes);
                return Change.NONE;
            }
            keyframes.noteStep(direction, bytes);
            if (direction != 0) {
                return Change.NONE; // a first odd keyframe stays out of the level until the next one confirms it
            }
        }
        keyframes.add(bytes);
        return Change.NONE;
    }

    /** Scales what was learnt about P pictures by {@code factor} (a bitrate step). */
    private void rescale(double factor) {
        shortWindow.scale(factor);
        baseline.scale(factor);
    }

    /** Forgets the P pictures and the motion state; keeps the keyframe level. @return MOTION_ENDED if in motion */
    private Change forget() {
        Change change = inMotion ? Change.MOTION_ENDED : Change.NONE;
        shortWindow.clear();
        baseline.clear();
        score = 0;
        inMotion = false;
        runStartDtsMs = NONE_MS;
        runPictures = 0;
        belowSinceDtsMs = NONE_MS;
        lastReferenceDtsMs = NONE_MS;
        return change;
    }

    private double floor() {
        return Math.max(MIN_FLOOR_BYTES_PER_MS, FLOOR_KEYFRAME_SHARE * keyframes.level() / 1000);
    }

    private Change decide(long dtsMs) {
        double level = shortWindow.level(dtsMs);
        baseline.expire();
        boolean learnt = baseline.learnt();
        score = baseline.isEmpty() ? 1 : level / Math.max(baseline.median(), floor());
        boolean high = score >= START_RATIO;
        if (!inMotion && (!high || !learnt)) {
            baseline.add(level);
        }
        if (inMotion) {
            if (dtsMs - motionFlaggedDtsMs > MAX_MOTION_MS) {
                forget();
                return Change.MOTION_ENDED;
            }
            if (score >= END_RATIO) {
                belowSinceDtsMs = NONE_MS;
                return Change.NONE;
            }
            if (belowSinceDtsMs == NONE_MS) {
                belowSinceDtsMs = dtsMs;
            }
            if (dtsMs - belowSinceDtsMs < END_HOLD_MS) {
                return Change.NONE;
            }
            inMotion = false;
            belowSinceDtsMs = NONE_MS;
            runStartDtsMs = NONE_MS;
            runPictures = 0;
            return Change.MOTION_ENDED;
        }
        if (!high || !learnt || dtsMs < graceUntilDtsMs || encoderChangePending) {
            runStartDtsMs = NONE_MS;
            runPictures = 0;
            return Change.NONE;
        }
        if (runStartDtsMs == NONE_MS) {
            runStartDtsMs = dtsMs;
        }
        runPictures++;
        if (runPictures < 2 || dtsMs - runStartDtsMs < START_HOLD_MS) {
            return Change.NONE;
        }
        inMotion = true;
        motionFlaggedDtsMs = dtsMs;
        motionStartDtsMs = shortWindow.onset(ONSET_RATIO * Math.max(baseline.median(), floor()));
        belowSinceDtsMs = NONE_MS;
        return Change.MOTION_STARTED;
    }

    /** {@link MedianBaseline#select}, kept here for the tests. */
    static double select(double[] a, int n, int k) {
        return MedianBaseline.select(a, n, k);
    }
}
