package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The coded-data part shared by the FLV AVC NALU packet (Adobe FLV spec v10.1 E.4.3.1) and the Enhanced RTMP
 * CodedFrames packet: an SI24 composition time in milliseconds, and NAL units each written as a 4-byte big-endian
 * length and its bytes (ISO/IEC 14496-15, lengthSizeMinusOne = 3).
 */
final class LengthPrefixedNalUnits {

    private static final int MIN_SI24 = -(1 << 23);
    private static final int MAX_SI24 = (1 << 23) - 1;

    private LengthPrefixedNalUnits() {
    }

    /** True if {@code compositionTimeMs} fits an SI24 field (-8388608..8388607). */
    static boolean fitsSi24(int compositionTimeMs) {
        return compositionTimeMs >= MIN_SI24 && compositionTimeMs <= MAX_SI24;
    }

    /**
     * Returns the bytes {@link #write} will append: 4 + length per NAL unit. Borrows every NAL unit buffer.
     *
     * @throws IllegalArgumentException if a NAL unit has no readable bytes
     */
    static int encodedLength(List<ByteBuf> nalUnits) {
        int total = 0;
        for (int i = 0; i < nalUnits.size(); i++) {
            int length = nalUnits.get(i).readableBytes();
            if (length == 0) {
                throw new IllegalArgumentException("NAL unit " + i + " of the access unit is empty");
            }
            total += 4 + length;
        }
        return total;
    }

    /**
     * Appends each NAL unit as a 4-byte big-endian length and its readable bytes. Borrows {@code out} and every
     * NAL unit buffer; their reader indexes are not moved.
     */
    static void write(ByteBuf out, List<ByteBuf> nalUnits) {
        for (int i = 0; i < nalUnits.size(); i++) { // indexed: an iterator per frame is garbage
            ByteBuf nal = nalUnits.get(i);
            out.writeInt(nal.readableBytes());
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
    }
}
