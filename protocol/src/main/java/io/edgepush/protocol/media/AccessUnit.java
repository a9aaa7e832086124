package io.edgepush.protocol.media;

import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One video access unit on its way from a source (a camera link, a raw Annex B stream, a file) to a stream output:
 * the NAL units of one coded picture in decoding order (no start codes), parsed once where the picture enters the
 * gateway, so nothing downstream looks at NAL types again.
 * <ul>
 *   <li>{@link #keyframe()}: a decoder can start here. H.264: the picture holds an IDR slice (nal_unit_type 5,
 *       ISO/IEC 14496-10 7.4.1.2.4); H.265: an IRAP picture (BLA, IDR, CRA: nal_unit_type 16..21, ITU-T H.265 7.4.2.2).</li>
 *   <li>{@link #reference()}: other pictures may predict from this one. H.264: a VCL NAL unit with nal_ref_idc
 *       != 0 (7.4.1); H.265: a VCL NAL unit type other than the sub-layer non-reference types TRAIL_N, TSA_N,
 *       STSA_N, RADL_N, RASL_N and RSV_VCL_N10/12/14 (even types 0..14, Table 7-1). Keyframes are references.
 *       For H.265 a sub-layer non-reference picture may still be referenced by pictures of a higher temporal
 *       sub-layer: dropping it is safe only together with every picture of higher TemporalId (or in a stream with
 *       one sub-layer, as camera encoders produce).</li>
 *   <li>{@link #dtsMs()} and {@link #ptsMs()}: decode and presentation time in milliseconds on the source's clock
 *       (a camera's capture clock, a file's frame count); {@code ptsMs >= dtsMs}.</li>
 * </ul>
 *
 * <p>Ownership: the access unit OWNS its NAL unit buffers. Whoever holds it calls {@link #release()} exactly once
 * or hands it on; readers of {@link #nalUnits()} borrow. Not thread-safe: hand it from thread to thread with a
 * happens-before edge (a lock or a queue).
 */
public final class AccessUnit {
    private final VideoCodec codec;
    private final List<ByteBuf> nalUnits;
    private final boolean keyframe;
    private final boolean reference;
    private final long dtsMs;
    private final long ptsMs;
    private final int sizeBytes;
    private final long receivedNanos;
    private boolean released;

    /**
     * @param nalUnits TAKES OWNERSHIP of every buffer; the list is kept, not copied (the caller must not change it)
     * @param ptsMs presentation time; raised to {@code dtsMs} if smaller
     */
    public AccessUnit(VideoCodec codec, List<ByteBuf> nalUnits, boolean keyframe, boolean reference, long dtsMs,
                      long ptsMs) {
        this(codec, nalUnits, keyframe, reference, dtsMs, ptsMs, 0);
    }

    /**
     * As the constructor above, with the time the picture entered the gateway.
     *
     * @param receivedNanos {@link System#nanoTime()} when the source received the picture's first byte or NAL
     *                      unit; 0 when unknown (a file)
     */
    public AccessUnit(VideoCodec codec, List<ByteBuf> nalUnits, boolean keyframe, boolean reference, long dtsMs,
                      long ptsMs, long receivedNanos) {
        this.codec = codec;
        this.receivedNanos = receivedNanos;
        this.nalUnits = nalUnits; // not wrapped: a wrapper per frame is garbage; the constructor's contract forbids changes
        this.keyframe = keyframe;
        this.reference = reference || keyframe;
        this.dtsMs = dtsMs;
        this.ptsMs = Math.max(dtsMs, ptsMs);
        int bytes = 0;
        for (int i = 0; i < nalUnits.size(); i++) {
            bytes += nalUnits.get(i).readableBytes();
        }
        this.sizeBytes = bytes;
    }

    /**
     * Classifies {@code nalUnits} (borrowed) and builds an access unit from them.
     *
     * @param nalUnits TAKES OWNERSHIP as in the constructor; each NAL unit starts with its header
     * @throws io.edgepush.protocol.h264.H264Exception (H265Exception for H.265) on an empty NAL unit; the buffers
     *     are then released
     */
    public static AccessUnit of(VideoCodec codec, List<ByteBuf> nalUnits, long dtsMs, long ptsMs) {
        return of(codec, nalUnits, dtsMs, ptsMs, 0);
    }

    /** As {@link #of(VideoCodec, List, long, long)}, with the time the picture entered the gateway (0: unknown). */
    public static AccessUnit of(VideoCodec codec, List<ByteBuf> nalUnits, long dtsMs, long ptsMs, long receivedNanos) {
        boolean keyframe = false;
        boolean reference = false;
        try {
            for (int i = 0; i < nalUnits.size(); i++) {
                ByteBuf nal = nalUnits.get(i);
                if (codec == VideoCodec.H265) {
                    int type = HevcNalUnitType.of(nal);
                    if (HevcNalUnitType.isVcl(type)) {
                        keyframe |= HevcNalUnitType.isKeyframe(type);
                        reference |= !isSubLayerNonReference(type);
                    }
                } else {
                    int type = NalUnitType.of(nal);
                    if (NalUnitType.isVcl(type)) {
                        keyframe |= type == NalUnitType.IDR;
                        reference |= NalUnitType.refIdc(nal) != 0;
                    }
                }
            }
        } catch (RuntimeException e) {
            nalUnits.forEach(ByteBuf::release);
            throw e;
        }
        return new AccessUnit(codec, nalUnits, keyframe, reference, dtsMs, ptsMs, receivedNanos);
    }

    /** H.265 Table 7-1: TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N, RSV_VCL_N10/12/14 (even types up to 14). */
    static boolean isSubLayerNonReference(int hevcNalUnitType) {
        return hevcNalUnitType <= 14 && hevcNalUnitType % 2 == 0;
    }

    public VideoCodec codec() {
        return codec;
    }

    /** True when a decoder can start at this picture (H.264 IDR, H.265 IRAP). */
    public boolean keyframe() {
        return keyframe;
    }

    /** True when other pictures may reference this one (dropping it would break them). */
    public boolean reference() {
        return reference;
    }

    /** Decode timestamp, milliseconds on the source's clock. */
    public long dtsMs() {
        return dtsMs;
    }

    /** Presentation timestamp, milliseconds on the source's clock, {@code >= dtsMs()}. */
    public long ptsMs() {
        return ptsMs;
    }

    /** {@code ptsMs - dtsMs}: the FLV CompositionTime of this picture, milliseconds. */
    public int compositionTimeMs() {
        return (int) Math.min(Integer.MAX_VALUE, ptsMs - dtsMs);
    }

    /** {@link System#nanoTime()} when the picture entered the gateway; 0 when unknown (a file). */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** Sum of the NAL unit sizes in bytes (no start codes, no length prefixes); usable after release. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /**
     * @return the NAL units in decoding order, each starting with its header; BORROWED (do not modify the list),
     *     valid until {@link #release()}
     * @throws IllegalStateException after release
     */
    public List<ByteBuf> nalUnits() {
        if (released) {
            throw new IllegalStateException("access unit already released");
        }
        return nalUnits;
    }

    /**
     * Releases every NAL unit buffer exactly once.
     *
     * @throws IllegalStateException if called twice
     */
    public void release() {
        if (released) {
            throw new IllegalStateException("access unit already released");
        }
        released = true;
        for (int i = 0; i < nalUnits.size(); i++) {
            nalUnits.get(i).release();
        }
    }

    @Override
    public String toString() {
        return "AccessUnit[" + codec + (keyframe ? " key" : reference ? " ref" : " nonref") + " dts=" + dtsMs
                + " pts=" + ptsMs + " bytes=" + sizeBytes + (released ? " released" : "") + "]";
    }
}
