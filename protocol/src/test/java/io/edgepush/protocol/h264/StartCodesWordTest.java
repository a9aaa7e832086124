package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time search finds exactly what a byte-by-byte search finds, wherever the start code falls. */
class StartCodesWordTest {

    /** The reference: the first i in [from, end - 3] with bytes 00 00 01 at i. */
    private static int naive(ByteBuf b, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if (b.getByte(i) == 0 && b.getByte(i + 1) == 0 && b.getByte(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void startCodesAtEveryOffsetAroundWordBoundaries() {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at + 3 <= length; at++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 0x55);
                bytes[at] = 0;
                bytes[at + 1] = 0;
                bytes[at + 2] = 1;
                ByteBuf b = Unpooled.wrappedBuffer(bytes);
                for (int from = 0; from <= length; from++) {
                    assertEquals(naive(b, from, length), StartCodes.find(b, from, length),
                            "length " + length + " start code at " + at + " from " + from);
                }
            }
        }
    }

    @Test
    void randomStreamsFullOfZerosAndOnesAgreeWithTheByteSearch() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(64);
            byte[] bytes = new byte[length + 16];
            for (int i = 0; i < bytes.length; i++) {
                int r = random.nextInt(10);
                bytes[i] = (byte) (r < 5 ? 0 : r < 7 ? 1 : r < 8 ? 0x80 : random.nextInt(256));
            }
            int offset = random.nextInt(8);
            ByteBuf b = Unpooled.wrappedBuffer(bytes, offset, length + 8).slice(); // a non-zero array offset
            int end = random.nextInt(b.capacity() + 1);
            int from = end == 0 ? 0 : random.nextInt(end + 1);
            assertEquals(naive(b, from, end), StartCodes.find(b, from, end),
                    "round " + round + " from " + from + " end " + end);
        }
    }

    @Test
    void fourByteStartCodesAndRunsOfZeros() {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0x65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x41, 0, 0, 2, 0, 0});
        assertEquals(8, StartCodes.find(b, 0, b.capacity()));
        assertEquals(-1, StartCodes.find(b, 9, b.capacity()), "00 00 02 and a trailing 00 00 are no start codes");
        assertEquals(-1, StartCodes.find(b, 0, 10), "the 01 lies past the end");
    }
}
