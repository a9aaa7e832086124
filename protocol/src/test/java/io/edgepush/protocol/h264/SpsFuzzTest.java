package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Fuzz target for {@link SpsParser} (ISO/IEC 14496-10 7.3.2.1.1 seq_parameter_set_data, E.1.1 VUI timing).
 * The input is one NAL unit starting with its header byte. Invariants: only {@link H264Exception} escapes; the
 * NAL unit is not modified (indices and bytes); a parsed SPS holds values inside the ranges the standard allows
 * (sps id 0..31, chroma_format_idc 0..3, bit depths 8..14, log2_max_frame_num 4..16, pic_order_cnt_type 0..2
 * with log2_max_pic_order_cnt_lsb 4..16 for type 0, max_num_ref_frames 0..16, a positive cropped picture no
 * larger than the level 6.2 frame size in macroblocks allows per dimension, a positive finite frame rate
 * when VUI timing is present); parsing twice gives the same SPS.
 */
class SpsFuzzTest {
    private static final int MAX_MBS = 139264;

    @FuzzTest
    void parse(byte[] nal) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf in = alloc.buffer(Math.max(1, nal.length)).writeBytes(nal);
        try {
            Sps sps;
            try {
                sps = SpsParser.parse(in);
            } catch (H264Exception e) {
                assertUnchanged(nal, in);
                return;
            }
            assertUnchanged(nal, in);
            assertTrue(sps.spsId() >= 0 && sps.spsId() <= 31, "spsId " + sps.spsId());
            assertTrue(sps.chromaFormatIdc() >= 0 && sps.chromaFormatIdc() <= 3, "chroma " + sps.chromaFormatIdc());
            assertTrue(!sps.separateColourPlane() || sps.chromaFormatIdc() == 3, "separate planes need 4:4:4");
            assertTrue(sps.bitDepthLuma() >= 8 && sps.bitDepthLuma() <= 14, "luma depth " + sps.bitDepthLuma());
            assertTrue(sps.bitDepthChroma() >= 8 && sps.bitDepthChroma() <= 14, "chroma depth " + sps.bitDepthChroma());
            assertTrue(sps.log2MaxFrameNum() >= 4 && sps.log2MaxFrameNum() <= 16, "log2MaxFrameNum");
            assertTrue(sps.pocType() >= 0 && sps.pocType() <= 2, "pocType " + sps.pocType());
            if (sps.pocType() == 0) {
                assertTrue(sps.log2MaxPocLsb() >= 4 && sps.log2MaxPocLsb() <= 16, "log2MaxPocLsb");
            }
            assertTrue(sps.maxNumRefFrames() >= 0 && sps.maxNumRefFrames() <= 16, "maxNumRefFrames");
            assertTrue(sps.width() > 0 && sps.width() <= MAX_MBS * 16, "width " + sps.width());
            assertTrue(sps.height() > 0 && sps.height() <= 2 * MAX_MBS * 16, "height " + sps.height());
            if (sps.fps() != null) {
                assertTrue(sps.fps() > 0 && Double.isFinite(sps.fps()), "fps " + sps.fps());
            }
            assertEquals(sps, SpsParser.parse(in), "parsing is repeatable");
        } finally {
            in.release();
            alloc.assertAllReleased("SPS input");
        }
    }

    static void assertUnchanged(byte[] nal, ByteBuf in) {
        assertEquals(0, in.readerIndex(), "reader index unchanged");
        assertEquals(nal.length, in.writerIndex(), "writer index unchanged");
        assertEquals(ByteBufUtil.hexDump(nal), ByteBufUtil.hexDump(in), "bytes unchanged");
    }
}
