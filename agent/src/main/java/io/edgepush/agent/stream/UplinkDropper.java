package io.edgepush.agent.stream;

import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;

/**
 * The GOP-aware dropping rule of a {@link StreamOutput}, as a pure function of one frame and the uplink, so it can
 * be read and tested on its own. Decoding stays intact whatever it decides: a non-reference picture (no other
 * picture predicts from it: H.264 nal_ref_idc 0, H.265 sub-layer non-reference) may go alone; any other picture
 * takes every later picture up to the next keyframe with it; a keyframe resumes decoding. Dropping up to a keyframe
 * goes on until the backlog is back under the first threshold (half the target latency): a keyframe that comes
 * sooner (a camera answers FORCE_IDR at once) would only put a large picture on a full uplink, so it is dropped too,
 * and the next one, asked for once the backlog is under that threshold, is the one that resumes decoding.
 *
 * <p>An instance binds the output's thresholds ({@link OutputSettings#dropNonReferenceAboveMs},
 * {@link OutputSettings#dropToKeyframeAboveMs}); it holds no other state.
 */
final class UplinkDropper {
    /** What to do with one frame. */
    enum Verdict {
        /** Write it. */
        SEND,
        /** Drop this non-reference picture only (backlog above the first threshold). */
        DROP_NON_REFERENCE,
        /** Start dropping every picture up to the next keyframe, this one included, and ask for an IDR. */
        START_DROPPING,
        /** Already dropping up to a keyframe: drop this one too. */
        KEEP_DROPPING,
        /** Already dropping, and the backlog is back under the first threshold: this keyframe resumes; write it. */
        RESUME
    }

    private final long nonReferenceAboveMs;
    private final long keyframeAboveMs;

    UplinkDropper(OutputSettings settings) {
        this.nonReferenceAboveMs = settings.dropNonReferenceAboveMs();
        this.keyframeAboveMs = settings.dropToKeyframeAboveMs();
    }

    /**
     * {@link #judge(boolean, boolean, boolean, boolean, long, long, long)} for {@code au} (borrowed) with this
     * output's thresholds; while dropping, only a keyframe that {@link #resumesDecoding} counts as one.
     */
    Verdict judge(boolean dropping, AccessUnit au, boolean writable, long backlogMs) {
        return judge(dropping, au.keyframe() && (!dropping || resumesDecoding(au)), au.reference(), writable,
                backlogMs, nonReferenceAboveMs, keyframeAboveMs);
    }

    /** True when the uplink has drained enough for a keyframe to resume decoding (the next one is due). */
    boolean drained(boolean writable, long backlogMs) {
        return drained(writable, backlogMs, nonReferenceAboveMs);
    }

    private static boolean drained(boolean writable, long backlogMs, long nonReferenceAboveMs) {
        return writable && backlogMs <= nonReferenceAboveMs;
    }

    /**
     * @param dropping          the output is dropping up to the next keyframe
     * @param keyframe          the frame is a keyframe (IDR / IRAP)
     * @param reference         other pictures may predict from it
     * @param writable          the connection's write queue is below its high water mark
     * @param backlogMs         media time on its way to the server, milliseconds
     * @param nonReferenceAboveMs backlog above which non-reference pictures are dropped
     * @param keyframeAboveMs   backlog above which every picture up to the next keyframe is dropped
     */
    static Verdict judge(boolean dropping, boolean keyframe, boolean reference, boolean writable, long backlogMs,
                         long nonReferenceAboveMs, long keyframeAboveMs) {
        if (dropping) {
            return keyframe && drained(writable, backlogMs, nonReferenceAboveMs) ? Verdict.RESUME
                    : Verdict.KEEP_DROPPING;
        }
        if (!writable || (!keyframe && backlogMs > keyframeAboveMs)) {
            return Verdict.START_DROPPING;
        }
        if (!reference && !keyframe && backlogMs > nonReferenceAboveMs) {
            return Verdict.DROP_NON_REFERENCE;
        }
        return Verdict.SEND;
    }

    /**
     * True when decoding can resume at keyframe {@code au} after dropped pictures: any H.264 IDR; an H.265 IRAP
     * picture other than a CRA, whose RASL pictures may refer to pictures before it (ITU-T H.265 8.1.3), which were
     * dropped. At a CRA dropping goes on and another IDR is asked for.
     */
    static boolean resumesDecoding(AccessUnit au) {
        if (au.codec() != VideoCodec.H265) {
            return true;
        }
        java.util.List<io.netty.buffer.ByteBuf> nalUnits = au.nalUnits();
        for (int i = 0; i < nalUnits.size(); i++) {
            io.netty.buffer.ByteBuf nal = nalUnits.get(i);
            if (!nal.isReadable()) {
                continue;
            }
            int type = (nal.getUnsignedByte(nal.readerIndex()) >> 1) & 0x3F;
            if (type <= 31) {
                return type != 21; // the first slice segment: CRA_NUT is 21
            }
        }
        return true;
    }
}
