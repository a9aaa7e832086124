package io.edgepush.protocol.media;

import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.h264.PresentationTimeCalculator;
import io.edgepush.protocol.hevc.HevcAccessUnit;
import io.edgepush.protocol.hevc.HevcAccessUnitAssembler;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a video source becomes {@link AccessUnit}s, once: NAL units in decoding order (from a framed camera
 * message, a raw Annex B byte stream or a file) are grouped into access units by the codec's assembler (H.264
 * {@link AccessUnitAssembler}, ISO/IEC 14496-10 7.4.1.2.3; H.265 {@link HevcAccessUnitAssembler}, ITU-T H.265
 * 7.4.2.4.4), classified (keyframe, reference) and timed.
 *
 * <p>Timing: each access unit's decode time is the time given with its first picture (VCL) NAL unit, or with its
 * first NAL unit when it has none yet (a camera's capture clock, an arrival clock, a frame count), raised to 1 ms
 * after the previous access unit's when it would not increase (FLV time is in whole milliseconds; a burst of access units still gets increasing times). H.264 presentation
 * times come from the picture order count ({@link PresentationTimeCalculator}, Annex C bumping at the stream's
 * reorder depth): the picture's place in output order, in frames, times the frame spacing (for a file exactly
 * {@code 1000 / fps}; for a live source the spacing of its decode times, a moving average that starts at
 * {@code 1000 / fps}, so a camera that runs slower than it announced still plays in order); a picture waits
 * for at most the reorder depth of later pictures before it is handed on (none for Baseline and for streams whose
 * VUI says max_num_reorder_frames = 0). H.265 presentation time equals decode time (picture order count is not
 * evaluated for HEVC).
 *
 * <p>Ownership: {@link #push} takes each NAL unit; the sink takes each access unit. Not thread-safe: one source
 * thread feeds one reader. {@link #close()} releases what is held.
 */
public final class AccessUnitReader implements AutoCloseable {
    private final VideoCodec codec;
    private final Consumer<AccessUnit> sink;
    private final AccessUnitAssembler h264;
    private final HevcAccessUnitAssembler h265;
    private final PresentationTimeCalculator<Pending> presentation;
    private long auDtsMs;
    /** {@link System#nanoTime()} when the access unit being built got its first NAL unit (0 for a file). */
    private long auReceivedNanos;
    private boolean auOpen;
    private boolean auPictureTimed;
    private boolean emittedInPush;
    private boolean lastKeyframe;
    private long lastDtsMs = Long.MIN_VALUE;
    private long accessUnits;
    private long keyframeFlagMismatches;
    private final double frameClockFps;
    /** Measured decode-time spacing, milliseconds (moving average of the last steps; starts at 1000 / fps). */
    private double frameIntervalMs;
    /** The shape of the coded video sequence in use (H.264): a keyframe with another one starts afresh. */
    private int sequenceWidth;
    private int sequenceHeight;
    private double sequenceFps;
    /** Steps still to take with a fast-moving average after a new sequence of unknown frame rate. */
    private int fastSteps;
    /** Latest presentation time handed on, ms (live timing). */
    private long maxPtsMs = Long.MIN_VALUE;
    /** Where a new sequence's pictures may start to be presented: after the old one's last picture, ms. */
    private long sequenceBoundaryPtsMs = Long.MIN_VALUE;
    /** Decode index of the new sequence's keyframe (-1: none pending). */
    private long sequenceStartIndex = -1;
    /** Added to every presentation time of the current sequence so it starts after the old one, ms. */
    private long ptsOffsetMs;
    private boolean closed;

    /** An H.264 access unit waiting for its presentation time. */
    private record Pending(List<ByteBuf> nalUnits, long dtsMs, long decodeIndex, long receivedNanos) {
    }

    /**
     * @param fps frame rate used to turn picture order into presentation time (H.264), in (0, 1000]; a camera's
     *            announced rate or the configured hint
     * @param sink receives each access unit in decoding order and TAKES OWNERSHIP of it; called on the thread that
     *             calls {@link #push}, {@link #endOfAccessUnit()} or {@link #flush()}
     */
    public AccessUnitReader(VideoCodec codec, double fps, Consumer<AccessUnit> sink) {
        this(codec, fps, sink, 0);
    }

    /**
     * A reader for a source without a clock (an Annex B file): the n-th access unit (from 0) gets decode time
     * {@code round(n * 1000 / fps)} ms, whatever time {@link #push} is given.
     *
     * @param fps frames per second, in (0, 1000]
     * @throws IllegalArgumentException if fps is out of range
     */
    public static AccessUnitReader atFrameRate(VideoCodec codec, double fps, Consumer<AccessUnit> sink) {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        return new AccessUnitReader(codec, fps, sink, fps);
    }

    private AccessUnitReader(VideoCodec codec, double fps, Consumer<AccessUnit> sink, double frameClockFps) {
        this.frameClockFps = frameClockFps;
        this.frameIntervalMs = 1000.0 / (fps > 0 && fps <= 1000 ? fps : 25);
        this.codec = codec;
        this.sink = sink;
        if (codec == VideoCodec.H265) {
            this.h264 = null;
            this.presentation = null;
            this.h265 = new HevcAccessUnitAssembler(this::onHevc);
        } else {
            this.h265 = null;
            // At 1000 "fps" the calculator's composition time is counted in frames; the reader turns frames into
            // milliseconds with the spacing it measures, so a camera slower than it announced still plays in order.
            this.presentation = new PresentationTimeCalculator<>(1000, this::onTimed);
            this.h264 = new AccessUnitAssembler(this::onH264);
        }
    }

    public VideoCodec codec() {
        return codec;
    }

    /**
     * Adds the next NAL unit in decoding order; may hand the previous access unit on.
     *
     * @param nal TAKES OWNERSHIP; one NAL unit without start code, starting with its header
     * @param dtsMs the time of the access unit this NAL unit begins or belongs to, milliseconds (each access unit
     *              takes the time of its first picture NAL unit)
     * @throws io.edgepush.protocol.h264.H264Exception (H265Exception for H.265) when the NAL unit's header is bad;
     *     it has then been released and nothing else is lost
     */
    public void push(ByteBuf nal, long dtsMs) {
        boolean picture = isVcl(nal);
        emittedInPush = false;
        if (h265 != null) {
            h265.push(nal);
        } else {
            h264.push(nal);
        }
        if (emittedInPush || !auOpen) {
            auDtsMs = dtsMs;
            auReceivedNanos = frameClockFps > 0 ? 0 : System.nanoTime();
            auOpen = true;
            auPictureTimed = false;
        }
        if (picture && !auPictureTimed) {
            auDtsMs = dtsMs; // parameter sets sent ahead with an earlier time do not move the picture's time
            auPictureTimed = true;
        }
    }

    private boolean isVcl(ByteBuf nal) {
        if (!nal.isReadable()) {
            return false;
        }
        int header = nal.getUnsignedByte(nal.readerIndex());
        return h265 != null ? ((header >> 1) & 0x3F) <= 31 : NalUnitType.isVcl(header & 0x1F);
    }

    /**
     * The access unit being built is complete (one framed VIDEO message per access unit): hands it on now rather
     * than when the next one begins. A message with parameter sets and no picture is kept for the next one.
     */
    public void endOfAccessUnit() {
        if (h265 != null) {
            h265.endOfAccessUnit();
        } else {
            h264.endOfAccessUnit();
        }
    }

    /**
     * As {@link #endOfAccessUnit()}, checking the source's own keyframe flag (the bridge's VIDEO flag) against the
     * NAL unit types: the types win, a disagreement is counted ({@link #keyframeFlagMismatches()}).
     *
     * @return true when the flag agreed (or no picture was completed)
     */
    public boolean endOfAccessUnit(boolean declaredKeyframe) {
        long before = accessUnits;
        endOfAccessUnit();
        if (accessUnits != before && lastKeyframe != declaredKeyframe) {
            keyframeFlagMismatches++;
            return false;
        }
        return true;
    }

    /**
     * Releases the access unit being built without handing it on: its message turned out to be corrupt part-way
     * (one framed VIDEO message per access unit), and a truncated picture would only show as artifacts.
     */
    public void discardAccessUnit() {
        if (h265 != null) {
            h265.discardAccessUnit();
        } else {
            h264.discardAccessUnit();
        }
        auOpen = false;
    }

    /** End of the source: hands on every access unit still held (a trailing picture and reordered ones). */
    public void flush() {
        if (h265 != null) {
            h265.flush();
        } else {
            h264.flush();
            presentation.flush();
        }
        auOpen = false;
    }

    /** Access units completed so far. */
    public long accessUnits() {
        return accessUnits;
    }

    /** Completed access units whose declared keyframe flag disagreed with their NAL unit types. */
    public long keyframeFlagMismatches() {
        return keyframeFlagMismatches;
    }

    /** Releases what is held (NAL units of an incomplete access unit, pictures waiting for their time). */
    @Override
    public void close() {
        closed = true;
        if (presentation != null) {
            presentation.discard(p -> p.nalUnits().forEach(ByteBuf::release));
        }
        // The assemblers release their incomplete access unit on flush when it holds no picture; one with a picture
        // is emitted to onH264/onHevc, which releases it once closed.
        if (h265 != null) {
            h265.flush();
        } else {
            h264.flush();
        }
    }

    private long nextDtsMs() {
        long dts = frameClockFps > 0 ? Math.round(accessUnits * 1000.0 / frameClockFps)
                : lastDtsMs == Long.MIN_VALUE ? auDtsMs : Math.max(auDtsMs, lastDtsMs + 1);
        if (lastDtsMs != Long.MIN_VALUE && frameClockFps == 0) {
            double stepMs = Math.min(1000, dts - lastDtsMs);
            frameIntervalMs += (stepMs - frameIntervalMs) / (fastSteps > 0 ? 2 : 8);
            fastSteps = Math.max(0, fastSteps - 1);
        }
        lastDtsMs = dts;
        auOpen = false;
        emittedInPush = true;
        accessUnits++;
        return dts;
    }

    private void onH264(io.edgepush.protocol.h264.AccessUnit au) {
        if (closed) {
            au.release();
            return;
        }
        long dtsMs = nextDtsMs();
        lastKeyframe = au.isKeyframe();
        if (lastKeyframe && au.shape() != null) {
            newSequence(au.shape());
        }
        presentation.push(new Pending(au.nalUnits(), dtsMs, accessUnits - 1, auReceivedNanos), au);
    }

    /**
     * A keyframe's SPS: when its size or VUI frame rate differs from the sequence's so far (an encoder that changed
     * resolution or fps, e.g. on a CONTROL), the frame spacing starts afresh: from the VUI frame rate when the SPS
     * carries one (ISO/IEC 14496-10 E.2.1, time_scale / (2 * num_units_in_tick)), else by following the next few
     * decode-time steps quickly. Otherwise the old rate's spacing would time the new pictures and their
     * presentation times would come unevenly for a second or so. A new sequence with a shorter reorder delay
     * would also be presented before the old one's last picture has had its time: its presentation times are
     * moved later by what it takes (its composition times only grow).
     */
    private void newSequence(io.edgepush.protocol.h264.AccessUnit.Shape sps) {
        boolean changed = sequenceWidth != 0 && (sps.width() != sequenceWidth || sps.height() != sequenceHeight
                || sps.fps() != sequenceFps);
        sequenceWidth = sps.width();
        sequenceHeight = sps.height();
        sequenceFps = sps.fps();
        if (!changed || frameClockFps > 0) {
            return;
        }
        presentation.flush(); // the old sequence's pictures keep the old spacing (an IDR ends their reordering)
        if (maxPtsMs != Long.MIN_VALUE) {
            sequenceBoundaryPtsMs = maxPtsMs + Math.round(frameIntervalMs);
            sequenceStartIndex = accessUnits - 1;
        }
        ptsOffsetMs = 0;
        if (sps.fps() > 0 && sps.fps() <= 1000) {
            frameIntervalMs = 1000.0 / sps.fps();
        } else {
            fastSteps = 4;
        }
    }

    /** @param compositionFrames presentation minus decode position, in frames (the calculator runs at 1000 fps) */
    private void onTimed(Pending p, int ignoredDtsMs, int compositionFrames) {
        long ptsMs;
        if (frameClockFps > 0) {
            ptsMs = Math.round((p.decodeIndex() + compositionFrames) * 1000.0 / frameClockFps);
        } else {
            ptsMs = p.dtsMs() + Math.round(compositionFrames * frameIntervalMs);
            if (p.decodeIndex() == sequenceStartIndex) {
                ptsOffsetMs = Math.max(0, sequenceBoundaryPtsMs - ptsMs);
                sequenceStartIndex = -1;
            }
            ptsMs += ptsOffsetMs;
            maxPtsMs = Math.max(maxPtsMs, ptsMs);
        }
        sink.accept(AccessUnit.of(VideoCodec.H264, p.nalUnits(), p.dtsMs(), ptsMs, p.receivedNanos()));
    }

    private void onHevc(HevcAccessUnit au) {
        if (closed) {
            au.release();
            return;
        }
        long dtsMs = nextDtsMs();
        lastKeyframe = au.isKeyframe();
        sink.accept(AccessUnit.of(VideoCodec.H265, au.nalUnits(), dtsMs, dtsMs, auReceivedNanos));
    }
}
