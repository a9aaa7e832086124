package io.edgepush.simulator.camera;

import io.edgepush.bridge.transport.CameraClient.ControlAnswer;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Hello;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder side of a {@link SimulatedCamera}: which clip plays, where in it, and at what pace. It plays either
 * the single clip of {@link CameraOptions#clip()} or the current rung of a {@link ClipLadder}, and keeps:
 * <ul>
 *   <li>the scene position (the index of the access unit the next tick sends) and the absolute pacing schedule
 *       (tick k after the base is due at baseNanos + k / fps and captured at baseCaptureUs + k / fps), which a rung
 *       switch rebases at the switching frame;</li>
 *   <li>the encoder's state: running or stopped (STOP_ENCODER/START_ENCODER), and whether the next frame sent must
 *       be a keyframe (FORCE_IDR, START_ENCODER, a (re)connect via {@link #requestKeyframe()});</li>
 *   <li>for a ladder: the current rung, the requested setting, a rung pending until the next GOP boundary, and the
 *       HELLO describing the current rung.</li>
 * </ul>
 * It answers the CONTROLs that act on the encoder ({@link #answer}); the camera's class comment states the
 * behaviour seen on the wire. Not thread safe: everything runs on the camera's event loop, except the getters of
 * the volatile fields ({@link #hello()}, {@link #rung()}, {@link #requested()}, {@link #rungSwitches()}), which
 * any thread may call. Logs under {@link SimulatedCamera}'s logger, so the camera's log lines keep their name.
 */
final class RungPlayer {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCamera.class);

    private final CameraOptions options;
    /** The ladder played, or null for a single clip. */
    private final ClipLadder ladder;
    private final long capabilities;
    /** Told each new HELLO after a rung switch (on the event loop). */
    private final Consumer<Hello> helloChanged;
    // State below is touched only on the camera's event loop.
    /** The clip playing: the single clip, or the current rung's. */
    private Clip clip;
    /** Frames per second of {@link #clip}. */
    private int fps;
    /** A ladder's rung to move to at the next GOP boundary, or null. */
    private LadderRung pendingRung;
    /** Pacing: tick k after the base is due at baseNanos + k / fps and captured at baseCaptureUs + k / fps. */
    private long baseNanos;
    private long baseCaptureUs;
    private long ticksSinceBase;
    /** Index in {@link #clip} of the access unit to send at the next tick: the scene position. */
    private int position;
    private boolean needKeyframe;
    private boolean encoderRunning = true;
    // Written on the event loop only, read anywhere.
    private volatile Hello hello;
    /** The ladder's current rung, or null for a single clip. */
    private volatile LadderRung rung;
    private volatile Ladder.Request requested;
    private volatile long rungSwitches;

    /**
     * @param options the camera's options: its single clip and fps, or its ladder (starting on the highest rung)
     * @param capabilities the HELLO capabilities of the camera
     * @param helloChanged told the new HELLO after each rung switch, on the event loop
     */
    RungPlayer(CameraOptions options, long capabilities, Consumer<Hello> helloChanged) {
        this.options = options;
        this.ladder = options.ladder();
        this.capabilities = capabilities;
        this.helloChanged = helloChanged;
        this.clip = options.clip();
        this.fps = options.fps();
        if (ladder == null) {
            this.hello = new Hello(options.deviceId(), SimulatedCamera.FIRMWARE_VERSION, options.helloCodec(),
                    capabilities, clip.width(), clip.height(), fps,
                    Math.min(clip.averageBitrateBps(fps), 0xFFFF_FFFFL));
        } else {
            this.rung = ladder.highest();
            this.requested = Ladder.Request.of(rung);
            this.hello = helloFor(rung);
        }
    }

    /** The HELLO describing what plays now (a ladder's reports its current rung). Safe from any thread. */
    Hello hello() {
        return hello;
    }

    /** The ladder's current rung, or null for a single clip. Safe from any thread. */
    LadderRung rung() {
        return rung;
    }

    /** How many times the ladder moved to another rung (0 for a single clip). Safe from any thread. */
    long rungSwitches() {
        return rungSwitches;
    }

    /** The setting last asked for (initially the highest rung's), or null for a single clip. Safe from any thread. */
    Ladder.Request requested() {
        return requested;
    }

    /** Whether the encoder runs (STOP_ENCODER stops it, START_ENCODER starts it again). */
    boolean encoderRunning() {
        return encoderRunning;
    }

    /** Whether the next frame sent must be a keyframe. */
    boolean keyframeNeeded() {
        return needKeyframe;
    }

    /** Makes the next frame sent a keyframe (after a (re)connect). */
    void requestKeyframe() {
        needKeyframe = true;
    }

    /** Starts the pacing schedule: tick 0 is due at {@code nowNanos}, captured at 0. */
    void startClock(long nowNanos) {
        baseNanos = nowNanos;
    }

    /** Capture time of the current tick on the camera clock, microseconds. */
    long captureTimeUs() {
        return baseCaptureUs + ticksSinceBase * 1_000_000L / fps;
    }

    /** Whether the access unit at the scene position is a keyframe. */
    boolean isKeyframe() {
        return clip.isKeyframe(position);
    }

    /** The access unit at the scene position (Annex B, parameter sets included on keyframes); not to be modified. */
    byte[] accessUnit() {
        return clip.accessUnit(position);
    }

    /**
     * Moves to the next access unit and the next tick, wrapping at the clip's end when the camera loops.
     *
     * @return false at the end of the clip without loop (nothing left to play)
     */
    boolean advance() {
        position++;
        if (position >= clip.size()) {
            if (!options.loop()) {
                return false;
            }
            position = 0;
        }
        ticksSinceBase++;
        return true;
    }

    /** When the current tick is due, in {@link System#nanoTime()} terms. */
    long dueNanos() {
        return baseNanos + ticksSinceBase * 1_000_000_000L / fps;
    }

    /**
     * Answers a CONTROL acting on the encoder: FORCE_IDR, STOP_ENCODER, START_ENCODER, and for a ladder SET_BITRATE,
     * SET_FPS, SET_RESOLUTION and SET_PRESET on stream 0; anything else is UNSUPPORTED.
     */
    ControlAnswer answer(Control control) {
        switch (control.op()) {
            case FORCE_IDR:
                if (ladder == null && !options.loop() && clip.idrAtOrAfter(position) < 0) {
                    return ControlAnswer.status(Ack.FAILED);
                }
                needKeyframe = true;
                return ControlAnswer.status(Ack.OK);
            case STOP_ENCODER:
                encoderRunning = false;
                return ControlAnswer.status(Ack.OK);
            case START_ENCODER:
                encoderRunning = true;
                needKeyframe = true;
                return ControlAnswer.status(Ack.OK);
            case SET_BITRATE:
            case SET_FPS:
            case SET_RESOLUTION:
            case SET_PRESET:
                return ladder == null || control.streamId() != 0 ? ControlAnswer.status(Ack.UNSUPPORTED)
                        : changeSetting(control);
            default:
                return ControlAnswer.status(Ack.UNSUPPORTED);
        }
    }

    /**
     * A ladder camera's SET_BITRATE, SET_FPS, SET_RESOLUTION or SET_PRESET: updates {@link #requested}, chooses a
     * rung and makes it pending (or cancels a pending move when it is the current rung).
     *
     * @return OK with the chosen rung's value for the op; INVALID_VALUE for a value out of range
     */
    private ControlAnswer changeSetting(Control control) {
        long value = control.value();
        Ladder.Request next;
        try {
            next = switch (control.op()) {
                case SET_BITRATE -> requested.withBitrateBps(value);
                case SET_FPS -> requested.withFps(value);
                case SET_RESOLUTION -> requested.withResolutionValue(value);
                default -> Ladder.Request.preset(value);
            };
        } catch (IllegalArgumentException e) {
            LOG.warn("device_id={} event=control_invalid op={} value={}: {}", options.deviceId(), control.op(),
                    value, e.getMessage());
            return ControlAnswer.status(Ack.INVALID_VALUE);
        }
        requested = next;
        LadderRung chosen = ladder.ladder().choose(next);
        pendingRung = chosen.equals(rung) ? null : chosen;
        if (pendingRung != null) {
            LOG.info("device_id={} event=rung_pending from={} to={} (at the next GOP boundary)", options.deviceId(),
                    rung.name(), chosen.name());
        }
        return ControlAnswer.ok(switch (control.op()) {
            case SET_BITRATE -> chosen.bitrateBps();
            case SET_FPS -> chosen.fps();
            case SET_RESOLUTION -> chosen.resolutionValue();
            default -> value;
        });
    }

    private Hello helloFor(LadderRung r) {
        return new Hello(options.deviceId(), SimulatedCamera.FIRMWARE_VERSION, options.helloCodec(), capabilities,
                r.width(), r.height(), r.fps(), r.bitrateBps());
    }

    /**
     * The keyframe on demand, in the tick that sends it: a single clip's IDR at or after the position (wrapping when
     * the camera loops); a ladder's {@link #jumpToNearestKeyframe nearest keyframe}. Clears {@link #keyframeNeeded()}.
     *
     * @return false if no IDR is left to play
     */
    boolean jumpToKeyframe(long captureTimeUs) {
        return ladder == null ? jumpToIdr() : jumpToNearestKeyframe(captureTimeUs);
    }

    /** A ladder's move to a pending rung when the position is a GOP boundary (a keyframe); else nothing. */
    void switchAtGopBoundary(long captureTimeUs) {
        if (pendingRung != null && clip.isKeyframe(position)) {
            switchRung(pendingRung, "gop_boundary", captureTimeUs);
        }
    }

    /** Scene time of {@link #position} in the current clip, microseconds. */
    private long sceneUs() {
        return position * 1_000_000L / fps;
    }

    /**
     * A ladder camera's keyframe on demand (FORCE_IDR, a reconnect, START_ENCODER): the pending rung's keyframe if
     * a switch is pending (this keyframe is its GOP boundary), else the current rung's keyframe nearest to the
     * scene position, earlier or later. Called in the tick that sends it.
     */
    private boolean jumpToNearestKeyframe(long captureTimeUs) {
        if (pendingRung != null) {
            switchRung(pendingRung, "keyframe_on_demand", captureTimeUs);
        } else {
            int k = ClipLadder.nearestKeyframe(clip, fps, sceneUs(), options.loop());
            if (k < 0) {
                return false;
            }
            position = k == clip.size() ? 0 : k;
        }
        needKeyframe = false;
        return true;
    }

    /**
     * Moves to rung {@code to} in the tick that sends its first frame: continues at its keyframe nearest to the
     * scene position (the same time when keyframes are aligned), and rebases the pacing at this tick, so that the
     * frame sent now keeps {@code captureTimeUs} and the next ones follow at the new rung's fps.
     */
    private void switchRung(LadderRung to, String reason, long captureTimeUs) {
        LadderRung from = rung;
        Clip next = ladder.clip(to);
        long fromSceneUs = sceneUs();
        int k = ClipLadder.nearestKeyframe(next, to.fps(), fromSceneUs, options.loop());
        baseNanos += ticksSinceBase * 1_000_000_000L / fps;
        baseCaptureUs = captureTimeUs;
        ticksSinceBase = 0;
        clip = next;
        fps = to.fps();
        position = k == next.size() ? 0 : k;
        pendingRung = null;
        rung = to;
        rungSwitches++;
        hello = helloFor(to);
        helloChanged.accept(hello);
        LOG.info("device_id={} event=rung_switch from={} to={} reason={} scene_us={} capture_us={}",
                options.deviceId(), from.name(), to.name(), reason, position * 1_000_000L / fps, captureTimeUs);
    }

    private boolean jumpToIdr() {
        int idr = clip.idrAtOrAfter(position);
        if (idr < 0 && options.loop()) {
            idr = clip.idrAtOrAfter(0);
        }
        if (idr < 0) {
            return false;
        }
        position = idr;
        needKeyframe = false;
        return true;
    }
}
