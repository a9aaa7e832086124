package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The HEVCDecoderConfigurationRecord of ISO/IEC 14496-15 8.3.3.1 (the body of an Enhanced RTMP "hvc1"
 * SequenceStart), built from VPS/SPS/PPS NAL units and parsed back.
 *
 * <p>Layout (23 fixed bytes): configurationVersion 1; general_profile_space u(2), general_tier_flag u(1),
 * general_profile_idc u(5); general_profile_compatibility_flags u(32); general_constraint_indicator_flags
 * u(48); general_level_idc u(8); '1111'b + min_spatial_segmentation_idc u(12); '111111'b + parallelismType
 * u(2); '111111'b + chromaFormat u(2); '11111'b + bitDepthLumaMinus8 u(3); '11111'b + bitDepthChromaMinus8
 * u(3); avgFrameRate u(16); constantFrameRate u(2), numTemporalLayers u(3), temporalIdNested u(1),
 * lengthSizeMinusOne u(2); numOfArrays u(8); then per array: array_completeness u(1), reserved 0 u(1),
 * NAL_unit_type u(6), numNalus u(16), and per NAL unit nalUnitLength u(16) + the NAL unit.
 *
 * <p>What {@link #build} writes: profile, tier, level and constraint flags from the SPS's general
 * profile_tier_level; min_spatial_segmentation_idc 0 and parallelismType 0 (unknown: the SPS VUI is not
 * parsed); chroma format and bit depths from the SPS; avgFrameRate 0 (unspecified), constantFrameRate 0;
 * numTemporalLayers = sps_max_sub_layers_minus1 + 1; temporalIdNested = sps_temporal_id_nesting_flag;
 * lengthSizeMinusOne 3 (4-byte NAL unit lengths); three arrays VPS, SPS, PPS with array_completeness 1
 * (the coded frames carry no parameter sets).
 *
 * @param profileSpace general_profile_space
 * @param tierFlag general_tier_flag
 * @param profileIdc general_profile_idc
 * @param compatibilityFlags general_profile_compatibility_flags
 * @param constraintIndicatorFlags general_constraint_indicator_flags (48 bits)
 * @param levelIdc general_level_idc
 * @param minSpatialSegmentationIdc min_spatial_segmentation_idc (12 bits)
 * @param parallelismType parallelismType
 * @param chromaFormatIdc chromaFormat
 * @param bitDepthLuma bitDepthLumaMinus8 + 8
 * @param bitDepthChroma bitDepthChromaMinus8 + 8
 * @param avgFrameRate avgFrameRate in frames per 256 seconds (0 = unspecified)
 * @param constantFrameRate constantFrameRate
 * @param numTemporalLayers numTemporalLayers
 * @param temporalIdNested temporalIdNested
 * @param lengthSizeMinusOne lengthSizeMinusOne
 * @param arrays the NAL unit arrays in record order
 */
record HevcDecoderConfigurationRecord(int profileSpace, boolean tierFlag, int profileIdc,
        int compatibilityFlags, long constraintIndicatorFlags, int levelIdc, int minSpatialSegmentationIdc,
        int parallelismType, int chromaFormatIdc, int bitDepthLuma, int bitDepthChroma, int avgFrameRate,
        int constantFrameRate, int numTemporalLayers, boolean temporalIdNested, int lengthSizeMinusOne,
        List<NalUnitArray> arrays) {

    /** Size of the fields before the first array. */
    public static final int FIXED_BYTES = 23;

    /**
     * One array of the record.
     *
     * @param complete array_completeness
     * @param nalUnitType NAL_unit_type (32 VPS, 33 SPS, 34 PPS, 39/40 SEI)
     * @param nalUnits the NAL units, each with its 2-byte header (owned copies)
     */
    public record NalUnitArray(boolean complete, int nalUnitType, List<byte[]> nalUnits) {
    }

    /**
     * Builds the record from one VPS, one SPS and one PPS.
     *
     * @param a allocator for the result
     * @param vps BORROWED VPS NAL unit (2-byte header included); not modified
     * @param sps BORROWED SPS NAL unit; not modified
     * @param pps BORROWED PPS NAL unit; not modified
     * @return the record; the CALLER OWNS it and must release it once
     * @throws H265Exception if a NAL unit has the wrong type, is longer than 65535 bytes, or the SPS does not parse
     */
    public static ByteBuf build(ByteBufAllocator a, ByteBuf vps, ByteBuf sps, ByteBuf pps) {
        check(vps, HevcNalUnitType.VPS, "VPS");
        check(sps, HevcNalUnitType.SPS, "SPS");
        check(pps, HevcNalUnitType.PPS, "PPS");
        HevcSps s = HevcSps.parse(sps);
        ProfileTierLevel ptl = s.profileTierLevel();
        ByteBuf out = a.buffer(FIXED_BYTES + 15 + vps.readableBytes() + sps.readableBytes() + pps.readableBytes());
        out.writeByte(1); // configurationVersion
        out.writeByte(ptl.profileSpace() << 6 | (ptl.tierFlag() ? 0x20 : 0) | ptl.profileIdc());
        out.writeInt(ptl.compatibilityFlags());
        out.writeShort((int) (ptl.constraintIndicatorFlags() >>> 32));
        out.writeInt((int) ptl.constraintIndicatorFlags());
        out.writeByte(ptl.levelIdc());
        out.writeShort(0xF000); // reserved '1111'b + min_spatial_segmentation_idc 0
        out.writeByte(0xFC); // reserved '111111'b + parallelismType 0
        out.writeByte(0xFC | s.chromaFormatIdc());
        out.writeByte(0xF8 | (s.bitDepthLuma() - 8));
        out.writeByte(0xF8 | (s.bitDepthChroma() - 8));
        out.writeShort(0); // avgFrameRate: unspecified
        out.writeByte((s.maxSubLayersMinus1() + 1) << 3 | (s.temporalIdNesting() ? 0x04 : 0) | 3);
        out.writeByte(3); // numOfArrays
        for (ByteBuf nal : List.of(vps, sps, pps)) {
            out.writeByte(0x80 | HevcNalUnitType.of(nal)); // array_completeness 1, reserved 0
            out.writeShort(1); // numNalus
            out.writeShort(nal.readableBytes());
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
        return out;
    }

    private static void check(ByteBuf nal, int type, String name) {
        int actual = HevcNalUnitType.of(nal);
        if (actual != type) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: " + name + " expected (nal_unit_type " + type
                    + "), got nal_unit_type " + actual);
        }
        if (nal.readableBytes() > 0xFFFF) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: " + name + " of " + nal.readableBytes()
                    + " bytes is over the 16-bit nalUnitLength limit");
        }
    }

    /**
     * Parses a record.
     *
     * @param record BORROWED; the record bytes from its reader index to its writer index, nothing after them;
     *     not modified
     * @return the fields and copies of the NAL units
     * @throws H265Exception if configurationVersion is not 1, a reserved bit is 0, the record is truncated or
     *     bytes follow the last array (the message names the field)
     */
    public static HevcDecoderConfigurationRecord parse(ByteBuf record) {
        ByteBuf r = record.duplicate();
        need(r, FIXED_BYTES, "the 23 fixed bytes");
        int version = r.readUnsignedByte();
        if (version != 1) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: configurationVersion = " + version
                    + ", expected 1");
        }
        int b = r.readUnsignedByte();
        int compatibility = r.readInt();
        long constraints = (long) r.readUnsignedShort() << 32 | r.readUnsignedInt();
        int level = r.readUnsignedByte();
        int segmentation = reserved(r.readUnsignedShort(), 0xF000, "min_spatial_segmentation_idc");
        int parallelism = reserved(r.readUnsignedByte(), 0xFC, "parallelismType");
        int chroma = reserved(r.readUnsignedByte(), 0xFC, "chromaFormat");
        int depthLuma = 8 + reserved(r.readUnsignedByte(), 0xF8, "bitDepthLumaMinus8");
        int depthChroma = 8 + reserved(r.readUnsignedByte(), 0xF8, "bitDepthChromaMinus8");
        int avgFrameRate = r.readUnsignedShort();
        int t = r.readUnsignedByte();
        int numArrays = r.readUnsignedByte();
        List<NalUnitArray> arrays = new ArrayList<>(numArrays);
        for (int j = 0; j < numArrays; j++) {
            need(r, 3, "array " + j + " header");
            int h = r.readUnsignedByte();
            int numNalus = r.readUnsignedShort();
            List<byte[]> nals = new ArrayList<>(numNalus);
            for (int i = 0; i < numNalus; i++) {
                need(r, 2, "nalUnitLength of NAL unit " + i + " in array " + j);
                int length = r.readUnsignedShort();
                need(r, length, "NAL unit " + i + " in array " + j + " (" + length + " bytes)");
                nals.add(ByteBufUtil.getBytes(r.readSlice(length)));
            }
            arrays.add(new NalUnitArray((h & 0x80) != 0, h & 0x3F, List.copyOf(nals)));
        }
        if (r.isReadable()) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: " + r.readableBytes()
                    + " bytes after the last of " + numArrays + " arrays");
        }
        return new HevcDecoderConfigurationRecord(b >> 6, (b & 0x20) != 0, b & 0x1F, compatibility, constraints,
                level, segmentation, parallelism, chroma, depthLuma, depthChroma, avgFrameRate, t >> 6,
                (t >> 3) & 0x07, (t & 0x04) != 0, t & 0x03, List.copyOf(arrays));
    }

    private static void need(ByteBuf r, int bytes, String what) {
        if (r.readableBytes() < bytes) {
            throw new H265Exception("HEVCDecoderConfigurationRecord truncated while reading " + what + ": "
                    + r.readableBytes() + " bytes left");
        }
    }

    private static int reserved(int value, int reservedMask, String field) {
        if ((value & reservedMask) != reservedMask) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: reserved bits before " + field
                    + " are not all 1");
        }
        return value & ~reservedMask;
    }
}
