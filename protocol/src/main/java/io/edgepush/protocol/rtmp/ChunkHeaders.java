package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * Constants and the basic header encoding of the RTMP chunk format (Adobe RTMP specification 5.3.1).
 */
final class ChunkHeaders {
    /** Lowest chunk stream id usable for messages (0 and 1 mark the 2- and 3-byte basic header forms). */
    public static final int MIN_CSID = 2;
    /** Highest chunk stream id (3-byte form: 64 + 65535). */
    public static final int MAX_CSID = 65599;
    /** Chunk stream id reserved for protocol control messages (5.4). */
    public static final int CSID_CONTROL = 2;
    /** Chunk size both sides start with (5.4.1). */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    /** Largest chunk size a Set Chunk Size message may carry (31 bits, 5.4.1). */
    public static final int MAX_CHUNK_SIZE = 0x7FFFFFFF;
    /** Timestamp field value that announces an Extended Timestamp (5.3.1.3). */
    public static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    /** Largest message length the 3-byte message length field can carry. */
    public static final int MAX_MESSAGE_LENGTH = 0xFFFFFF;
    /** Message header sizes by fmt 0..3 (5.3.1.2). */
    static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private ChunkHeaders() {
    }

    /**
     * Writes a chunk basic header (5.3.1.1) in its shortest form: 1 byte for csid 2..63, 2 bytes for 64..319,
     * 3 bytes for 320..65599.
     *
     * @throws IllegalArgumentException for fmt outside 0..3 or csid outside 2..65599
     */
    public static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (fmt < 0 || fmt > 3) {
            throw new IllegalArgumentException("chunk fmt must be 0..3, got " + fmt);
        }
        checkCsid(csid);
        if (csid < 64) {
            out.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte(fmt << 6 | 1);
            out.writeByte((csid - 64) & 0xFF);
            out.writeByte((csid - 64) >>> 8);
        }
    }

    /** Size in bytes of the shortest basic header for {@code csid}. */
    public static int basicHeaderSize(int csid) {
        return csid < 64 ? 1 : csid < 320 ? 2 : 3;
    }

    /** @throws IllegalArgumentException unless 2 <= csid <= 65599 */
    public static void checkCsid(int csid) {
        if (csid < MIN_CSID || csid > MAX_CSID) {
            throw new IllegalArgumentException("chunk stream id must be " + MIN_CSID + ".." + MAX_CSID + ", got " + csid);
        }
    }
}
