package io.edgepush.protocol.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

/** Test helpers for hand-written chunk vectors. */
final class ChunkBytes {
    private ChunkBytes() {
    }

    /** Pooled buffer of a hex string (spaces ignored); caller releases it. */
    static ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
    }

    /** n payload bytes with values start, start+1, ... (mod 256); caller releases it. */
    static ByteBuf payload(int n, int start) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (start + i);
        }
        return PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(bytes);
    }

    /** Hex of n payload bytes as produced by {@link #payload}. */
    static String payloadHex(int n, int start) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", (start + i) & 0xFF));
        }
        return sb.toString();
    }

    /** Normalises "03 00 0A" to "03000a". */
    static String norm(String hex) {
        return hex.replace(" ", "").toLowerCase();
    }
}
