package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.buf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BitReaderTest {

    @Test
    void readsExpGolombCodesOfTable9_2() {
        // 1 | 010 | 011 | 00100 | 0001000 | 000011111 -> 0, 1, 2, 3, 7, 30 (ISO/IEC 14496-10 Table 9-2)
        // bits: 1010 0110 0100 0001 0000 0001 1111 + padding 0000
        BitReader r = new BitReader(Vectors.bytes("a6 41 01 f0"), "test");
        assertEquals(0, r.readUE("a"));
        assertEquals(1, r.readUE("b"));
        assertEquals(2, r.readUE("c"));
        assertEquals(3, r.readUE("d"));
        assertEquals(7, r.readUE("e"));
        assertEquals(30, r.readUE("f"));
        assertEquals(28, r.position());
    }

    @Test
    void readsSignedExpGolombPerTable9_3() {
        // codeNum 1,2,3,4,0 -> +1, -1, +2, -2, 0: 010 011 00100 00101 1 = 0100 1100 1000 0101 1
        BitReader r = new BitReader(Vectors.bytes("4c 85 80"), "test");
        assertEquals(1, r.readSE("a"));
        assertEquals(-1, r.readSE("b"));
        assertEquals(2, r.readSE("c"));
        assertEquals(-2, r.readSE("d"));
        assertEquals(0, r.readSE("e"));
    }

    @Test
    void readsFixedWidthFieldsUpTo32Bits() {
        BitReader r = new BitReader(Vectors.bytes("ff ff ff fe 5a"), "test");
        assertEquals(0xFFFFFFFEL, r.readBits(32, "x"));
        assertEquals(0x5, r.readBits(4, "y"));
        assertTrue(r.readFlag("z"));
        assertEquals(3, r.bitsLeft());
    }

    @Test
    void truncatedReadNamesTheFieldAndPosition() {
        BitReader r = new BitReader(Vectors.bytes("00"), "SPS");
        H264Exception e = assertThrows(H264Exception.class, () -> r.readUE("pic_width_in_mbs_minus1"));
        assertEquals("SPS truncated while reading pic_width_in_mbs_minus1 (bit 8 of 8)", e.getMessage());
        BitReader r2 = new BitReader(Vectors.bytes("ab"), "PPS");
        r2.readBits(5, "a");
        H264Exception e2 = assertThrows(H264Exception.class, () -> r2.readBits(4, "weighted_bipred_idc"));
        assertEquals("PPS truncated while reading weighted_bipred_idc (bit 5 of 8)", e2.getMessage());
    }

    @Test
    void rejectsExpGolombLongerThan31LeadingZeros() {
        BitReader r = new BitReader(new byte[8], "SPS");
        H264Exception e = assertThrows(H264Exception.class, () -> r.readUE("seq_parameter_set_id"));
        assertTrue(e.getMessage().contains("invalid Exp-Golomb code for seq_parameter_set_id"), e.getMessage());
    }

    @Test
    void rejectsValuesOutOfRange() {
        BitReader r = new BitReader(Vectors.bytes("0a 80"), "SPS"); // 00001 0101 -> ue = 2^4-1+5 = 20
        H264Exception e = assertThrows(H264Exception.class, () -> r.readUE("chroma_format_idc", 0, 3));
        assertEquals("SPS: chroma_format_idc = 20 out of range 0..3", e.getMessage());
    }

    @Test
    void moreRbspDataStopsAtTheStopBit() {
        // 1 data bit, then rbsp_stop_one_bit and alignment: 1100 0000
        BitReader r = new BitReader(Vectors.bytes("c0"), "test");
        assertTrue(r.moreRbspData());
        r.readFlag("x");
        assertFalse(r.moreRbspData());
        // data continues into the second byte; trailing zero bytes (cabac_zero_words) are ignored
        BitReader r2 = new BitReader(Vectors.bytes("ff 80 00 00"), "test");
        r2.readBits(8, "x");
        assertFalse(r2.moreRbspData());
        BitReader r3 = new BitReader(Vectors.bytes("ff 60"), "test");
        r3.readBits(8, "x");
        assertTrue(r3.moreRbspData());
        r3.readBits(2, "y");
        assertFalse(r3.moreRbspData());
        assertFalse(new BitReader(new byte[0], "test").moreRbspData());
    }

    @Test
    void rbspRemovesEmulationPreventionBytes() {
        // header 0x67, then 00 00 03 01 -> 00 00 01; 00 00 03 03 -> 00 00 03; 00 00 03 00 -> 00 00 00; 00 03 kept
        assertArrayEquals(Vectors.bytes("00 00 01"), Rbsp.fromNal(buf("67 00 00 03 01"), Integer.MAX_VALUE));
        assertArrayEquals(Vectors.bytes("00 00 03"), Rbsp.fromNal(buf("67 00 00 03 03"), Integer.MAX_VALUE));
        assertArrayEquals(Vectors.bytes("00 00 00 00 02"),
                Rbsp.fromNal(buf("67 00 00 03 00 00 03 02"), Integer.MAX_VALUE));
        assertArrayEquals(Vectors.bytes("00 03 00 11"), Rbsp.fromNal(buf("67 00 03 00 11"), Integer.MAX_VALUE));
        // a 0x03 ending the NAL unit after two zeros is removed too (cabac_zero_word 0x000003)
        assertArrayEquals(Vectors.bytes("80 00 00"), Rbsp.fromNal(buf("67 80 00 00 03"), Integer.MAX_VALUE));
        // a zero run restarts after the removed byte: 00 00 03 00 03 keeps the last 03
        assertArrayEquals(Vectors.bytes("00 00 00 03"), Rbsp.fromNal(buf("67 00 00 03 00 03"), Integer.MAX_VALUE));
    }

    @Test
    void rbspHonoursTheOutputLimitAndRejectsEmptyNal() {
        assertArrayEquals(Vectors.bytes("00 00"), Rbsp.fromNal(buf("41 00 00 03 01 02"), 2));
        assertThrows(H264Exception.class, () -> Rbsp.fromNal(buf(""), 10));
    }

    @Test
    void rejectsExpGolombValuesBeyondInt() {
        // 31 leading zeros, 1, then 31 one bits: 2^31 - 1 + 2^31 - 1 does not fit in an int
        BitReader r = new BitReader(Vectors.bytes("00 00 00 01 ff ff ff fe"), "slice header");
        H264Exception e = assertThrows(H264Exception.class, () -> r.readUE("first_mb_in_slice"));
        assertEquals("slice header: first_mb_in_slice = 4294967294 does not fit in 31 bits", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BitReader(new byte[8], "x").readBits(33, "y"));
    }
}
