package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits RTMP messages into chunks (Adobe RTMP specification 5.3) with per chunk stream header compression.
 *
 * <p>For each message the smallest safe message header is chosen (5.3.1.2): type 0 for the first message of a
 * chunk stream, a changed message stream id or a timestamp that goes backwards; type 1 when length or type id
 * changed; type 2 when only the timestamp delta changed; type 3 when length, type id and delta equal those of
 * the previous message AND the previous header carried a delta (type 1 or 2), so readers that treat a type 3
 * after a type 0 differently cannot disagree. Continuation chunks are type 3. A timestamp or delta
 * &gt;= 0xFFFFFF is sent as 0xFFFFFF plus a 4-byte Extended Timestamp (5.3.1.3), repeated on every type 3 chunk
 * of that message.
 *
 * <p>Writing a Set Chunk Size message switches this writer to the new size for all chunks after it. Not
 * thread safe: callers serialise writes (the order of writes must be the order on the wire).
 */
final class ChunkWriter {
    private static final long UINT32_MASK = 0xFFFFFFFFL;

    private static final class StreamState {
        int messageStreamId;
        int typeId;
        int length;
        long timestamp;
        long delta;
        boolean deltaKnown;
    }

    private final Map<Integer, StreamState> streams = new HashMap<>();
    private int chunkSize = ChunkHeaders.DEFAULT_CHUNK_SIZE;

    /** The outgoing chunk size in bytes (128 until a Set Chunk Size message is written). */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Sets the outgoing chunk size without writing a message (for peers that agreed on it otherwise).
     *
     * @throws IllegalArgumentException outside 1..0x7FFFFFFF
     */
    public void setChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2147483647, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /**
     * Upper bound of the bytes {@link #write} produces for a payload of {@code payloadLength} bytes on
     * {@code csid}, for sizing the output buffer.
     */
    public int maxEncodedLength(int csid, int payloadLength) {
        int chunks = payloadLength == 0 ? 1 : (payloadLength + chunkSize - 1) / chunkSize;
        int basic = ChunkHeaders.basicHeaderSize(csid);
        return basic + 11 + 4 + payloadLength + (chunks - 1) * (basic + 4);
    }

    /**
     * Encodes {@code message} as chunks on chunk stream {@code csid} into {@code out}.
     * Borrows the message: its payload is read but neither consumed nor released.
     */
    public void write(ByteBuf out, int csid, RtmpMessage message) {
        write(out, csid, message.typeId(), message.messageStreamId(), message.timestampMs(), message.payload());
    }

    /**
     * Encodes one message as chunks on chunk stream {@code csid} into {@code out}.
     *
     * @param timestampMs unsigned 32-bit timestamp in milliseconds
     * @param payload     borrowed: its readable bytes are copied, reader index unchanged, not released
     * @throws IllegalArgumentException before writing anything, for a csid outside 2..65599, a payload over
     *                                  0xFFFFFF bytes or a Set Chunk Size message with a size below 1
     */
    public void write(ByteBuf out, int csid, int typeId, int messageStreamId, int timestampMs, ByteBuf payload) {
        ChunkHeaders.checkCsid(csid);
        int length = payload.readableBytes();
        if (length > ChunkHeaders.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("RTMP message of " + length + " bytes exceeds the 24-bit length field");
        }
        int newChunkSize = 0;
        if (typeId == MessageType.SET_CHUNK_SIZE && length >= 4) {
            newChunkSize = payload.getInt(payload.readerIndex());
            if (newChunkSize < 1) {
                throw new IllegalArgumentException("Set Chunk Size message carries invalid chunk size "
                        + Integer.toUnsignedString(newChunkSize));
            }
        }
        long timestamp = timestampMs & UINT32_MASK;
        StreamState state = streams.get(csid);
        int fmt;
        long field;
        if (state == null || state.messageStreamId != messageStreamId || timestamp < state.timestamp) {
            fmt = 0;
            field = timestamp;
        } else {
            field = timestamp - state.timestamp;
            if (state.length != length || state.typeId != typeId) {
                fmt = 1;
            } else if (state.deltaKnown && state.delta == field) {
                fmt = 3;
            } else {
                fmt = 2;
            }
        }
        if (state == null) {
            state = new StreamState();
            streams.put(csid, state);
        }
        boolean extended = field >= ChunkHeaders.EXTENDED_TIMESTAMP_MARKER;
        ChunkHeaders.writeBasicHeader(out, fmt, csid);
        if (fmt <= 2) {
            out.writeMedium(extended ? ChunkHeaders.EXTENDED_TIMESTAMP_MARKER : (int) field);
        }
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(typeId);
        }
        if (fmt == 0) {
            out.writeIntLE(messageStreamId);
        }
        if (extended) {
            out.writeInt((int) field);
        }
        state.messageStreamId = messageStreamId;
        state.typeId = typeId;
        state.length = length;
        state.timestamp = timestamp;
        state.deltaKnown = fmt != 0;
        state.delta = fmt == 0 ? 0 : field;

        int offset = payload.readerIndex();
        int end = offset + length;
        int first = Math.min(chunkSize, length);
        out.writeBytes(payload, offset, first);
        offset += first;
        while (offset < end) {
            ChunkHeaders.writeBasicHeader(out, 3, csid);
            if (extended) {
                out.writeInt((int) field);
            }
            int n = Math.min(chunkSize, end - offset);
            out.writeBytes(payload, offset, n);
            offset += n;
        }
        if (newChunkSize > 0) {
            chunkSize = newChunkSize;
        }
    }
}
