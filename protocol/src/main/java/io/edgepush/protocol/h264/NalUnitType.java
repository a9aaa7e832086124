package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;

/**
 * nal_unit_type values (ISO/IEC 14496-10 Table 7-1) and helpers on the one-byte NAL unit header
 * (forbidden_zero_bit u(1), nal_ref_idc u(2), nal_unit_type u(5); 7.3.1).
 */
public final class NalUnitType {
    /** Coded slice of a non-IDR picture. */
    public static final int SLICE = 1;
    /** Coded slice data partition A. */
    public static final int DPA = 2;
    /** Coded slice data partition B. */
    public static final int DPB = 3;
    /** Coded slice data partition C. */
    public static final int DPC = 4;
    /** Coded slice of an IDR picture. */
    public static final int IDR = 5;
    /** Supplemental enhancement information. */
    public static final int SEI = 6;
    /** Sequence parameter set. */
    public static final int SPS = 7;
    /** Picture parameter set. */
    public static final int PPS = 8;
    /** Access unit delimiter. */
    public static final int AUD = 9;
    /** End of sequence. */
    public static final int END_OF_SEQUENCE = 10;
    /** End of stream. */
    public static final int END_OF_STREAM = 11;
    /** Filler data. */
    public static final int FILLER = 12;
    /** Sequence parameter set extension. */
    public static final int SPS_EXTENSION = 13;

    private NalUnitType() {
    }

    /**
     * nal_unit_type of a NAL unit.
     *
     * @param nal borrowed; starts (at its reader index) with the NAL unit header byte; not modified
     * @return 0..31
     * @throws H264Exception if {@code nal} is empty
     */
    public static int of(ByteBuf nal) {
        if (!nal.isReadable()) {
            throw new H264Exception("empty NAL unit: no nal_unit_type header byte");
        }
        return nal.getByte(nal.readerIndex()) & 0x1F;
    }

    /**
     * nal_ref_idc of a NAL unit (0 = not used for reference).
     *
     * @param nal borrowed; starts with the NAL unit header byte; not modified
     * @return 0..3
     * @throws H264Exception if {@code nal} is empty
     */
    public static int refIdc(ByteBuf nal) {
        if (!nal.isReadable()) {
            throw new H264Exception("empty NAL unit: no nal_ref_idc header byte");
        }
        return (nal.getByte(nal.readerIndex()) >> 5) & 0x03;
    }

    /** @return true for VCL NAL unit types 1..5 (coded slices and data partitions, 7.4.1.2.3). */
    public static boolean isVcl(int type) {
        return type >= SLICE && type <= IDR;
    }
}
