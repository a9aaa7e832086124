package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;

/**
 * nal_unit_type values (ITU-T H.265 Table 7-1) and the two-byte NAL unit header (7.3.1.2):
 * forbidden_zero_bit f(1), nal_unit_type u(6), nuh_layer_id u(6), nuh_temporal_id_plus1 u(3).
 */
public final class HevcNalUnitType {
    /** Coded slice segment of a trailing picture, non-reference (TRAIL_N). */
    public static final int TRAIL_N = 0;
    /** Coded slice segment of a trailing picture (TRAIL_R). */
    public static final int TRAIL_R = 1;
    /** Broken link access picture with leading pictures (first IRAP type). */
    public static final int BLA_W_LP = 16;
    /** Broken link access picture with RADL pictures. */
    public static final int BLA_W_RADL = 17;
    /** Broken link access picture without leading pictures. */
    public static final int BLA_N_LP = 18;
    /** IDR picture that may have RADL pictures. */
    public static final int IDR_W_RADL = 19;
    /** IDR picture without leading pictures. */
    public static final int IDR_N_LP = 20;
    /** Clean random access picture. */
    public static final int CRA_NUT = 21;
    /** Video parameter set. */
    public static final int VPS = 32;
    /** Sequence parameter set. */
    public static final int SPS = 33;
    /** Picture parameter set. */
    public static final int PPS = 34;
    /** Access unit delimiter. */
    public static final int AUD = 35;
    /** End of sequence. */
    public static final int EOS = 36;
    /** End of bitstream. */
    public static final int EOB = 37;
    /** Filler data. */
    public static final int FD = 38;
    /** Prefix SEI message. */
    public static final int PREFIX_SEI = 39;
    /** Suffix SEI message. */
    public static final int SUFFIX_SEI = 40;

    /** Size of the NAL unit header in bytes (7.3.1.2). */
    public static final int HEADER_BYTES = 2;

    private HevcNalUnitType() {
    }

    /**
     * nal_unit_type of a NAL unit.
     *
     * @param nal borrowed; starts (at its reader index) with the 2-byte NAL unit header; not modified
     * @return 0..63
     * @throws H265Exception if {@code nal} is shorter than the 2-byte header
     */
    public static int of(ByteBuf nal) {
        checkHeader(nal);
        return (nal.getByte(nal.readerIndex()) >> 1) & 0x3F;
    }

    /**
     * nuh_layer_id of a NAL unit (0 for the base layer, the only one this project handles).
     *
     * @param nal borrowed; starts with the 2-byte NAL unit header; not modified
     * @return 0..63
     * @throws H265Exception if {@code nal} is shorter than the header
     */
    public static int layerId(ByteBuf nal) {
        checkHeader(nal);
        int i = nal.readerIndex();
        return (nal.getByte(i) & 0x01) << 5 | (nal.getUnsignedByte(i + 1) >> 3);
    }

    /**
     * Checks the NAL unit header (7.3.1.2, 7.4.2.2): at least 2 bytes, forbidden_zero_bit 0 and
     * nuh_temporal_id_plus1 not 0.
     *
     * @param nal borrowed; not modified
     * @throws H265Exception naming the field that is wrong
     */
    public static void checkHeader(ByteBuf nal) {
        if (nal.readableBytes() < HEADER_BYTES) {
            throw new H265Exception("HEVC NAL unit of " + nal.readableBytes()
                    + " bytes is shorter than the 2-byte NAL unit header");
        }
        int i = nal.readerIndex();
        if ((nal.getByte(i) & 0x80) != 0) {
            throw new H265Exception("HEVC NAL unit header: forbidden_zero_bit is 1");
        }
        if ((nal.getByte(i + 1) & 0x07) == 0) {
            throw new H265Exception("HEVC NAL unit header: nuh_temporal_id_plus1 is 0");
        }
    }

    /** @return true for VCL NAL unit types 0..31 (coded slice segments and reserved VCL types, 7.4.2.2) */
    public static boolean isVcl(int type) {
        return type >= 0 && type <= 31;
    }

    /**
     * @return true for an intra random access point picture a decoder can start at: BLA_W_LP .. CRA_NUT
     *     (16..21; 22 and 23 are reserved IRAP types, not produced by encoders)
     */
    public static boolean isKeyframe(int type) {
        return type >= BLA_W_LP && type <= CRA_NUT;
    }

    /** @return true for VPS, SPS and PPS (32..34), carried in the HEVCDecoderConfigurationRecord */
    public static boolean isParameterSet(int type) {
        return type >= VPS && type <= PPS;
    }
}
