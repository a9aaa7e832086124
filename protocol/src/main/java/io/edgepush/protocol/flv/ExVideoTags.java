package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Builds Enhanced RTMP video tag bodies (veovera enhanced-rtmp v1 "Extending VideoTagHeader", v2 "Enhanced
 * Video"), the FLV/RTMP carriage of codecs named by a FourCC, used here for HEVC ("hvc1").
 *
 * <p>ExVideoTagHeader: one byte IsExHeader (bit 7 = 1) | VideoFrameType (bits 4..6: 1 = keyframe, 2 = inter
 * frame) | VideoPacketType (bits 0..3), then the FourCC as 4 bytes. Then by packet type:
 * <ul>
 *   <li>SequenceStart (0): the decoder configuration record (HEVCDecoderConfigurationRecord for "hvc1");</li>
 *   <li>CodedFrames (1): SI24 composition time offset in milliseconds, then 4-byte length-prefixed NAL units;</li>
 *   <li>SequenceEnd (2): nothing more;</li>
 *   <li>CodedFramesX (3): the NAL units with an implied composition time of 0.</li>
 * </ul>
 * The frame type of SequenceStart and SequenceEnd is keyframe (1), as for the AVC sequence header. The same
 * body is an RTMP video message payload (Adobe RTMP spec 7.1.5).
 *
 * <p>All methods append to {@code out} and <b>borrow</b> it and every input buffer: the caller keeps ownership
 * of all of them, and the input buffers' reader indexes are not moved.
 */
final class ExVideoTags {

    /** Bit 7 of the first byte: the header is an ExVideoTagHeader. */
    public static final int IS_EX_HEADER = 0x80;
    /** VideoPacketType SequenceStart: the decoder configuration record follows. */
    public static final int SEQUENCE_START = 0;
    /** VideoPacketType CodedFrames: SI24 composition time, then the coded data. */
    public static final int CODED_FRAMES = 1;
    /** VideoPacketType SequenceEnd: end of the sequence, no body. */
    public static final int SEQUENCE_END = 2;
    /** VideoPacketType CodedFramesX: coded data, composition time 0 implied. */
    public static final int CODED_FRAMES_X = 3;
    /** VideoPacketType Metadata: AMF-encoded metadata (not written by this project). */
    public static final int METADATA = 4;
    /** VideoPacketType MPEG2TSSequenceStart (not written by this project). */
    public static final int MPEG2TS_SEQUENCE_START = 5;
    /** FourCC "hvc1" read as a big-endian 32-bit number: 0x68766331 = 1752589105 (also onMetaData videocodecid). */
    public static final int FOURCC_HVC1 = 0x68766331;

    private ExVideoTags() {
    }

    /**
     * Writes 0x90 (keyframe, SequenceStart), the FourCC and the record as is.
     *
     * @param fourCc e.g. {@link #FOURCC_HVC1}
     * @param record BORROWED decoder configuration record; its readable bytes are copied
     * @throws IllegalArgumentException if the record has no readable bytes
     */
    public static void writeSequenceStart(ByteBuf out, int fourCc, ByteBuf record) {
        if (!record.isReadable()) {
            throw new IllegalArgumentException("decoder configuration record is empty");
        }
        writeHeader(out, true, SEQUENCE_START, fourCc);
        out.writeBytes(record, record.readerIndex(), record.readableBytes());
    }

    /**
     * Writes one access unit: CodedFramesX (0x93 keyframe / 0xA3 inter frame) when the composition time is 0,
     * else CodedFrames (0x91 / 0xA1) with the SI24 composition time; then the FourCC; then each NAL unit as a
     * 4-byte big-endian length and its bytes.
     *
     * @param keyframe true if the access unit is a random access point (HEVC: an IRAP picture)
     * @param compositionTimeMs PTS minus DTS in milliseconds, -8388608..8388607
     * @param nalUnits BORROWED; at least one, none empty
     * @throws IllegalArgumentException on an out-of-range composition time, no NAL units or an empty NAL unit
     *     ({@code out} is then unchanged)
     */
    public static void writeCodedFrames(ByteBuf out, boolean keyframe, int fourCc, int compositionTimeMs,
                                        List<ByteBuf> nalUnits) {
        if (!LengthPrefixedNalUnits.fitsSi24(compositionTimeMs)) {
            throw new IllegalArgumentException("composition time " + compositionTimeMs
                    + " ms does not fit the SI24 CompositionTime field");
        }
        if (nalUnits.isEmpty()) {
            throw new IllegalArgumentException("a CodedFrames packet needs at least one NAL unit");
        }
        out.ensureWritable(8 + LengthPrefixedNalUnits.encodedLength(nalUnits));
        if (compositionTimeMs == 0) {
            writeHeader(out, keyframe, CODED_FRAMES_X, fourCc);
        } else {
            writeHeader(out, keyframe, CODED_FRAMES, fourCc);
            out.writeMedium(compositionTimeMs);
        }
        LengthPrefixedNalUnits.write(out, nalUnits);
    }

    /** Writes 0x92 (keyframe, SequenceEnd) and the FourCC, sent before unpublishing. */
    public static void writeSequenceEnd(ByteBuf out, int fourCc) {
        writeHeader(out, true, SEQUENCE_END, fourCc);
    }

    private static void writeHeader(ByteBuf out, boolean keyframe, int packetType, int fourCc) {
        int frameType = keyframe ? FlvVideoTags.FRAME_TYPE_KEYFRAME : FlvVideoTags.FRAME_TYPE_INTER;
        out.writeByte(IS_EX_HEADER | frameType << 4 | packetType);
        out.writeInt(fourCc);
    }
}
