package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;

/**
 * Conversion of a NAL unit payload to its RBSP by removing emulation_prevention_three_byte
 * (ISO/IEC 14496-10 7.3.1 and 7.4.1: within the NAL unit, 0x000003 is followed by the 0x03 being dropped).
 */
final class Rbsp {
    private Rbsp() {
    }

    /**
     * RBSP bytes of a NAL unit, without the header byte.
     *
     * @param nal borrowed; starts with the NAL unit header byte; not modified
     * @param maxRbspBytes stop after this many RBSP bytes (e.g. to read only a slice header); use
     *     {@code Integer.MAX_VALUE} for all
     * @return a new heap array holding at most {@code maxRbspBytes} RBSP bytes
     * @throws H264Exception if {@code nal} is empty
     */
    public static byte[] fromNal(ByteBuf nal, int maxRbspBytes) {
        if (!nal.isReadable()) {
            throw new H264Exception("empty NAL unit: no header byte");
        }
        return unescape(nal, nal.readerIndex() + 1, nal.writerIndex(), maxRbspBytes);
    }

    /**
     * Removes emulation prevention bytes from {@code buf[from, to)}.
     *
     * @param buf borrowed; not modified
     * @param from absolute start index (first byte after the NAL header)
     * @param to absolute end index, exclusive
     * @param maxRbspBytes stop after this many output bytes
     * @return a new heap array with the unescaped bytes
     */
    public static byte[] unescape(ByteBuf buf, int from, int to, int maxRbspBytes) {
        int cap = Math.min(Math.max(0, to - from), maxRbspBytes);
        byte[] out = new byte[cap];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to && n < cap; i++) {
            byte b = buf.getByte(i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n == cap ? out : java.util.Arrays.copyOf(out, n);
    }
}
