package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * ACK (type 0x11, camera -> gateway), PROTOCOL.md section 3.6: the answer to a {@link Control}, optionally with the
 * value the camera actually applied.
 *
 * <p>On the wire: control_id u32, status u8 (payload 5 bytes), then, if present, applied_value u32 (payload 9
 * bytes). A 5-byte ACK (an older camera, or an op without a value) reads as {@link #NO_VALUE}; bytes after the
 * known fields are ignored (section 2.4), including 1..3 bytes that do not make a whole applied_value.
 *
 * @param controlId    the answered CONTROL's id, u32
 * @param status       u8: {@link #OK}, {@link #FAILED}, {@link #UNSUPPORTED}, {@link #INVALID_VALUE}, {@link #BUSY}
 * @param streamId     the CONTROL's stream id, 0..255
 * @param appliedValue u32 the camera actually took for the op, in the op's unit (SET_BITRATE bits per second,
 *                     SET_FPS frames per second, SET_RESOLUTION {@code (width << 16) | height}, SET_PRESET the
 *                     preset code), or {@link #NO_VALUE} when absent
 */
public record Ack(long controlId, int status, int streamId, long appliedValue) implements WireMessage {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int UNSUPPORTED = 2;
    public static final int INVALID_VALUE = 3;
    public static final int BUSY = 4;
    /** {@link #appliedValue()} when the ACK carries none (5-byte payload). */
    public static final long NO_VALUE = -1;
    /** Payload bytes without applied_value: control_id u32, status u8. */
    static final int PAYLOAD_BYTES = 5;
    /** Payload bytes with applied_value u32. */
    static final int PAYLOAD_BYTES_WITH_VALUE = 9;

    /** @throws IllegalArgumentException if a field is out of its wire range (appliedValue: u32 or NO_VALUE) */
    public Ack {
        Messages.checkU32(controlId, "control_id");
        Messages.checkU8(status, "status");
        Messages.checkU8(streamId, "stream_id");
        if (appliedValue != NO_VALUE) {
            Messages.checkU32(appliedValue, "applied_value");
        }
    }

    /** An ACK without an applied value ({@link #NO_VALUE}). */
    public Ack(long controlId, int status, int streamId) {
        this(controlId, status, streamId, NO_VALUE);
    }

    /** An ACK on stream 0 without an applied value. */
    public Ack(long controlId, int status) {
        this(controlId, status, 0);
    }

    /** The name of a status byte ({@code OK}, {@code FAILED}, ...), or its number when v1 does not define it. */
    public static String statusName(int status) {
        return switch (status) {
            case OK -> "OK";
            case FAILED -> "FAILED";
            case UNSUPPORTED -> "UNSUPPORTED";
            case INVALID_VALUE -> "INVALID_VALUE";
            case BUSY -> "BUSY";
            default -> String.valueOf(status);
        };
    }

    /** True when status is {@link #OK}. */
    public boolean ok() {
        return status == OK;
    }

    /** True when the ACK carries applied_value (payload 9 bytes), false for {@link #NO_VALUE}. */
    public boolean hasAppliedValue() {
        return appliedValue != NO_VALUE;
    }

    @Override
    public MessageType type() {
        return MessageType.ACK;
    }

    @Override
    public int payloadLength() {
        return hasAppliedValue() ? PAYLOAD_BYTES_WITH_VALUE : PAYLOAD_BYTES;
    }

    @Override
    public void writePayload(ByteBuf out) {
        out.writeInt((int) controlId).writeByte(status);
        if (hasAppliedValue()) {
            out.writeInt((int) appliedValue);
        }
    }

    /**
     * Parses an ACK payload (borrowed): 5 bytes without applied_value, 9 or more with it (more bytes ignored).
     *
     * @throws WireException if shorter than 5 bytes
     */
    static Ack read(int streamId, ByteBuf in) {
        Messages.need(in, PAYLOAD_BYTES, "ACK payload");
        long controlId = in.readUnsignedInt();
        int status = in.readUnsignedByte();
        long applied = in.readableBytes() >= 4 ? in.readUnsignedInt() : NO_VALUE;
        return new Ack(controlId, status, streamId, applied);
    }
}
