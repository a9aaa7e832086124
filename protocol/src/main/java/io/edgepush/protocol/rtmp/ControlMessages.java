package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builders and readers for protocol control messages (Adobe RTMP specification 5.4) and User Control messages
 * (6.2, 7.1.7). Built messages have message stream id 0 and timestamp 0 and belong on chunk stream 2; the
 * caller owns each returned message.
 */
final class ControlMessages {
    /** User Control event Stream Begin (7.1.7): 4-byte stream id. */
    public static final int UC_STREAM_BEGIN = 0;
    /** User Control event Stream EOF (7.1.7). */
    public static final int UC_STREAM_EOF = 1;
    /** User Control event Stream Dry (7.1.7). */
    public static final int UC_STREAM_DRY = 2;
    /** User Control event Set Buffer Length (7.1.7): stream id + buffer length in ms. */
    public static final int UC_SET_BUFFER_LENGTH = 3;
    /** User Control event Stream Is Recorded (7.1.7). */
    public static final int UC_STREAM_IS_RECORDED = 4;
    /** User Control event Ping Request (7.1.7): 4-byte server timestamp. */
    public static final int UC_PING_REQUEST = 6;
    /** User Control event Ping Response (7.1.7): echoes the Ping Request timestamp. */
    public static final int UC_PING_RESPONSE = 7;
    /** Set Peer Bandwidth limit type Hard (5.4.5). */
    public static final int LIMIT_HARD = 0;
    /** Set Peer Bandwidth limit type Soft (5.4.5). */
    public static final int LIMIT_SOFT = 1;
    /** Set Peer Bandwidth limit type Dynamic (5.4.5). */
    public static final int LIMIT_DYNAMIC = 2;

    private ControlMessages() {
    }

    /** Set Chunk Size (5.4.1) with the new chunk size in bytes (1..2147483647). Caller owns the result. */
    public static RtmpMessage setChunkSize(ByteBufAllocator alloc, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2147483647, got " + chunkSize);
        }
        return uint32(alloc, MessageType.SET_CHUNK_SIZE, chunkSize);
    }

    /** Abort Message (5.4.2) for chunk stream {@code csid}. Caller owns the result. */
    public static RtmpMessage abort(ByteBufAllocator alloc, int csid) {
        return uint32(alloc, MessageType.ABORT, csid);
    }

    /** Acknowledgement (5.4.3): sequence number = bytes received so far (mod 2^32). Caller owns the result. */
    public static RtmpMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return uint32(alloc, MessageType.ACKNOWLEDGEMENT, (int) sequenceNumber);
    }

    /** Window Acknowledgement Size (5.4.4) in bytes. Caller owns the result. */
    public static RtmpMessage windowAckSize(ByteBufAllocator alloc, int windowBytes) {
        return uint32(alloc, MessageType.WINDOW_ACK_SIZE, windowBytes);
    }

    /** Set Peer Bandwidth (5.4.5): window size in bytes and limit type 0 hard, 1 soft, 2 dynamic. Caller owns. */
    public static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, int windowBytes, int limitType) {
        ByteBuf payload = alloc.buffer(5);
        payload.writeInt(windowBytes);
        payload.writeByte(limitType);
        return new RtmpMessage(MessageType.SET_PEER_BANDWIDTH, 0, 0, payload);
    }

    /** User Control message (6.2) with a 2-byte event type and one 4-byte value. Caller owns the result. */
    public static RtmpMessage userControl(ByteBufAllocator alloc, int eventType, int value) {
        ByteBuf payload = alloc.buffer(6);
        payload.writeShort(eventType);
        payload.writeInt(value);
        return new RtmpMessage(MessageType.USER_CONTROL, 0, 0, payload);
    }

    /**
     * The first 4-byte big-endian value of a control message payload (borrowed, not consumed), unsigned.
     *
     * @throws IllegalArgumentException if the payload is shorter than 4 bytes
     */
    public static long readUInt32(RtmpMessage message) {
        ByteBuf p = message.payload();
        requireBytes(message, 4);
        return p.getUnsignedInt(p.readerIndex());
    }

    /** Event type of a User Control message (borrowed, not consumed). */
    public static int userControlEventType(RtmpMessage message) {
        requireBytes(message, 2);
        return message.payload().getUnsignedShort(message.payload().readerIndex());
    }

    /** The 4-byte value after the event type of a User Control message (borrowed), e.g. a ping timestamp. */
    public static int userControlValue(RtmpMessage message) {
        requireBytes(message, 6);
        return message.payload().getInt(message.payload().readerIndex() + 2);
    }

    private static void requireBytes(RtmpMessage message, int n) {
        if (message.payload().readableBytes() < n) {
            throw new IllegalArgumentException(MessageType.name(message.typeId()) + " payload has "
                    + message.payload().readableBytes() + " bytes, expected at least " + n);
        }
    }

    private static RtmpMessage uint32(ByteBufAllocator alloc, int typeId, int value) {
        ByteBuf payload = alloc.buffer(4);
        payload.writeInt(value);
        return new RtmpMessage(typeId, 0, 0, payload);
    }
}
