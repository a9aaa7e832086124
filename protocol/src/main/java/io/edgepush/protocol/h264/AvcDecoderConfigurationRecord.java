package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Builds the AVCDecoderConfigurationRecord of ISO/IEC 14496-15 5.3.3.1 (the body of the FLV/RTMP AVC sequence
 * header): configurationVersion 1, AVCProfileIndication / profile_compatibility / AVCLevelIndication copied from
 * bytes 1..3 of the first SPS, lengthSizeMinusOne 3 (4-byte NAL lengths), the SPS and PPS NAL units with 16-bit
 * lengths, and for profile_idc 100, 110, 122 and 144 the chroma_format, bit depth and
 * numOfSequenceParameterSetExt (0) fields.
 */
final class AvcDecoderConfigurationRecord {
    private AvcDecoderConfigurationRecord() {
    }

    /**
     * @param a allocator for the result
     * @param sps BORROWED SPS NAL units (header byte included), 1..31; not modified
     * @param pps BORROWED PPS NAL units (header byte included), 1..255; not modified
     * @return the record; the CALLER OWNS it and must release it once
     * @throws H264Exception if a list is empty or too long, a NAL unit is not an SPS/PPS or longer than 65535
     *     bytes, or (High profiles) the first SPS does not parse
     */
    public static ByteBuf build(ByteBufAllocator a, List<ByteBuf> sps, List<ByteBuf> pps) {
        if (sps.isEmpty() || sps.size() > 31) {
            throw new H264Exception("AVCDecoderConfigurationRecord needs 1..31 SPS NAL units, got " + sps.size());
        }
        if (pps.isEmpty() || pps.size() > 255) {
            throw new H264Exception("AVCDecoderConfigurationRecord needs 1..255 PPS NAL units, got " + pps.size());
        }
        check(sps, NalUnitType.SPS, "SPS", 4);
        check(pps, NalUnitType.PPS, "PPS", 1);
        ByteBuf first = sps.get(0);
        int profileIdc = first.getUnsignedByte(first.readerIndex() + 1);
        boolean highProfile = profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 144;
        Sps parsed = highProfile ? SpsParser.parse(first) : null;
        int size = 7 + total(sps) + total(pps) + (highProfile ? 4 : 0);
        ByteBuf out = a.buffer(size);
        out.writeByte(1); // configurationVersion
        out.writeBytes(first, first.readerIndex() + 1, 3); // profile, compatibility, level
        out.writeByte(0xFF); // reserved '111111'b + lengthSizeMinusOne 3
        out.writeByte(0xE0 | sps.size()); // reserved '111'b + numOfSequenceParameterSets
        for (ByteBuf nal : sps) {
            out.writeShort(nal.readableBytes());
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
        out.writeByte(pps.size());
        for (ByteBuf nal : pps) {
            out.writeShort(nal.readableBytes());
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
        if (highProfile) {
            out.writeByte(0xFC | parsed.chromaFormatIdc());
            out.writeByte(0xF8 | (parsed.bitDepthLuma() - 8));
            out.writeByte(0xF8 | (parsed.bitDepthChroma() - 8));
            out.writeByte(0); // numOfSequenceParameterSetExt
        }
        return out;
    }

    private static void check(List<ByteBuf> nals, int type, String name, int minBytes) {
        for (int i = 0; i < nals.size(); i++) {
            ByteBuf nal = nals.get(i);
            if (nal.readableBytes() < minBytes) {
                throw new H264Exception(name + " " + i + " is " + nal.readableBytes() + " bytes, need at least "
                        + minBytes);
            }
            if (nal.readableBytes() > 0xFFFF) {
                throw new H264Exception(name + " " + i + " is " + nal.readableBytes()
                        + " bytes, over the 16-bit length limit");
            }
            if (NalUnitType.of(nal) != type) {
                throw new H264Exception(name + " " + i + " has nal_unit_type " + NalUnitType.of(nal) + ", expected "
                        + type);
            }
        }
    }

    private static int total(List<ByteBuf> nals) {
        int sum = 0;
        for (ByteBuf nal : nals) {
            sum += 2 + nal.readableBytes();
        }
        return sum;
    }
}
