package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/** Turns a decoded {@link Frame} into its {@link WireMessage} (PROTOCOL.md section 3), plus range checks. */
final class Messages {
    private Messages() {
    }

    /**
     * Decodes the message in {@code frame}. TAKES OWNERSHIP of the frame: a VIDEO frame's payload
     * moves into the returned {@link VideoFrame} (caller owns it); for every other type, and on
     * any exception, the payload is released here.
     *
     * @return the message, or null when the type byte is not defined in v1 (frame released)
     * @throws WireException if the payload is malformed for its type
     */
    public static WireMessage decode(Frame frame) {
        MessageType type = frame.type();
        if (type == MessageType.VIDEO) {
            if (!frame.payload().isReadable()) {
                frame.release();
                throw new WireException("VIDEO seq " + frame.sequence() + ": empty access unit");
            }
            return new VideoFrame(frame.streamId(), frame.sequence(), frame.timestampUs(),
                    (frame.flags() & Frame.FLAG_KEYFRAME) != 0, frame.payload());
        }
        try {
            ByteBuf in = frame.payload();
            if (type == null) {
                return null;
            }
            return switch (type) {
                case HELLO -> Hello.read(in);
                case EVENT -> Event.read(frame.streamId(), frame.timestampUs(), in);
                case HEARTBEAT -> Heartbeat.read(in);
                case CONTROL -> Control.read(frame.streamId(), in);
                case ACK -> Ack.read(frame.streamId(), in);
                case VIDEO -> throw new IllegalStateException("unreachable");
            };
        } finally {
            frame.release();
        }
    }

    static void need(ByteBuf in, int n, String what) {
        if (in.readableBytes() < n) {
            throw new WireException("truncated " + what + ": need " + n + " bytes, have " + in.readableBytes()
                    + " at payload offset " + in.readerIndex());
        }
    }

    static void checkU8(int v, String field) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(field + " must be 0..255, got " + v);
        }
    }

    static void checkU16(int v, String field) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(field + " must be 0..65535, got " + v);
        }
    }

    static void checkU32(long v, String field) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " must be 0..4294967295, got " + v);
        }
    }
}
