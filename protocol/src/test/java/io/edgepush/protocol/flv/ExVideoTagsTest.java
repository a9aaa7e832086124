package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExVideoTagHeader variants (veovera enhanced-rtmp v1/v2) against bytes written by hand: first byte
 * 1 (IsExHeader) | VideoFrameType (3 bits) | VideoPacketType (4 bits), then FourCC "hvc1" = 68 76 63 31.
 * And the reader that parses them back, with each of its error paths.
 */
class ExVideoTagsTest {
    private static final String HVC1 = "68 76 63 31";
    private static final String NAL_A = "26 01 af 00";
    private static final String NAL_B = "4e 01 05";

    private static List<ByteBuf> nals(String... hex) {
        return java.util.Arrays.stream(hex).map(HexBytes::buf).toList();
    }

    private static String coded(boolean keyframe, int compositionTimeMs, String... nalHex) {
        List<ByteBuf> nals = nals(nalHex);
        try {
            return HexBytes.written(out -> ExVideoTags.writeCodedFrames(out, keyframe, ExVideoTags.FOURCC_HVC1,
                    compositionTimeMs, nals));
        } finally {
            nals.forEach(ByteBuf::release);
        }
    }

    @Test
    void sequenceStartIs0x90FourCcAndTheRecord() {
        ByteBuf record = HexBytes.buf("01 02 03");
        try {
            assertEquals(HexBytes.hex("90 " + HVC1 + " 01 02 03"),
                    HexBytes.written(out -> ExVideoTags.writeSequenceStart(out, ExVideoTags.FOURCC_HVC1, record)));
        } finally {
            record.release();
        }
    }

    @Test
    void codedFramesXWhenCompositionTimeIsZeroElseCodedFramesWithSi24() {
        assertEquals(HexBytes.hex("93 " + HVC1 + " 00 00 00 04 " + NAL_A + " 00 00 00 03 " + NAL_B),
                coded(true, 0, NAL_A, NAL_B), "keyframe (1) | CodedFramesX (3)");
        assertEquals(HexBytes.hex("a3 " + HVC1 + " 00 00 00 03 " + NAL_B), coded(false, 0, NAL_B),
                "inter frame (2) | CodedFramesX (3)");
        assertEquals(HexBytes.hex("91 " + HVC1 + " 00 00 50 00 00 00 04 " + NAL_A), coded(true, 80, NAL_A),
                "keyframe | CodedFrames (1), composition time 80 = 00 00 50");
        assertEquals(HexBytes.hex("a1 " + HVC1 + " ff ff d8 00 00 00 03 " + NAL_B), coded(false, -40, NAL_B),
                "composition time -40 as SI24 = ff ff d8");
    }

    @Test
    void sequenceEndIs0x92AndTheFourCc() {
        assertEquals(HexBytes.hex("92 " + HVC1),
                HexBytes.written(out -> ExVideoTags.writeSequenceEnd(out, ExVideoTags.FOURCC_HVC1)));
    }

    @Test
    void writerRejectsBadInputWithoutWriting() {
        List<ByteBuf> one = nals(NAL_A);
        List<ByteBuf> withEmpty = nals(NAL_A, "");
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        ByteBuf empty = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> ExVideoTags.writeCodedFrames(out, true, ExVideoTags.FOURCC_HVC1, 1 << 23, one));
            assertThrows(IllegalArgumentException.class,
                    () -> ExVideoTags.writeCodedFrames(out, true, ExVideoTags.FOURCC_HVC1, 0, List.of()));
            assertThrows(IllegalArgumentException.class,
                    () -> ExVideoTags.writeCodedFrames(out, true, ExVideoTags.FOURCC_HVC1, 0, withEmpty));
            assertThrows(IllegalArgumentException.class,
                    () -> ExVideoTags.writeSequenceStart(out, ExVideoTags.FOURCC_HVC1, empty));
            assertEquals(0, out.readableBytes());
        } finally {
            out.release();
            empty.release();
            one.forEach(ByteBuf::release);
            withEmpty.forEach(ByteBuf::release);
        }
    }

    private static FlvTag video(String hex) {
        return new FlvTag(100, FlvTagType.VIDEO, 0, HexBytes.bytes(hex));
    }

    @Test
    void readerParsesEachPacketType() throws Exception {
        EnhancedVideoTag start = EnhancedVideoTag.parse(video("90 " + HVC1 + " 01 02"));
        assertEquals(ExVideoTags.SEQUENCE_START, start.packetType());
        assertTrue(start.isKeyframe());
        assertEquals("hvc1", start.fourCcText());
        assertEquals(1752589105, start.fourCc());
        assertArrayEquals(HexBytes.bytes("01 02"), start.payload());

        EnhancedVideoTag coded = EnhancedVideoTag.parse(video("a1 " + HVC1 + " ff ff d8 00 00 00 03 " + NAL_B));
        assertFalse(coded.isKeyframe());
        assertEquals(-40, coded.compositionTimeMs());
        assertEquals(1, coded.nalUnits().size());
        assertArrayEquals(HexBytes.bytes(NAL_B), coded.nalUnits().get(0));

        EnhancedVideoTag x = EnhancedVideoTag.parse(video("93 " + HVC1 + " 00 00 00 04 " + NAL_A + " 00 00 00 03 "
                + NAL_B));
        assertEquals(0, x.compositionTimeMs());
        assertEquals(2, x.nalUnits().size());
        assertEquals(ExVideoTags.SEQUENCE_END, EnhancedVideoTag.parse(video("92 " + HVC1)).packetType());
    }

    private static String readError(FlvTag tag) {
        return assertThrows(FlvFormatException.class, () -> EnhancedVideoTag.parse(tag)).getMessage();
    }

    private static String nalError(String hex) throws Exception {
        EnhancedVideoTag tag = EnhancedVideoTag.parse(video(hex));
        return assertThrows(FlvFormatException.class, tag::nalUnits).getMessage();
    }

    @Test
    void readerErrorsNameTheProblemAndTheOffset() throws Exception {
        assertEquals("expected a video tag, got script-data at offset 100",
                readError(new FlvTag(100, FlvTagType.SCRIPT_DATA, 0, new byte[5])));
        assertEquals("truncated ExVideoTagHeader: 4 bytes, need 5 at offset 111", readError(video("90 68 76 63")));
        assertEquals("not an ExVideoTagHeader: IsExHeader bit is 0 (first byte 0x17) at offset 111",
                readError(video("17 00 00 00 00")));
        assertEquals("SequenceStart without a decoder configuration record at offset 111",
                readError(video("90 " + HVC1)));
        assertEquals("CodedFrames truncated in its SI24 CompositionTime at offset 116",
                readError(video("91 " + HVC1 + " 00 00")));
        assertEquals("SequenceEnd with 1 bytes of body at offset 111", readError(video("92 " + HVC1 + " 00")));
        assertEquals("unsupported VideoPacketType 4 at offset 111", readError(video("94 " + HVC1)));
        assertEquals("VideoPacketType 0 carries no NAL units at offset 0", nalError("90 " + HVC1 + " 01"));
        assertEquals("truncated NAL unit length in coded frames payload at offset 0", nalError("93 " + HVC1 + " 00 00"));
        assertEquals("NAL unit length 0 in coded frames payload at offset 0",
                nalError("93 " + HVC1 + " 00 00 00 00"));
        assertEquals("NAL unit length 9 does not fit the 2 bytes left in the coded frames payload at offset 0",
                nalError("93 " + HVC1 + " 00 00 00 09 01 02"));
        assertEquals("coded frames packet without NAL units at offset 0", nalError("93 " + HVC1));
    }
}
