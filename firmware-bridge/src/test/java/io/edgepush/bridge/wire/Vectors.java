package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** PROTOCOL.md section 5 test vectors, copied by hand; CRCs computed with Python zlib.crc32. */
public final class Vectors {
    public static final String HELLO = "45 50 01 01 00 00 00 00 00 00 00 00 00 00 00 0f 42 40 00 00 00 29 8a f7 9a 4f"
            + " 0f 45 53 50 33 32 50 34 5f 43 41 4d 5f 30 30 31 05 31 2e 32 2e 33 04 68 32 36 34"
            + " 00 00 00 7f 07 80 04 38 00 19 00 1e 84 80 64 24 cb a3";
    public static final String VIDEO_MAIN_KEY = "45 50 01 02 01 00 00 00 00 01 00 00 00 00 00 0f de 80 00 00 00 0e"
            + " 3d de f8 0a 00 00 00 01 09 10 00 00 00 01 65 88 84 ff 52 47 78 a1";
    public static final String VIDEO_SUB = "45 50 01 02 00 01 ff ff ff ff 01 02 03 04 05 06 07 08 00 00 00 05"
            + " 10 e7 d3 ad 00 00 01 41 9a 5c a7 81 20";
    public static final String EVENT = "45 50 01 03 00 00 00 00 00 02 00 00 00 00 00 26 25 a0 00 00 00 09"
            + " c2 71 8d 4f 01 00 06 7a 6f 6e 65 3d 31 52 34 f9 59";
    public static final String HEARTBEAT = "45 50 01 04 00 00 00 00 00 03 00 00 00 00 00 2d c6 c0 00 00 00 08"
            + " 29 3b a5 8c 00 00 00 03 00 00 00 00 26 10 da 1c";
    public static final String CONTROL = "45 50 01 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 09"
            + " 99 12 82 12 00 00 00 07 01 00 0f 42 40 7c 50 6f aa";
    public static final String CONTROL_IDR_SUB = "45 50 01 10 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 09"
            + " c3 22 90 d4 00 00 00 08 05 00 00 00 00 b8 f3 71 b5";
    public static final String ACK = "45 50 01 11 00 00 00 00 00 04 00 00 00 00 00 2f 4d 60 00 00 00 05"
            + " 94 fe 03 7d 00 00 00 07 00 6f 51 a5 11";
    public static final String OVERSIZE_HEADER = "45 50 01 02 00 00 00 00 00 09 00 00 00 00 00 00 00 00 ff ff ff ff"
            + " de 16 2d 46";

    private Vectors() {
    }

    /** Bytes of a hex string with optional spaces; unpooled, caller releases. */
    public static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    public static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    public static String plain(String hex) {
        return hex.replace(" ", "");
    }
}
