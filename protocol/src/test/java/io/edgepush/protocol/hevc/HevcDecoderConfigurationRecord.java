package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The HEVCDecoderConfigurationRecord of ISO/IEC 14496-15 8.3.3.1 (the body of an Enhanced RTMP "hvc1"
 * SequenceStart) parsed back, for tests: part of protocol's test kit (test-jar). Production only writes records
 * (the package-private HevcDecoderConfigurationRecordWriter).
 *
 * <p>Layout (23 fixed bytes): configurationVersion 1; general_profile_space u(2), general_tier_flag u(1),
 * general_profile_idc u(5); general_profile_compatibility_flags u(32); general_constraint_indicator_flags
 * u(48); general_level_idc u(8); '1111'b + min_spatial_segmentation_idc u(12); '111111'b + parallelismType
 * u(2); '111111'b + chromaFormat u(2); '11111'b + bitDepthLumaMinus8 u(3); '11111'b + bitDepthChromaMinus8
 * u(3); avgFrameRate u(16); constantFrameRate u(2), numTemporalLayers u(3), temporalIdNested u(1),
 * lengthSizeMinusOne u(2); numOfArrays u(8); then per array: array_completeness u(1), reserved 0 u(1),
 * NAL_unit_type u(6), numNalus u(16), and per NAL unit nalUnitLength u(16) + the NAL unit.
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
public record HevcDecoderConfigurationRecord(int profileSpace, boolean tierFlag, int profileIdc,
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
