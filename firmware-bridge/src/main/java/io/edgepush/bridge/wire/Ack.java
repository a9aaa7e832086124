package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * ACK (type 0x11, camera -> gateway), PROTOCOL.md section 3.6: the answer to a {@link Control}.
 *
 * @param controlId the answered CONTROL's id, u32
 * @param status    u8: {@link #OK}, {@link #FAILED}, {@link #UNSUPPORTED}, {@link #INVALID_VALUE}, {@link #BUSY}
 * @param streamId  the CONTROL's stream id, 0..255
 */
public record Ack(long controlId, int status, int streamId) implements WireMessage {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int UNSUPPORTED = 2;
    public static final int INVALID_VALUE = 3;
    public static final int BUSY = 4;

    public Ack {
        Messages.checkU32(controlId, "control_id");
        Messages.checkU8(status, "status");
        Messages.checkU8(streamId, "stream_id");
    }

    /** An ACK on stream 0. */
    public Ack(long controlId, int status) {
        this(controlId, status, 0);
    }

    /** True when status is {@link #OK}. */
    public boolean ok() {
        return status == OK;
    }

    @Override
    public MessageType type() {
        return MessageType.ACK;
    }

    @Override
    public int payloadLength() {
        return 5;
    }

    @Override
    public void writePayload(ByteBuf out) {
        out.writeInt((int) controlId).writeByte(status);
    }

    /** Parses an ACK payload (borrowed). @throws WireException if shorter than 5 bytes. */
    static Ack read(int streamId, ByteBuf in) {
        Messages.need(in, 5, "ACK payload");
        return new Ack(in.readUnsignedInt(), in.readUnsignedByte(), streamId);
    }
}
