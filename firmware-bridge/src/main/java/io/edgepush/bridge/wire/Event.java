package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * EVENT (type 0x03, camera -> gateway), PROTOCOL.md section 3.3.
 *
 * @param streamId    the stream the event concerns (0 if none), 0..255
 * @param timestampUs camera clock at the event, microseconds (frame header timestamp)
 * @param eventType   u8, one of {@code MOTION_START..ERROR}; unknown values pass through
 * @param detail      free text, 0..1024 UTF-8 bytes, never null
 */
public record Event(int streamId, long timestampUs, int eventType, String detail) implements WireMessage {
    public static final int MOTION_START = 1;
    public static final int MOTION_END = 2;
    public static final int ENCODER_STARTED = 3;
    public static final int ENCODER_STOPPED = 4;
    public static final int ERROR = 5;

    public Event {
        Messages.checkU8(streamId, "stream_id");
        Messages.checkU8(eventType, "event_type");
        Strings.utf8(detail, 1024, "detail");
    }

    @Override
    public MessageType type() {
        return MessageType.EVENT;
    }

    @Override
    public int payloadLength() {
        return 3 + detail.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void writePayload(ByteBuf out) {
        byte[] b = detail.getBytes(StandardCharsets.UTF_8);
        out.writeByte(eventType).writeShort(b.length).writeBytes(b);
    }

    /** Parses an EVENT from its frame header values and payload (borrowed). @throws WireException if malformed. */
    static Event read(int streamId, long timestampUs, ByteBuf in) {
        Messages.need(in, 1, "event_type");
        int type = in.readUnsignedByte();
        String detail = Strings.read(in, 2, "detail");
        try {
            return new Event(streamId, timestampUs, type, detail);
        } catch (IllegalArgumentException e) {
            throw new WireException("EVENT: " + e.getMessage());
        }
    }
}
