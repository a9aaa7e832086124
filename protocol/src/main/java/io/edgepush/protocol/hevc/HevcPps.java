package io.edgepush.protocol.hevc;

import io.edgepush.protocol.h264.BitReader;
import io.edgepush.protocol.h264.H264Exception;
import io.netty.buffer.ByteBuf;

/**
 * The start of a picture parameter set RBSP (ITU-T H.265 7.3.2.3.1): the ids and the flags a slice segment
 * header needs first.
 *
 * @param ppsId pps_pic_parameter_set_id, 0..63
 * @param spsId pps_seq_parameter_set_id, 0..15
 * @param dependentSliceSegmentsEnabled dependent_slice_segments_enabled_flag
 * @param outputFlagPresent output_flag_present_flag
 * @param numExtraSliceHeaderBits num_extra_slice_header_bits, 0..7
 */
record HevcPps(int ppsId, int spsId, boolean dependentSliceSegmentsEnabled, boolean outputFlagPresent,
                      int numExtraSliceHeaderBits) {

    /**
     * Parses a PPS NAL unit.
     *
     * @param nal BORROWED; one NAL unit with its 2-byte header; not modified
     * @return the parsed fields
     * @throws H265Exception if it is not a PPS, is truncated, or an id is out of range (the message names it)
     */
    public static HevcPps parse(ByteBuf nal) {
        int type = HevcNalUnitType.of(nal);
        if (type != HevcNalUnitType.PPS) {
            throw new H265Exception("HEVC PPS expected, got nal_unit_type " + type);
        }
        BitReader r = HevcSps.rbspReader(nal, 32, "HEVC PPS");
        try {
            int ppsId = r.readUE("pps_pic_parameter_set_id", 0, 63);
            int spsId = r.readUE("pps_seq_parameter_set_id", 0, 15);
            boolean dependent = r.readFlag("dependent_slice_segments_enabled_flag");
            boolean output = r.readFlag("output_flag_present_flag");
            int extraBits = (int) r.readBits(3, "num_extra_slice_header_bits");
            return new HevcPps(ppsId, spsId, dependent, output, extraBits);
        } catch (H265Exception e) {
            throw e;
        } catch (H264Exception e) {
            throw new H265Exception(e.getMessage(), e);
        }
    }
}
