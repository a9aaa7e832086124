package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPS fields for picture order count and reordering, from an SPS written bit by bit (7.3.2.1.1, E.1.1). */
class SpsVuiAndPocFieldsTest {
    /** Main 320x240, pic_order_cnt_type 1, VUI with NAL HRD parameters and bitstream_restriction. */
    private static final String HEAD = "01001101 00000000 00011110" // profile_idc 77, constraint flags 0, level 30
            + " 1" // seq_parameter_set_id 0
            + " 1" // log2_max_frame_num_minus4 0
            + " 010" // pic_order_cnt_type 1
            + " 0" // delta_pic_order_always_zero_flag
            + " 0001001" // offset_for_non_ref_pic se(-4) = ue(8)
            + " 010" // offset_for_top_to_bottom_field se(1) = ue(1)
            + " 011" // num_ref_frames_in_pic_order_cnt_cycle 2
            + " 0001010" // offset_for_ref_frame[0] se(5) = ue(9)
            + " 0001110" // offset_for_ref_frame[1] se(7) = ue(13)
            + " 011" // max_num_ref_frames 2
            + " 0" // gaps_in_frame_num_value_allowed_flag
            + " 000010100" // pic_width_in_mbs_minus1 19
            + " 0001111" // pic_height_in_map_units_minus1 14
            + " 1 1 0" // frame_mbs_only_flag, direct_8x8_inference_flag, frame_cropping_flag
            + " 1" // vui_parameters_present_flag
            + " 0 0 0 0 0" // aspect ratio, overscan, video signal type, chroma loc, timing info: absent
            + " 1" // nal_hrd_parameters_present_flag
            + " 1 0000 0000 1 1 0" // cpb_cnt_minus1 0, scales 0, bit_rate/cpb_size_value_minus1 0, cbr_flag 0
            + " 10111 10111 10111 11000" // delay lengths 23, 23, 23, time_offset_length 24
            + " 0 0 0"; // vcl_hrd_parameters_present_flag, low_delay_hrd_flag, pic_struct_present_flag
    private static final String RESTRICTION = " 1" // bitstream_restriction_flag
            + " 1 011 010" // motion_vectors_over_pic_boundaries_flag, max_bytes_per_pic_denom 2, max_bits 1
            + " 000010001 000010001" // log2_max_mv_length_horizontal/vertical 16
            + " 011" // max_num_reorder_frames 2
            + " 00100"; // max_dec_frame_buffering 3

    @Test
    void parsesTypeOneOffsetsAndMaxNumReorderFrames() {
        ByteBuf nal = nal(HEAD + RESTRICTION);
        try {
            Sps sps = SpsParser.parse(nal);
            assertEquals(1, sps.pocType());
            assertEquals(-4, sps.offsetForNonRefPic());
            assertEquals(1, sps.offsetForTopToBottomField());
            assertEquals(List.of(5, 7), sps.offsetForRefFrame());
            assertEquals(2, sps.maxNumRefFrames());
            assertEquals(320, sps.width());
            assertEquals(240, sps.height());
            assertNull(sps.fps());
            assertEquals(2, sps.maxNumReorderFrames());
        } finally {
            nal.release();
        }
    }

    @Test
    void withoutBitstreamRestrictionTheReorderDepthIsUnknown() {
        ByteBuf nal = nal(HEAD + " 0");
        try {
            assertEquals(-1, SpsParser.parse(nal).maxNumReorderFrames());
        } finally {
            nal.release();
        }
    }

    @Test
    void truncatedBitstreamRestrictionStillYieldsTheSps() {
        ByteBuf nal = nal(HEAD + " 1 1 011"); // ends inside bitstream_restriction
        try {
            Sps sps = SpsParser.parse(nal);
            assertEquals(-1, sps.maxNumReorderFrames());
            assertEquals(320, sps.width());
        } finally {
            nal.release();
        }
    }

    /** NAL header 0x67, the bits, rbsp_stop_one_bit and alignment, with emulation prevention bytes (7.4.1). */
    static ByteBuf nal(String bits) {
        String all = bits.replace(" ", "") + "1";
        while (all.length() % 8 != 0) {
            all += "0";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x67);
        int zeros = 0;
        for (int i = 0; i < all.length(); i += 8) {
            int b = Integer.parseInt(all.substring(i, i + 8), 2);
            if (zeros >= 2 && b <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return Unpooled.wrappedBuffer(out.toByteArray());
    }
}
