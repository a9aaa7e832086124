package io.edgepush.protocol.hevc;

import io.edgepush.protocol.h264.BitReader;

/**
 * The general part of profile_tier_level() (ITU-T H.265 7.3.3, semantics 7.4.4), the fields the
 * HEVCDecoderConfigurationRecord copies (ISO/IEC 14496-15 8.3.3.1). Sub-layer fields are read and skipped.
 *
 * @param profileSpace general_profile_space, 0..3
 * @param tierFlag general_tier_flag (false = Main tier, true = High tier)
 * @param profileIdc general_profile_idc, 0..31 (1 = Main, 2 = Main 10, 3 = Main Still Picture, 4 = RExt)
 * @param compatibilityFlags general_profile_compatibility_flag[0..31], flag 0 in the most significant bit
 * @param constraintIndicatorFlags the 48 bits from general_progressive_source_flag to general_inbld_flag /
 *     reserved bit, first bit in bit 47
 * @param levelIdc general_level_idc, 30 times the level number (e.g. 93 = level 3.1)
 */
record ProfileTierLevel(int profileSpace, boolean tierFlag, int profileIdc, int compatibilityFlags,
                               long constraintIndicatorFlags, int levelIdc) {

    /**
     * Reads profile_tier_level(1, maxNumSubLayersMinus1).
     *
     * @param r positioned at general_profile_space
     * @param maxNumSubLayersMinus1 sps/vps_max_sub_layers_minus1, 0..6
     * @throws io.edgepush.protocol.h264.H264Exception naming the field if the data ends early
     */
    static ProfileTierLevel read(BitReader r, int maxNumSubLayersMinus1) {
        int space = (int) r.readBits(2, "general_profile_space");
        boolean tier = r.readFlag("general_tier_flag");
        int idc = (int) r.readBits(5, "general_profile_idc");
        int compatibility = (int) r.readBits(32, "general_profile_compatibility_flag");
        long constraints = r.readBits(16, "general_constraint_indicator_flags") << 32
                | r.readBits(32, "general_constraint_indicator_flags");
        int level = (int) r.readBits(8, "general_level_idc");
        boolean[] profilePresent = new boolean[maxNumSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxNumSubLayersMinus1];
        for (int i = 0; i < maxNumSubLayersMinus1; i++) {
            profilePresent[i] = r.readFlag("sub_layer_profile_present_flag");
            levelPresent[i] = r.readFlag("sub_layer_level_present_flag");
        }
        if (maxNumSubLayersMinus1 > 0) {
            for (int i = maxNumSubLayersMinus1; i < 8; i++) {
                r.readBits(2, "reserved_zero_2bits");
            }
        }
        for (int i = 0; i < maxNumSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.readBits(32, "sub_layer_profile_space..compatibility_flag");
                r.readBits(32, "sub_layer_profile_compatibility_flag");
                r.readBits(24, "sub_layer_constraint_indicator_flags");
            }
            if (levelPresent[i]) {
                r.readBits(8, "sub_layer_level_idc");
            }
        }
        return new ProfileTierLevel(space, tier, idc, compatibility, constraints, level);
    }
}
