package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stateful decoder of incoming RTMP chunks into messages (Adobe RTMP specification 5.3).
 *
 * <p>Keeps per chunk stream state for header decompression (types 0-3, 5.3.1.2), reads the Extended Timestamp
 * after 0xFFFFFF and on type 3 chunks whose stream's last type 0/1/2 header had one (5.3.1.3), and reassembles
 * messages split into chunks. A type 3 chunk starting a new message adds the delta of the last type 1/2 header
 * (0 after a type 0 header). Set Chunk Size (5.4.1) and Abort (5.4.2) take effect inside the reader, before the
 * next chunk is parsed, and are still delivered to the sink. Not thread safe.
 *
 * <p>Errors ({@link RtmpException} with RTMP_PROTOCOL_ERROR): message longer than the configured maximum,
 * chunk size 0 or with the high bit set, a type 1/2/3 header on a chunk stream without a previous type 0
 * header, a type 0/1/2 header while a message on that chunk stream is incomplete, too many incomplete messages.
 * After an error the connection should be closed and {@link #release()} called.
 */
final class ChunkReader {
    /** Most chunk streams that may have a partly received message at the same time. */
    public static final int MAX_INCOMPLETE_MESSAGES = 64;
    private static final long UINT32_MASK = 0xFFFFFFFFL;
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private static final class StreamState {
        int messageStreamId;
        int typeId;
        int length;
        long timestamp;
        long delta;
        boolean extended;
        ByteBuf partial;
    }

    private final ByteBufAllocator alloc;
    private final int maxMessageBytes;
    private final Map<Integer, StreamState> streams = new HashMap<>();
    private int chunkSize = ChunkHeaders.DEFAULT_CHUNK_SIZE;
    private int incomplete;

    /**
     * @param alloc           allocator for reassembled message payloads (use a pooled one)
     * @param maxMessageBytes largest accepted message length; longer ones are a protocol error
     */
    public ChunkReader(ByteBufAllocator alloc, int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        this.alloc = alloc;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The incoming chunk size in bytes (128 until the peer sends Set Chunk Size). */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Decodes every complete chunk in {@code in} (borrowed). Bytes of an incomplete chunk are left unread for
     * the next call. Each completed message goes to {@code sink}, which takes ownership of it (also if it
     * throws).
     *
     * @throws RtmpException RTMP_PROTOCOL_ERROR on malformed input (see class doc)
     */
    public void read(ByteBuf in, Consumer<RtmpMessage> sink) throws RtmpException {
        while (true) {
            RtmpMessage message = readChunk(in);
            if (message == null) {
                return;
            }
            if (message.typeId() == MessageType.SET_CHUNK_SIZE || message.typeId() == MessageType.ABORT) {
                applyControl(message);
            }
            sink.accept(message);
        }
    }

    /** Releases the payloads of partly received messages. Call once when the connection ends. */
    public void release() {
        for (StreamState state : streams.values()) {
            if (state.partial != null) {
                state.partial.release();
                state.partial = null;
            }
        }
        incomplete = 0;
    }

    /** Parses one chunk if completely present; returns a completed message or null (need more/keep going). */
    private RtmpMessage readChunk(ByteBuf in) throws RtmpException {
        while (true) {
            int start = in.readerIndex();
            int available = in.readableBytes();
            if (available < 1) {
                return null;
            }
            int b0 = in.getUnsignedByte(start);
            int fmt = b0 >>> 6;
            int csid = b0 & 0x3F;
            int pos = start + 1;
            if (csid == 0) {
                if (available < 2) {
                    return null;
                }
                csid = 64 + in.getUnsignedByte(pos);
                pos += 1;
            } else if (csid == 1) {
                if (available < 3) {
                    return null;
                }
                csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
                pos += 2;
            }
            int end = start + available;
            if (end - pos < ChunkHeaders.MESSAGE_HEADER_SIZE[fmt]) {
                return null;
            }
            StreamState state = streams.get(csid);
            if (state == null && fmt != 0) {
                throw protocolError("chunk stream " + csid + " starts with a type " + fmt
                        + " chunk header; its first chunk must have a type 0 header");
            }
            boolean continuation = state != null && state.partial != null;
            if (continuation && fmt != 3) {
                throw protocolError("type " + fmt + " chunk header on chunk stream " + csid + " while a message of "
                        + state.length + " bytes still misses " + (state.length - state.partial.writerIndex()) + " bytes");
            }
            long field = 0;
            int length = fmt <= 1 ? in.getUnsignedMedium(pos + 3) : state.length;
            int typeId = fmt <= 1 ? in.getUnsignedByte(pos + 6) : state.typeId;
            int messageStreamId = fmt == 0 ? in.getIntLE(pos + 7) : state.messageStreamId;
            boolean extended;
            if (fmt <= 2) {
                field = in.getUnsignedMedium(pos);
                extended = field == ChunkHeaders.EXTENDED_TIMESTAMP_MARKER;
            } else {
                extended = state.extended;
            }
            pos += ChunkHeaders.MESSAGE_HEADER_SIZE[fmt];
            if (extended) {
                if (end - pos < 4) {
                    return null;
                }
                if (fmt <= 2) {
                    field = in.getUnsignedInt(pos);
                }
                pos += 4;
            }
            if (!continuation && length > maxMessageBytes) {
                throw protocolError("message of " + length + " bytes (" + MessageType.name(typeId)
                        + ") on chunk stream " + csid + " exceeds the limit of " + maxMessageBytes + " bytes");
            }
            int remaining = continuation ? state.length - state.partial.writerIndex() : length;
            int dataBytes = Math.min(chunkSize, remaining);
            if (end - pos < dataBytes) {
                return null;
            }
            if (!continuation) {
                if (incomplete >= MAX_INCOMPLETE_MESSAGES && length > dataBytes) {
                    throw protocolError("more than " + MAX_INCOMPLETE_MESSAGES + " chunk streams with incomplete messages");
                }
                if (state == null) {
                    state = new StreamState();
                    streams.put(csid, state);
                }
                startMessage(state, fmt, field, extended, length, typeId, messageStreamId);
                // grows as chunks arrive: a peer cannot make us reserve memory it has not sent
                state.partial = alloc.buffer(Math.min(length, INITIAL_PAYLOAD_CAPACITY), length);
                if (length > dataBytes) {
                    incomplete++;
                }
            }
            in.readerIndex(pos);
            state.partial.writeBytes(in, dataBytes);
            if (state.partial.writerIndex() == state.length) {
                ByteBuf payload = state.partial;
                state.partial = null;
                if (continuation) {
                    incomplete--;
                }
                return new RtmpMessage(state.typeId, state.messageStreamId, (int) state.timestamp, payload);
            }
        }
    }

    private static void startMessage(StreamState state, int fmt, long field, boolean extended, int length,
                                     int typeId, int messageStreamId) {
        switch (fmt) {
            case 0 -> {
                state.timestamp = field;
                state.delta = 0;
            }
            case 1, 2 -> {
                state.delta = field;
                state.timestamp = (state.timestamp + field) & UINT32_MASK;
            }
            default -> state.timestamp = (state.timestamp + state.delta) & UINT32_MASK;
        }
        if (fmt <= 2) {
            state.extended = extended;
        }
        state.length = length;
        state.typeId = typeId;
        state.messageStreamId = messageStreamId;
    }

    private void applyControl(RtmpMessage message) throws RtmpException {
        ByteBuf payload = message.payload();
        if (payload.readableBytes() < 4) {
            message.release();
            throw protocolError(MessageType.name(message.typeId()) + " payload has " + payload.readableBytes()
                    + " bytes, expected 4");
        }
        int value = payload.getInt(payload.readerIndex());
        if (message.typeId() == MessageType.SET_CHUNK_SIZE) {
            if (value <= 0) {
                message.release();
                throw protocolError("peer set chunk size to " + Integer.toUnsignedString(value)
                        + "; it must be 1..2147483647");
            }
            chunkSize = value;
        } else {
            StreamState aborted = streams.get(value);
            if (aborted != null && aborted.partial != null) {
                aborted.partial.release();
                aborted.partial = null;
                incomplete--;
            }
        }
    }

    private static RtmpException protocolError(String message) {
        return new RtmpException(RtmpErrorCode.RTMP_PROTOCOL_ERROR, message);
    }
}
