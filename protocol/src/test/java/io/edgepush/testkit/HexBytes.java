package io.edgepush.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Consumer;

/**
 * Hand-written byte vectors as hex ("02 00 03 61": pairs of hex digits, spaces ignored) and the hex of what a
 * writer produced, for codec tests that compare bytes written by hand from the spec with the code's output.
 */
public final class HexBytes {
    private HexBytes() {
    }

    /**
     * Bytes of a hex string; spaces ignored.
     *
     * @throws IllegalArgumentException if what remains is not an even number of hex digits
     */
    public static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    /** A pooled buffer holding the bytes of a hex string (spaces ignored); returns a buffer the caller owns and releases. */
    public static ByteBuf buf(String hex) {
        byte[] b = bytes(hex);
        return PooledByteBufAllocator.DEFAULT.buffer(b.length).writeBytes(b);
    }

    /** Lower-case hex without spaces, for comparing a hand-written vector with {@link #written}. */
    public static String hex(String spaced) {
        return spaced.replace(" ", "").toLowerCase();
    }

    /**
     * Runs {@code writer} on a fresh pooled buffer, which it borrows, and returns what it wrote as lower-case hex;
     * the buffer is released afterwards, also when the writer throws.
     */
    public static String written(Consumer<ByteBuf> writer) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }
}
