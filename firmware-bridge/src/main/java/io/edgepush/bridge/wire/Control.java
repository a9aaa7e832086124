package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * CONTROL (type 0x10, gateway -> camera), PROTOCOL.md section 3.5; answered by an {@link Ack}.
 *
 * @param controlId u32 chosen by the gateway, echoed by the ACK
 * @param op        the operation
 * @param value     u32 operand, meaning per {@link ControlOp}
 * @param streamId  target stream (frame header stream id), 0..255
 */
public record Control(long controlId, ControlOp op, long value, int streamId) implements WireMessage {
    public Control {
        Messages.checkU32(controlId, "control_id");
        Messages.checkU32(value, "value");
        Messages.checkU8(streamId, "stream_id");
        if (op == null) {
            throw new IllegalArgumentException("op must not be null");
        }
    }

    /** A control for the main stream (stream id 0). */
    public Control(long controlId, ControlOp op, long value) {
        this(controlId, op, value, 0);
    }

    /** The SET_RESOLUTION value for {@code width x height} pixels: (width << 16) | height. */
    public static long resolution(int width, int height) {
        Messages.checkU16(width, "width");
        Messages.checkU16(height, "height");
        return ((long) width << 16) | height;
    }

    @Override
    public MessageType type() {
        return MessageType.CONTROL;
    }

    @Override
    public int payloadLength() {
        return 9;
    }

    @Override
    public void writePayload(ByteBuf out) {
        out.writeInt((int) controlId).writeByte(op.code()).writeInt((int) value);
    }

    /**
     * Parses a CONTROL payload (borrowed).
     *
     * @throws UnsupportedControlException if the op byte is not defined in v1 (answer UNSUPPORTED)
     * @throws WireException               if shorter than 9 bytes
     */
    static Control read(int streamId, ByteBuf in) {
        Messages.need(in, 9, "CONTROL payload");
        long id = in.readUnsignedInt();
        int opCode = in.readUnsignedByte();
        long value = in.readUnsignedInt();
        ControlOp op = ControlOp.fromCode(opCode);
        if (op == null) {
            throw new UnsupportedControlException(id, opCode, streamId);
        }
        return new Control(id, op, value, streamId);
    }
}
