package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Hand-made NAL units used across the h264 tests. Each was written bit by bit from ISO/IEC 14496-10 7.3.2.1.1
 * (SPS), 7.3.2.2 (PPS) and 7.3.3 (slice header); the bit layout is spelled out next to each vector.
 */
final class Vectors {
    private Vectors() {
    }

    /**
     * Baseline 1280x720: profile_idc 66, constraint 0xC0, level 31 | 1 sps_id=0 | 1 log2_max_frame_num-4=0 |
     * 011 poc_type=2 | 010 max_num_ref_frames=1 | 0 gaps | 0000001010000 width_mbs-1=79 |
     * 00000101101 height_map_units-1=44 | 1 frame_mbs_only | 1 direct_8x8 | 0 cropping | 0 vui | 1 stop 00.
     */
    static final String SPS_720P_BASELINE = "67 42 c0 1f da 01 40 16 e4";

    /**
     * High 1920x1080, level 40: 1 sps_id | 010 chroma_format_idc=1 | 1 1 bit depths 8 | 0 bypass | 1 scaling matrix |
     * list0: 1, delta_scale se(-8)=000010001 (nextScale 0: default) | lists 1-5: 00000 | list6 (64 entries):
     * 1 then 64 x se(0)=1 | list7: 0 | 1 log2_max_frame_num=4 | 1 poc_type 0 | 011 log2_max_poc_lsb-4=2 |
     * 00101 max_num_ref_frames=4 | 0 | width_mbs-1=119 | height_map_units-1=67 | 1 frame_mbs_only | 1 | 1 cropping
     * 1 1 1 00101 (bottom 4 -> 8 lines) | VUI: 1, 0 0 0 0, timing 1, num_units_in_tick=1, time_scale=50, fixed 1,
     * 0000 | stop. Two emulation_prevention_three_bytes (00 00 03) sit inside num_units_in_tick/time_scale.
     */
    static final String SPS_1080P_HIGH = "67 64 00 28 ad 84 41 ff ff ff ff ff ff ff ff 6c a0 3c 01 13 f2 c2"
            + " 00 00 03 00 02 00 00 03 00 65 08";

    /**
     * Main 1920x1080 interlaced: profile 77, constraint 0x40, level 40 | 1 sps_id | 1 log2_max_frame_num=4 | 1 poc 0 |
     * 1 log2_max_poc_lsb=4 | 011 refs=2 | 0 | width_mbs-1=119 | 00000100010 height_map_units-1=33 |
     * 0 frame_mbs_only | 1 mbaff | 1 | 1 cropping 1 1 1 011 (bottom 2: CropUnitY 4 -> 8 lines) | 0 vui | stop.
     */
    static final String SPS_1080I_MAIN = "67 4d 40 28 f6 03 c0 22 7e d0";

    /**
     * High 4:2:2 10-bit 1920x1080: profile 122 | 1 | 011 chroma_format_idc=2 | 011 luma 10 | 011 chroma 10 | 0 | 0 |
     * 1 | 011 poc 2 | 010 | 0 | width 119 | height 67 | 1 | 1 | 1 cropping 1 1 1 0001001 (bottom 8: CropUnitY 1) |
     * 0 vui | stop.
     */
    static final String SPS_1080P_422_10BIT = "67 7a 00 28 b6 cb 40 3c 01 13 f1 28";

    /** PPS: 1 pps_id 0 | 1 sps_id 0 | 0 cavlc | 0 bottom_field_pic_order | 1 one slice group | 1 1 | 0 | 00 |
     * 1 1 1 qp/qs/chroma 0 | 1 deblocking | 0 | 0 | stop. */
    static final String PPS_0 = "68 ce 3c 80";

    /** PPS: 010 pps_id 1 | 1 sps 0 | 1 cabac | 1 bottom_field_pic_order | 010 two slice groups | 00111 map type 6 |
     * 00100 four map units | 0 1 1 0 | 011 refs l0 3 | 1 | 1 weighted | 01 | se(-3) 00111 | 1 | se(2) 00100 | 1 | 1 |
     * 0 | 1 transform_8x8 | 0 | se(0) 1 | stop. */
    static final String PPS_1_FMO_CABAC = "68 5d 1c 8c f4 f2 6b";

    /** IDR slice (SPS 720p, PPS 0): 1 first_mb 0 | 0001000 slice_type 7 | 1 pps 0 | 0000 frame_num | 1 idr_pic_id 0. */
    static final String IDR_MB0 = "65 88 86 e0";
    /** Second slice of the same IDR picture: 00000101001 first_mb 40, rest as {@link #IDR_MB0}. */
    static final String IDR_MB40 = "65 05 22 21 b8";
    /** P slice: 1 first_mb 0 | 00110 slice_type 5 | 1 pps 0 | 0001 frame_num 1. */
    static final String P_MB0_FN1 = "41 9a 2d";
    /** P slice: first_mb 40, frame_num 1. */
    static final String P_MB40_FN1 = "41 05 26 8b 40";
    /** P slice: first_mb 40, frame_num 2 (a new picture whose first slice was lost). */
    static final String P_MB40_FN2 = "41 05 26 93 40";
    /** P slice: first_mb 0, frame_num 2. */
    static final String P_MB0_FN2 = "41 9a 4d";
    /** Access unit delimiter, primary_pic_type 7 (any) + stop bit. */
    static final String AUD = "09 f0";
    /** SEI: recovery point (payloadType 6, payloadSize 1: 1 recovery_frame_cnt 0, 0, 0, 00, 100 alignment) + stop. */
    static final String SEI = "06 06 01 80 80";

    /** @return an unpooled heap buffer with the bytes of a hex string such as "67 42 c0" */
    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    /** @return the bytes of a hex string such as "67 42 c0" (spaces ignored) */
    static byte[] bytes(String hex) {
        String s = hex.replace(" ", "");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** @return hex with spaces, lower case, of the readable bytes (not consumed) */
    static String hex(ByteBuf b) {
        StringBuilder sb = new StringBuilder();
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b.getByte(i) & 0xFF));
        }
        return sb.toString();
    }
}
