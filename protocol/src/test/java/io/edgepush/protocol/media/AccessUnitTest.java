package io.edgepush.protocol.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.hevc.H265Exception;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessUnit} classification and ownership. NAL unit headers are written by hand:
 * H.264 (7.3.1): forbidden_zero_bit | nal_ref_idc (2 bits) | nal_unit_type (5 bits);
 * H.265 (7.3.1.2): forbidden_zero_bit | nal_unit_type (6 bits) | nuh_layer_id (6 bits) |
 * nuh_temporal_id_plus1 (3 bits), so a base-layer header is {@code type << 1, 0x01}. Buffers are unpooled heap
 * buffers so refCnt() stays meaningful after release; every one must end at refCnt 0.
 */
class AccessUnitTest {
    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void everyBufferReleasedOnce() {
        for (ByteBuf b : made) {
            assertEquals(0, b.refCnt(), "buffer not released: " + b);
        }
    }

    private ByteBuf nal(int... bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length);
        for (int x : bytes) {
            b.writeByte(x);
        }
        made.add(b);
        return b;
    }

    /** Builds an access unit from the NAL units, checks keyframe and reference, releases it. */
    private void assertClass(VideoCodec codec, boolean keyframe, boolean reference, ByteBuf... nals) {
        AccessUnit au = AccessUnit.of(codec, new ArrayList<>(List.of(nals)), 0, 0);
        try {
            assertEquals(codec, au.codec());
            assertEquals(keyframe, au.keyframe(), "keyframe of " + au);
            assertEquals(reference, au.reference(), "reference of " + au);
        } finally {
            au.release();
        }
    }

    @Test
    void h264KeyframeIsIdrAndReferenceIsNalRefIdcOfAVclNalUnit() {
        // 0x65 = 0 11 00101: nal_ref_idc 3, type 5 (IDR slice)
        assertClass(VideoCodec.H264, true, true, nal(0x65, 0x88, 0x86, 0xe0));
        // 0x41 = 0 10 00001: nal_ref_idc 2, type 1 (non-IDR slice)
        assertClass(VideoCodec.H264, false, true, nal(0x41, 0x9a, 0x2d));
        // 0x01 = 0 00 00001: nal_ref_idc 0, type 1: a non-reference picture
        assertClass(VideoCodec.H264, false, false, nal(0x01, 0x9a, 0x2d));
        // 0x67 = 0 11 00111: SPS with nal_ref_idc 3, no picture: neither keyframe nor reference
        assertClass(VideoCodec.H264, false, false, nal(0x67, 0x42, 0xc0, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xe4));
        // SPS (0x67) and PPS (0x68, ref_idc 3) do not make the non-reference slice after them a reference
        assertClass(VideoCodec.H264, false, false, nal(0x67, 0x42, 0xc0, 0x1f), nal(0x68, 0xce, 0x3c, 0x80),
                nal(0x01, 0x9a, 0x2d));
        // SPS, PPS, SEI (0x06, ref_idc 0), IDR: a keyframe
        assertClass(VideoCodec.H264, true, true, nal(0x67, 0x42), nal(0x68, 0xce), nal(0x06, 0x06, 0x01, 0x80),
                nal(0x65, 0x88));
        // 0x05: an IDR slice with nal_ref_idc 0 (not conforming): keyframes are references anyway
        assertClass(VideoCodec.H264, true, true, nal(0x05, 0x88, 0x86, 0xe0));
    }

    @Test
    void h265KeyframeIsIrapAndEvenTypesUpTo14AreNotReferences() {
        assertClass(VideoCodec.H265, true, true, nal(0x26, 0x01, 0x80));   // IDR_W_RADL 19 = 0x26 >> 1
        assertClass(VideoCodec.H265, true, true, nal(0x2a, 0x01, 0x80));   // CRA_NUT 21
        assertClass(VideoCodec.H265, true, true, nal(0x28, 0x01, 0x80));   // IDR_N_LP 20: even but above 14
        assertClass(VideoCodec.H265, true, true, nal(0x20, 0x01, 0x80));   // BLA_W_LP 16
        assertClass(VideoCodec.H265, false, true, nal(0x02, 0x01, 0x80));  // TRAIL_R 1
        assertClass(VideoCodec.H265, false, false, nal(0x00, 0x01, 0x80)); // TRAIL_N 0
        assertClass(VideoCodec.H265, false, false, nal(0x10, 0x01, 0x80)); // RASL_N 8
        assertClass(VideoCodec.H265, false, true, nal(0x12, 0x01, 0x80));  // RASL_R 9
        assertClass(VideoCodec.H265, false, false, nal(0x1c, 0x01, 0x80)); // RSV_VCL_N14
        assertClass(VideoCodec.H265, false, true, nal(0x1e, 0x01, 0x80));  // RSV_VCL_R15
        // VPS (32), SPS (33), PPS (34) only: no picture
        assertClass(VideoCodec.H265, false, false, nal(0x40, 0x01, 0x0c), nal(0x42, 0x01, 0x01), nal(0x44, 0x01, 0xc1));
        // parameter sets then a TRAIL_N picture: still not a reference
        assertClass(VideoCodec.H265, false, false, nal(0x42, 0x01, 0x01), nal(0x00, 0x01, 0x80));
    }

    @Test
    void headerIsReadAtTheReaderIndexAndSizeCountsReadableBytes() {
        ByteBuf withStartCode = nal(0x00, 0x00, 0x01, 0x65, 0x88);
        withStartCode.readerIndex(3);
        ByteBuf p = nal(0x41, 0x9a, 0x2d);
        AccessUnit au = AccessUnit.of(VideoCodec.H264, new ArrayList<>(List.of(withStartCode, p)), 0, 0);
        assertTrue(au.keyframe(), "0x65 at the reader index, not the 0x00 before it");
        assertEquals(2 + 3, au.sizeBytes());
        au.release();
        assertEquals(5, au.sizeBytes(), "usable after release");
    }

    @Test
    void ptsBelowDtsIsRaisedToDtsAndCompositionTimeIsTheDifference() {
        AccessUnit early = AccessUnit.of(VideoCodec.H264, new ArrayList<>(List.of(nal(0x65, 0x88))), 1000, 960);
        assertEquals(1000, early.dtsMs());
        assertEquals(1000, early.ptsMs(), "pts 960 < dts 1000 is raised to 1000");
        assertEquals(0, early.compositionTimeMs());
        early.release();

        AccessUnit reordered = AccessUnit.of(VideoCodec.H264, new ArrayList<>(List.of(nal(0x41, 0x9a))), 1000, 1080);
        assertEquals(1000, reordered.dtsMs());
        assertEquals(1080, reordered.ptsMs());
        assertEquals(80, reordered.compositionTimeMs());
        reordered.release();

        AccessUnit direct = new AccessUnit(VideoCodec.H265, new ArrayList<>(List.of(nal(0x02, 0x01, 0x80))), false,
                false, 500, 499);
        assertEquals(500, direct.ptsMs(), "the constructor raises pts as well");
        assertFalse(direct.keyframe());
        direct.release();
    }

    @Test
    void constructorMakesEveryKeyframeAReference() {
        AccessUnit au = new AccessUnit(VideoCodec.H264, new ArrayList<>(List.of(nal(0x65, 0x88))), true, false, 0, 0);
        assertTrue(au.reference());
        au.release();
    }

    @Test
    void releaseFreesEveryNalUnitOnceAndTheUnitIsUnusableAfter() {
        ByteBuf sps = nal(0x67, 0x42);
        ByteBuf idr = nal(0x65, 0x88);
        AccessUnit au = AccessUnit.of(VideoCodec.H264, new ArrayList<>(List.of(sps, idr)), 0, 0);
        assertSame(idr, au.nalUnits().get(1), "nalUnits() lends the buffers given");
        assertEquals(1, idr.refCnt(), "borrowing does not retain");
        au.release();
        assertEquals(0, sps.refCnt());
        assertEquals(0, idr.refCnt());
        assertThrows(IllegalStateException.class, au::release, "second release");
        assertThrows(IllegalStateException.class, au::nalUnits, "nalUnits after release");
    }

    @Test
    void emptyH264NalUnitMakesOfThrowAndReleasesEveryBuffer() {
        ByteBuf idr = nal(0x65, 0x88);
        ByteBuf empty = nal();
        ByteBuf after = nal(0x41, 0x9a);
        assertThrows(H264Exception.class,
                () -> AccessUnit.of(VideoCodec.H264, new ArrayList<>(List.of(idr, empty, after)), 0, 0));
        assertEquals(0, idr.refCnt());
        assertEquals(0, empty.refCnt());
        assertEquals(0, after.refCnt(), "also the NAL units after the bad one");
    }

    @Test
    void shortH265NalUnitMakesOfThrowH265ExceptionAndReleasesEveryBuffer() {
        ByteBuf vps = nal(0x40, 0x01, 0x0c);
        ByteBuf oneByte = nal(0x26);
        H264Exception e = assertThrows(H264Exception.class,
                () -> AccessUnit.of(VideoCodec.H265, new ArrayList<>(List.of(vps, oneByte)), 0, 0));
        assertTrue(e instanceof H265Exception, "H.265 errors are H265Exception: " + e);
        assertEquals(0, vps.refCnt());
        assertEquals(0, oneByte.refCnt());
    }
}
