package io.edgepush.protocol.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Consumer;

/** Test helpers: hand-written byte vectors and "what did the writer produce" as hex. */
final class Amf0Bytes {

    private Amf0Bytes() {
    }

    /** Buffer holding the given bytes; caller owns it and releases it. */
    static ByteBuf buf(int... bytes) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(bytes.length);
        for (int x : bytes) {
            b.writeByte(x);
        }
        return b;
    }

    /** Buffer holding the bytes of a hex string (spaces ignored); caller owns it and releases it. */
    static ByteBuf hexBuf(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
    }

    /** Runs the writer on a fresh buffer and returns what it wrote as lower-case hex; the buffer is released. */
    static String written(Consumer<ByteBuf> writer) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    /** Normalises a hand-written hex vector ("02 00 03 61") for comparison with {@link #written}. */
    static String hex(String spaced) {
        return spaced.replace(" ", "").toLowerCase();
    }
}
