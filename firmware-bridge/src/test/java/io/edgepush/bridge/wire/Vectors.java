package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PROTOCOL.md section 5 test vectors, loaded from {@code src/test/resources/vectors/*.hex}: the one copy that
 * the Java tests, the C reference's host test (firmware-bridge/esp32/test/test_vectors.c) and PROTOCOL.md
 * (checked by {@link ProtocolDocVectorsTest}) all share. Each constant is the frame as spaced lower-case hex.
 * The bytes were written by hand from the spec; the CRCs were computed with Python's zlib.crc32.
 */
public final class Vectors {
    /** Names of every vector file, without ".hex". */
    public static final List<String> NAMES = List.of("hello", "video_main_key", "video_sub", "event", "heartbeat",
            "control", "control_idr_sub", "ack", "ack_applied", "oversize_header");

    public static final String HELLO = load("hello");
    public static final String VIDEO_MAIN_KEY = load("video_main_key");
    public static final String VIDEO_SUB = load("video_sub");
    public static final String EVENT = load("event");
    public static final String HEARTBEAT = load("heartbeat");
    public static final String CONTROL = load("control");
    public static final String CONTROL_IDR_SUB = load("control_idr_sub");
    public static final String ACK = load("ack");
    public static final String ACK_APPLIED = load("ack_applied");
    public static final String OVERSIZE_HEADER = load("oversize_header");

    private Vectors() {
    }

    /**
     * The vector {@code vectors/<name>.hex} from the test classpath as spaced lower-case hex ("45 50 01 ...").
     * Lines may carry {@code #} comments; all whitespace between byte pairs is insignificant.
     *
     * @throws IllegalStateException if the file is missing or is not whole hex bytes
     */
    public static String load(String name) {
        String resource = "/vectors/" + name + ".hex";
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test vector " + resource + " not on the classpath");
            }
            return normalise(new String(in.readAllBytes(), StandardCharsets.US_ASCII), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spaced lower-case hex of a .hex text: {@code #} comments dropped, whitespace ignored. */
    static String normalise(String text, String what) {
        String digits = text.replaceAll("#[^\n]*", "").replaceAll("\\s+", "").toLowerCase();
        if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.matches("[0-9a-f]+")) {
            throw new IllegalStateException(what + ": not a whole number of hex bytes");
        }
        StringBuilder out = new StringBuilder(digits.length() * 3 / 2);
        for (int i = 0; i < digits.length(); i += 2) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, i + 2);
        }
        return out.toString();
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
