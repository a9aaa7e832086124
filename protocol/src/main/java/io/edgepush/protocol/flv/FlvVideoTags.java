package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Builds FLV VIDEODATA bodies for H.264 (Adobe FLV spec v10.1, E.4.3.1 VIDEODATA and AVCVIDEOPACKET).
 *
 * <p>Layout: one byte FrameType (UB[4]: 1 = keyframe, 2 = inter frame) | CodecID (UB[4]: 7 = AVC), one byte
 * AVCPacketType (0 = sequence header, 1 = NALU, 2 = end of sequence), SI24 CompositionTime in milliseconds,
 * then the payload. The same body is an RTMP video message payload (Adobe RTMP spec 7.1.5).
 *
 * <p>All methods append to {@code out} and <b>borrow</b> it and every input buffer: the caller keeps ownership
 * of all of them, and the input buffers' reader indexes are not moved.
 */
final class FlvVideoTags {

    /** CodecID 7 = AVC (E.4.3.1). */
    public static final int CODEC_ID_AVC = 7;
    /** FrameType 1 = keyframe (for AVC, a seekable frame). */
    public static final int FRAME_TYPE_KEYFRAME = 1;
    /** FrameType 2 = inter frame (for AVC, a non-seekable frame). */
    public static final int FRAME_TYPE_INTER = 2;
    /** AVCPacketType 0: AVCDecoderConfigurationRecord. */
    public static final int AVC_SEQUENCE_HEADER = 0;
    /** AVCPacketType 1: one or more NAL units, each prefixed by a 4-byte length. */
    public static final int AVC_NALU = 1;
    /** AVCPacketType 2: AVC end of sequence (lower level NALU sequence ender is not required or supported). */
    public static final int AVC_END_OF_SEQUENCE = 2;

    private FlvVideoTags() {
    }

    /**
     * Writes 0x17 0x00 00 00 00 followed by the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) as is.
     * Borrows {@code out} and {@code avcDecoderConfigurationRecord} (its readable bytes are copied).
     *
     * @throws IllegalArgumentException if the record has no readable bytes
     */
    public static void writeAvcSequenceHeader(ByteBuf out, ByteBuf avcDecoderConfigurationRecord) {
        int length = avcDecoderConfigurationRecord.readableBytes();
        if (length == 0) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is empty");
        }
        writeHeader(out, true, AVC_SEQUENCE_HEADER, 0);
        out.writeBytes(avcDecoderConfigurationRecord, avcDecoderConfigurationRecord.readerIndex(), length);
    }

    /**
     * Writes one access unit: 0x17 (keyframe) or 0x27 (inter frame), 0x01, SI24 composition time, then each NAL
     * unit as a 4-byte big-endian length and its bytes (the AVCC format with lengthSizeMinusOne = 3). NAL units
     * start with the NAL header byte; the caller has already removed start codes and filtered out AUD, SPS, PPS
     * and filler data. Borrows {@code out} and every NAL unit buffer.
     *
     * @param keyframe          true if the access unit contains an IDR picture
     * @param compositionTimeMs PTS minus DTS in milliseconds, -8388608..8388607 (0 without B-frames)
     * @param nalUnits          at least one NAL unit, none empty
     * @throws IllegalArgumentException on an out-of-range composition time, no NAL units or an empty NAL unit
     *                                  ({@code out} is then unchanged)
     */
    public static void writeAvcNalUnits(ByteBuf out, boolean keyframe, int compositionTimeMs,
                                        List<ByteBuf> nalUnits) {
        if (!LengthPrefixedNalUnits.fitsSi24(compositionTimeMs)) {
            throw new IllegalArgumentException("composition time " + compositionTimeMs
                    + " ms does not fit the SI24 CompositionTime field (E.4.3.1)");
        }
        if (nalUnits.isEmpty()) {
            throw new IllegalArgumentException("an AVC NALU packet needs at least one NAL unit");
        }
        out.ensureWritable(5 + LengthPrefixedNalUnits.encodedLength(nalUnits));
        writeHeader(out, keyframe, AVC_NALU, compositionTimeMs);
        LengthPrefixedNalUnits.write(out, nalUnits);
    }

    /** Writes 0x17 0x02 00 00 00: the AVC end of sequence packet, sent before unpublishing. Borrows {@code out}. */
    public static void writeAvcEndOfSequence(ByteBuf out) {
        writeHeader(out, true, AVC_END_OF_SEQUENCE, 0);
    }

    private static void writeHeader(ByteBuf out, boolean keyframe, int avcPacketType, int compositionTimeMs) {
        int frameType = keyframe ? FRAME_TYPE_KEYFRAME : FRAME_TYPE_INTER;
        out.writeByte(frameType << 4 | CODEC_ID_AVC);
        out.writeByte(avcPacketType);
        out.writeMedium(compositionTimeMs);
    }
}
