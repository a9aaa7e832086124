package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Consumer;

/** Test helpers: hand-written hex vectors and the hex of what a writer produced. */
final class FlvTestBytes {

    private FlvTestBytes() {
    }

    /** Bytes of a hex string; spaces ignored. */
    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    /** Pooled buffer holding the bytes of a hex string; caller owns it and releases it. */
    static ByteBuf buf(String hex) {
        byte[] b = bytes(hex);
        return PooledByteBufAllocator.DEFAULT.buffer(b.length).writeBytes(b);
    }

    /** Lower-case hex without spaces, for comparing with {@link #written}. */
    static String hex(String spaced) {
        return spaced.replace(" ", "").toLowerCase();
    }

    /** Runs the writer on a fresh pooled buffer and returns what it wrote as hex; the buffer is released. */
    static String written(Consumer<ByteBuf> writer) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }
}
