package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/** Start code scanning shared by the Annex B readers (ISO/IEC 14496-10 Annex B, start_code_prefix_one_3bytes). */
final class StartCodes {

    private StartCodes() {
    }

    /**
     * Borrows {@code buf}; its indices are not moved.
     *
     * @return absolute index of the next 0x000001 in [from, end), or -1
     */
    static int find(ByteBuf buf, int from, int end) {
        int i = from;
        while (i + 2 < end) {
            int zero = buf.forEachByte(i, end - 2 - i, ByteProcessor.FIND_NUL);
            if (zero < 0) {
                return -1;
            }
            if (buf.getByte(zero + 1) != 0) {
                i = zero + 2;
            } else if (buf.getByte(zero + 2) == 1) {
                return zero;
            } else {
                i = zero + 1;
            }
        }
        return -1;
    }
}
