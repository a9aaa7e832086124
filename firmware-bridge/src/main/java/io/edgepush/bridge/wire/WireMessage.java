package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * A v1 message: what goes into one frame's type, flags, stream id and payload
 * (PROTOCOL.md section 3). Sequence numbers and send timestamps are added by the sender
 * at encode time ({@link FrameEncoder#encode}).
 */
interface WireMessage {
    /** Frame type. */
    MessageType type();

    /** Frame stream id, 0..255; 0 unless the message concerns a stream. */
    default int streamId() {
        return 0;
    }

    /** Frame flags byte; 0 unless the type defines flags. */
    default int flags() {
        return 0;
    }

    /** Payload size in bytes, as {@link #writePayload} writes it. */
    int payloadLength();

    /** Appends the payload to {@code out} (borrowed; its writer index advances). */
    void writePayload(ByteBuf out);
}
