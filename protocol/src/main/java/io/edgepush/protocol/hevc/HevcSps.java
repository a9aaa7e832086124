package io.edgepush.protocol.hevc;

import io.edgepush.protocol.h264.BitReader;
import io.edgepush.protocol.h264.H264Exception;
import io.netty.buffer.ByteBuf;

/**
 * The start of a sequence parameter set RBSP (ITU-T H.265 7.3.2.2.1, semantics 7.4.3.2.1), up to
 * bit_depth_chroma_minus8: everything needed for the HEVCDecoderConfigurationRecord and onMetaData.
 *
 * <p>{@link #width()} and {@link #height()} are the output (cropped) size: pic_width/height_in_luma_samples minus
 * the conformance window, whose offsets count in chroma samples: SubWidthC * (left + right) and
 * SubHeightC * (top + bottom) luma samples (Table 6-1: SubWidthC = SubHeightC = 2 for 4:2:0, 2 and 1 for 4:2:2,
 * 1 and 1 for monochrome, 4:4:4 and separate colour planes).
 *
 * @param vpsId sps_video_parameter_set_id, 0..15
 * @param maxSubLayersMinus1 sps_max_sub_layers_minus1, 0..6
 * @param temporalIdNesting sps_temporal_id_nesting_flag
 * @param profileTierLevel the general profile, tier and level
 * @param spsId sps_seq_parameter_set_id, 0..15
 * @param chromaFormatIdc chroma_format_idc, 0..3 (1 = 4:2:0)
 * @param separateColourPlane separate_colour_plane_flag (only with chroma_format_idc 3)
 * @param codedWidth pic_width_in_luma_samples
 * @param codedHeight pic_height_in_luma_samples
 * @param width output width in pixels after the conformance window
 * @param height output height in pixels after the conformance window
 * @param bitDepthLuma BitDepthY, 8..16
 * @param bitDepthChroma BitDepthC, 8..16
 */
record HevcSps(int vpsId, int maxSubLayersMinus1, boolean temporalIdNesting,
                      ProfileTierLevel profileTierLevel, int spsId, int chromaFormatIdc, boolean separateColourPlane,
                      int codedWidth, int codedHeight, int width, int height, int bitDepthLuma, int bitDepthChroma) {

    private static final int MAX_PICTURE_SIDE = 65535;

    /**
     * Parses an SPS NAL unit.
     *
     * @param nal BORROWED; one NAL unit with its 2-byte header, emulation prevention bytes included; not modified
     * @return the parsed fields
     * @throws H265Exception if it is not an SPS, is truncated, or a field is out of range; the message names the
     *     field, e.g. {@code "HEVC SPS truncated while reading pic_width_in_luma_samples (bit 96 of 96)"}
     */
    public static HevcSps parse(ByteBuf nal) {
        int type = HevcNalUnitType.of(nal);
        if (type != HevcNalUnitType.SPS) {
            throw new H265Exception("HEVC SPS expected, got nal_unit_type " + type);
        }
        BitReader r = rbspReader(nal, 256, "HEVC SPS");
        try {
            return read(r);
        } catch (H265Exception e) {
            throw e;
        } catch (H264Exception e) {
            throw new H265Exception(e.getMessage(), e);
        }
    }

    private static HevcSps read(BitReader r) {
        int vpsId = (int) r.readBits(4, "sps_video_parameter_set_id");
        int maxSubLayersMinus1 = (int) r.readBits(3, "sps_max_sub_layers_minus1");
        if (maxSubLayersMinus1 > 6) {
            throw new H265Exception("HEVC SPS: sps_max_sub_layers_minus1 = " + maxSubLayersMinus1
                    + " out of range 0..6");
        }
        boolean nesting = r.readFlag("sps_temporal_id_nesting_flag");
        ProfileTierLevel ptl = ProfileTierLevel.read(r, maxSubLayersMinus1);
        int spsId = r.readUE("sps_seq_parameter_set_id", 0, 15);
        int chroma = r.readUE("chroma_format_idc", 0, 3);
        boolean separate = chroma == 3 && r.readFlag("separate_colour_plane_flag");
        int codedWidth = r.readUE("pic_width_in_luma_samples", 1, MAX_PICTURE_SIDE);
        int codedHeight = r.readUE("pic_height_in_luma_samples", 1, MAX_PICTURE_SIDE);
        int width = codedWidth;
        int height = codedHeight;
        if (r.readFlag("conformance_window_flag")) {
            int chromaArrayType = separate ? 0 : chroma;
            int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            long left = r.readUE("conf_win_left_offset");
            long right = r.readUE("conf_win_right_offset");
            long top = r.readUE("conf_win_top_offset");
            long bottom = r.readUE("conf_win_bottom_offset");
            long cropX = subWidthC * (left + right);
            long cropY = subHeightC * (top + bottom);
            if (cropX >= codedWidth || cropY >= codedHeight) {
                throw new H265Exception("HEVC SPS: conformance window (" + cropX + " x " + cropY
                        + " luma samples) leaves no picture of " + codedWidth + "x" + codedHeight);
            }
            width = (int) (codedWidth - cropX);
            height = (int) (codedHeight - cropY);
        }
        int depthLuma = 8 + r.readUE("bit_depth_luma_minus8", 0, 8);
        int depthChroma = 8 + r.readUE("bit_depth_chroma_minus8", 0, 8);
        return new HevcSps(vpsId, maxSubLayersMinus1, nesting, ptl, spsId, chroma, separate, codedWidth,
                codedHeight, width, height, depthLuma, depthChroma);
    }

    /**
     * A bit reader over the RBSP of an HEVC NAL unit: the bytes after the 2-byte header with
     * emulation_prevention_three_byte removed (7.3.1.1).
     *
     * @param nal BORROWED; not modified
     * @param maxRbspBytes stop after this many RBSP bytes
     * @param structure what is being parsed, for error messages
     * @throws H265Exception if the NAL unit header is bad
     */
    static BitReader rbspReader(ByteBuf nal, int maxRbspBytes, String structure) {
        HevcNalUnitType.checkHeader(nal);
        return BitReader.ofNalUnit(nal, HevcNalUnitType.HEADER_BYTES, maxRbspBytes, structure);
    }
}
