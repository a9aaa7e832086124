package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;

/**
 * Start code scanning shared by the Annex B readers (ISO/IEC 14496-10 Annex B, start_code_prefix_one_3bytes).
 *
 * <p>Eight bytes at a time: a start code begins with a zero byte, so a word without one is skipped whole. The zero
 * byte test is the classic {@code (w - 0x01..01) & ~w & 0x80..80}: it flags every zero byte, and may also flag a
 * more significant byte above a real zero (the borrow runs upwards), never a less significant one. Read little-endian,
 * the least significant flagged byte is the first in memory, a real zero byte, and the candidate is checked there.
 *
 * <p>A buffer with a memory address (Netty's pooled direct buffers, what the transports read into) is read through
 * it, with the bounds checked once per call instead of at every word: the agent runs C1-compiled code only (see the
 * launcher), which does not fold {@code getLongLE}'s index, bounds and reference-count checks away, and they cost
 * several times the scan itself.
 */
final class StartCodes {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Words may be read at any address (x86-64, AArch64); elsewhere the ByteBuf path reads them. */
    private static final boolean UNALIGNED = PlatformDependent.isUnaligned();

    private StartCodes() {
    }

    /**
     * Borrows {@code buf}; its indices are not moved.
     *
     * @return absolute index of the next 0x000001 in [from, end), or -1
     */
    static int find(ByteBuf buf, int from, int end) {
        if (UNALIGNED && buf.hasMemoryAddress() && from >= 0 && from <= end && end <= buf.capacity()) {
            if (buf.refCnt() == 0) {
                throw new IllegalReferenceCountException(0);
            }
            return findAt(buf.memoryAddress(), from, end);
        }
        int lastStart = end - 3;
        int i = from;
        while (i + Long.BYTES <= end) {
            long word = buf.getLongLE(i);
            long zeros = (word - ONES) & ~word & HIGHS;
            if (zeros == 0) {
                i += Long.BYTES;
                continue;
            }
            int zero = i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            if (zero > lastStart) {
                return -1;
            }
            byte next = buf.getByte(zero + 1);
            if (next == 0 && buf.getByte(zero + 2) == 1) {
                return zero;
            }
            i = next == 0 ? zero + 1 : zero + 2;
        }
        for (; i <= lastStart; i++) {
            if (buf.getByte(i) == 0 && buf.getByte(i + 1) == 0 && buf.getByte(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #find} over the bytes at {@code address + from .. address + end}, read directly. */
    private static int findAt(long address, int from, int end) {
        int lastStart = end - 3;
        int i = from;
        while (i + Long.BYTES <= end) {
            long word = PlatformDependent.getLong(address + i);
            if (PlatformDependent.BIG_ENDIAN_NATIVE_ORDER) {
                word = Long.reverseBytes(word);
            }
            long zeros = (word - ONES) & ~word & HIGHS;
            if (zeros == 0) {
                i += Long.BYTES;
                continue;
            }
            int zero = i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            if (zero > lastStart) {
                return -1;
            }
            byte next = PlatformDependent.getByte(address + zero + 1);
            if (next == 0 && PlatformDependent.getByte(address + zero + 2) == 1) {
                return zero;
            }
            i = next == 0 ? zero + 1 : zero + 2;
        }
        for (; i <= lastStart; i++) {
            if (PlatformDependent.getByte(address + i) == 0 && PlatformDependent.getByte(address + i + 1) == 0
                    && PlatformDependent.getByte(address + i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }
}
