package io.edgepush.protocol.hevc;

import io.edgepush.protocol.h264.BitReader;
import io.edgepush.protocol.h264.H264Exception;
import io.netty.buffer.ByteBuf;

/**
 * The start of a video parameter set RBSP (ITU-T H.265 7.3.2.1), up to and including profile_tier_level().
 *
 * @param vpsId vps_video_parameter_set_id, 0..15
 * @param maxLayersMinus1 vps_max_layers_minus1, 0..62
 * @param maxSubLayersMinus1 vps_max_sub_layers_minus1, 0..6
 * @param temporalIdNesting vps_temporal_id_nesting_flag
 * @param profileTierLevel the general profile, tier and level
 */
record HevcVps(int vpsId, int maxLayersMinus1, int maxSubLayersMinus1, boolean temporalIdNesting,
                      ProfileTierLevel profileTierLevel) {

    /**
     * Parses a VPS NAL unit.
     *
     * @param nal BORROWED; one NAL unit with its 2-byte header, emulation prevention bytes included; not modified
     * @return the parsed fields
     * @throws H265Exception if it is not a VPS, is truncated, or a field is out of range (the message names it)
     */
    public static HevcVps parse(ByteBuf nal) {
        int type = HevcNalUnitType.of(nal);
        if (type != HevcNalUnitType.VPS) {
            throw new H265Exception("HEVC VPS expected, got nal_unit_type " + type);
        }
        BitReader r = HevcSps.rbspReader(nal, 64, "HEVC VPS");
        try {
            int id = (int) r.readBits(4, "vps_video_parameter_set_id");
            r.readBits(2, "vps_base_layer_internal_flag, vps_base_layer_available_flag");
            int maxLayersMinus1 = (int) r.readBits(6, "vps_max_layers_minus1");
            int maxSubLayersMinus1 = (int) r.readBits(3, "vps_max_sub_layers_minus1");
            if (maxSubLayersMinus1 > 6) {
                throw new H265Exception("HEVC VPS: vps_max_sub_layers_minus1 = " + maxSubLayersMinus1
                        + " out of range 0..6");
            }
            boolean nesting = r.readFlag("vps_temporal_id_nesting_flag");
            long reserved = r.readBits(16, "vps_reserved_0xffff_16bits");
            if (reserved != 0xFFFF) {
                throw new H265Exception(String.format(
                        "HEVC VPS: vps_reserved_0xffff_16bits = 0x%04X, expected 0xFFFF", reserved));
            }
            ProfileTierLevel ptl = ProfileTierLevel.read(r, maxSubLayersMinus1);
            return new HevcVps(id, maxLayersMinus1, maxSubLayersMinus1, nesting, ptl);
        } catch (H265Exception e) {
            throw e;
        } catch (H264Exception e) {
            throw new H265Exception(e.getMessage(), e);
        }
    }
}
