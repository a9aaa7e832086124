package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/** Payload bytes for chunk vectors (hex vectors themselves come from the test kit's HexBytes). */
final class ChunkBytes {
    private ChunkBytes() {
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
}
