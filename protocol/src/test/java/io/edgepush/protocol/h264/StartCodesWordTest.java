package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The word-at-a-time search finds exactly what a byte-by-byte search finds, wherever the start code falls, in heap
 * buffers (read through the ByteBuf) and in pooled direct buffers and their slices (read through their memory
 * address).
 */
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

    /** The buffers a search meets: a wrapped array, a pooled direct buffer, a slice of one (an address offset). */
    enum Kind {
        HEAP(bytes -> Unpooled.wrappedBuffer(bytes)),
        POOLED_DIRECT(bytes -> PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes)),
        DIRECT_SLICE(bytes -> {
            ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 5);
            whole.writeZero(5).writeBytes(bytes);
            return whole.slice(5, bytes.length); // shares whole's reference count: releasing it frees whole
        });

        final Function<byte[], ByteBuf> make;

        Kind(Function<byte[], ByteBuf> make) {
            this.make = make;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void startCodesAtEveryOffsetAroundWordBoundaries(Kind kind) {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at + 3 <= length; at++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 0x55);
                bytes[at] = 0;
                bytes[at + 1] = 0;
                bytes[at + 2] = 1;
                ByteBuf b = kind.make.apply(bytes);
                for (int from = 0; from <= length; from++) {
                    assertEquals(naive(b, from, length), StartCodes.find(b, from, length),
                            kind + " length " + length + " start code at " + at + " from " + from);
                }
                b.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void randomStreamsFullOfZerosAndOnesAgreeWithTheByteSearch(Kind kind) {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(64);
            byte[] bytes = new byte[length + 16];
            for (int i = 0; i < bytes.length; i++) {
                int r = random.nextInt(10);
                bytes[i] = (byte) (r < 5 ? 0 : r < 7 ? 1 : r < 8 ? 0x80 : random.nextInt(256));
            }
            int offset = random.nextInt(8);
            byte[] window = java.util.Arrays.copyOfRange(bytes, offset, offset + length + 8);
            ByteBuf b = kind == Kind.HEAP ? Unpooled.wrappedBuffer(bytes, offset, length + 8).slice() // array offset
                    : kind.make.apply(window);
            int end = random.nextInt(b.capacity() + 1);
            int from = end == 0 ? 0 : random.nextInt(end + 1);
            assertEquals(naive(b, from, end), StartCodes.find(b, from, end),
                    kind + " round " + round + " from " + from + " end " + end);
            b.release();
        }
    }

    @Test
    void fourByteStartCodesAndRunsOfZeros() {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0x65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x41, 0, 0, 2, 0, 0});
        assertEquals(8, StartCodes.find(b, 0, b.capacity()));
        assertEquals(-1, StartCodes.find(b, 9, b.capacity()), "00 00 02 and a trailing 00 00 are no start codes");
        assertEquals(-1, StartCodes.find(b, 0, 10), "the 01 lies past the end");
    }

    @Test
    void aDirectBufferIsReadThroughItsAddressAndAReleasedOneIsRefused() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeBytes(new byte[] {9, 9, 9, 0, 0, 1, 9});
        assertTrue(b.hasMemoryAddress(), "pooled direct buffers have an address here (the fast path is tested)");
        assertEquals(3, StartCodes.find(b, 0, b.writerIndex()));
        b.release();
        assertThrows(IllegalReferenceCountException.class, () -> StartCodes.find(b, 0, 7));
    }

    @Test
    void boundsOutsideTheBufferAreCheckedNotReadThroughTheAddress() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(8, 8).writeBytes(new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> StartCodes.find(b, 0, 64));
            assertThrows(IndexOutOfBoundsException.class, () -> StartCodes.find(b, -8, 8));
        } finally {
            b.release();
        }
    }
}
