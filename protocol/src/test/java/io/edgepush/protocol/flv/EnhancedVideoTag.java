package io.edgepush.protocol.flv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One Enhanced RTMP video tag body read back (veovera enhanced-rtmp v1/v2 ExVideoTagHeader, see the package-private
 * ExVideoTags for the layout), for tests that check what the muxer wrote: part of protocol's test kit (test-jar).
 *
 * @param frameType VideoFrameType, bits 4..6 of the first byte (1 = keyframe, 2 = inter frame)
 * @param packetType VideoPacketType, bits 0..3 ({@link #SEQUENCE_START} etc.)
 * @param fourCc the FourCC as a big-endian number (e.g. {@link #FOURCC_HVC1})
 * @param compositionTimeMs the SI24 composition time of CodedFrames; 0 for the other packet types
 * @param payload what follows the header: the decoder configuration record (SequenceStart), the
 *     length-prefixed NAL units (CodedFrames/X), empty (SequenceEnd); a copy owned by this record
 */
public record EnhancedVideoTag(int frameType, int packetType, int fourCc, int compositionTimeMs, byte[] payload) {
    /** VideoPacketType SequenceStart: the decoder configuration record follows. */
    public static final int SEQUENCE_START = ExVideoTags.SEQUENCE_START;
    /** VideoPacketType CodedFrames: SI24 composition time, then the coded data. */
    public static final int CODED_FRAMES = ExVideoTags.CODED_FRAMES;
    /** VideoPacketType SequenceEnd: end of the sequence, no body. */
    public static final int SEQUENCE_END = ExVideoTags.SEQUENCE_END;
    /** VideoPacketType CodedFramesX: coded data, composition time 0 implied. */
    public static final int CODED_FRAMES_X = ExVideoTags.CODED_FRAMES_X;
    /** FourCC "hvc1" read as a big-endian 32-bit number. */
    public static final int FOURCC_HVC1 = ExVideoTags.FOURCC_HVC1;

    /**
     * Parses the body of an FLV video tag.
     *
     * @param tag a video tag from {@link FlvFileReader}
     * @return the fields
     * @throws FlvFormatException (with the file offset) if the tag is not a video tag, IsExHeader is 0, the
     *     packet type is not 0..3, the header is truncated, or a SequenceStart has no record or a SequenceEnd
     *     has a body
     */
    public static EnhancedVideoTag parse(FlvTag tag) throws FlvFormatException {
        long at = tag.offset() + FlvFileWriter.TAG_HEADER_SIZE;
        if (tag.tagType() != FlvTagType.VIDEO) {
            throw new FlvFormatException("expected a video tag, got " + FlvTagType.name(tag.tagType()), tag.offset());
        }
        byte[] body = tag.body();
        if (body.length < 5) {
            throw new FlvFormatException("truncated ExVideoTagHeader: " + body.length + " bytes, need 5", at);
        }
        int first = body[0] & 0xFF;
        if ((first & ExVideoTags.IS_EX_HEADER) == 0) {
            throw new FlvFormatException(String.format(
                    "not an ExVideoTagHeader: IsExHeader bit is 0 (first byte 0x%02X)", first), at);
        }
        int frameType = (first >> 4) & 0x07;
        int packetType = first & 0x0F;
        int fourCc = (body[1] & 0xFF) << 24 | (body[2] & 0xFF) << 16 | (body[3] & 0xFF) << 8 | (body[4] & 0xFF);
        int start = 5;
        int compositionTimeMs = 0;
        switch (packetType) {
            case ExVideoTags.SEQUENCE_START -> {
                if (body.length == start) {
                    throw new FlvFormatException("SequenceStart without a decoder configuration record", at);
                }
            }
            case ExVideoTags.CODED_FRAMES -> {
                if (body.length < 8) {
                    throw new FlvFormatException("CodedFrames truncated in its SI24 CompositionTime", at + 5);
                }
                compositionTimeMs = (body[5] << 16) | (body[6] & 0xFF) << 8 | (body[7] & 0xFF);
                start = 8;
            }
            case ExVideoTags.CODED_FRAMES_X -> { }
            case ExVideoTags.SEQUENCE_END -> {
                if (body.length != start) {
                    throw new FlvFormatException("SequenceEnd with " + (body.length - start) + " bytes of body", at);
                }
            }
            default -> throw new FlvFormatException("unsupported VideoPacketType " + packetType, at);
        }
        return new EnhancedVideoTag(frameType, packetType, fourCc, compositionTimeMs,
                Arrays.copyOfRange(body, start, body.length));
    }

    /** @return true for VideoFrameType 1 (keyframe) */
    public boolean isKeyframe() {
        return frameType == FlvVideoTags.FRAME_TYPE_KEYFRAME;
    }

    /** @return the FourCC as text, e.g. "hvc1" */
    public String fourCcText() {
        return new String(new byte[] {(byte) (fourCc >>> 24), (byte) (fourCc >>> 16), (byte) (fourCc >>> 8),
            (byte) fourCc}, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Splits the payload of CodedFrames/CodedFramesX into NAL units (4-byte big-endian length + bytes).
     *
     * @return copies of the NAL units in order
     * @throws FlvFormatException (offset within the payload) if this is not a coded frames packet, a length is
     *     truncated, zero or runs past the end
     */
    public List<byte[]> nalUnits() throws FlvFormatException {
        if (packetType != ExVideoTags.CODED_FRAMES && packetType != ExVideoTags.CODED_FRAMES_X) {
            throw new FlvFormatException("VideoPacketType " + packetType + " carries no NAL units", 0);
        }
        List<byte[]> nals = new ArrayList<>();
        int i = 0;
        while (i < payload.length) {
            if (payload.length - i < 4) {
                throw new FlvFormatException("truncated NAL unit length in coded frames payload", i);
            }
            long length = (payload[i] & 0xFFL) << 24 | (payload[i + 1] & 0xFF) << 16 | (payload[i + 2] & 0xFF) << 8
                    | (payload[i + 3] & 0xFF);
            if (length == 0) {
                throw new FlvFormatException("NAL unit length 0 in coded frames payload", i);
            }
            if (length > payload.length - i - 4) {
                throw new FlvFormatException("NAL unit length " + length + " does not fit the "
                        + (payload.length - i - 4) + " bytes left in the coded frames payload", i);
            }
            nals.add(Arrays.copyOfRange(payload, i + 4, i + 4 + (int) length));
            i += 4 + (int) length;
        }
        if (nals.isEmpty()) {
            throw new FlvFormatException("coded frames packet without NAL units", 0);
        }
        return nals;
    }
}
