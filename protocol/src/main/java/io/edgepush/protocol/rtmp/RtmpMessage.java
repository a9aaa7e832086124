package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * One RTMP message (Adobe RTMP specification 6.1): message type id, message stream id, 32-bit timestamp in
 * milliseconds (unsigned, wraps) and the payload.
 *
 * <p>The record owns {@code payload}: whoever holds the message releases it exactly once, via {@link #release()}
 * or by handing the message to a method documented as "takes ownership".
 *
 * @param typeId          message type id, see {@link MessageType}
 * @param messageStreamId message stream id (0 for protocol control and NetConnection commands)
 * @param timestampMs     timestamp in milliseconds, treated as unsigned 32 bit
 * @param payload         message payload (owned by this message)
 */
record RtmpMessage(int typeId, int messageStreamId, int timestampMs, ByteBuf payload) {

    /** Rejects a null payload or a type id outside 0..255 (a rejected payload stays with the caller). */
    public RtmpMessage {
        if (payload == null) {
            throw new IllegalArgumentException("RTMP message payload must not be null");
        }
        if (typeId < 0 || typeId > 0xFF) {
            throw new IllegalArgumentException("RTMP message type id out of range 0..255: " + typeId);
        }
    }

    /** Releases the payload once. */
    public void release() {
        payload.release();
    }

    @Override
    public String toString() {
        return MessageType.name(typeId) + " msid=" + messageStreamId + " ts=" + Integer.toUnsignedString(timestampMs)
                + " len=" + payload.readableBytes();
    }
}
