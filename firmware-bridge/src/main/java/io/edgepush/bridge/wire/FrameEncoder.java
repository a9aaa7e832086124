package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Writes v1 frames (PROTOCOL.md section 2): header, header CRC, payload, frame CRC; big-endian. */
final class FrameEncoder {
    private FrameEncoder() {
    }

    /**
     * Encodes {@code message} as one frame into a new buffer from {@code alloc}; the caller owns
     * the result. Borrows {@code message} (a {@link VideoFrame}'s buffer is
     * copied, not released).
     *
     * @param sequence    u32 sequence number for the message's stream in this direction
     * @param timestampUs frame timestamp, microseconds (VIDEO: capture time)
     * @throws IllegalArgumentException if the payload exceeds {@link Frame#MAX_PAYLOAD_BYTES}
     *                                  or the sequence is not a u32
     */
    public static ByteBuf encode(ByteBufAllocator alloc, WireMessage message, long sequence, long timestampUs) {
        int length = message.payloadLength();
        if (length > Frame.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(message.type() + " payload of " + length + " bytes exceeds "
                    + Frame.MAX_PAYLOAD_BYTES);
        }
        Messages.checkU32(sequence, "sequence");
        ByteBuf out = alloc.buffer(Frame.HEADER_LENGTH + length + Frame.TRAILER_LENGTH);
        try {
            int start = out.writerIndex();
            out.writeByte(Frame.MAGIC_0).writeByte(Frame.MAGIC_1).writeByte(Frame.VERSION)
                    .writeByte(message.type().code()).writeByte(message.flags()).writeByte(message.streamId())
                    .writeInt((int) sequence).writeLong(timestampUs).writeInt(length);
            out.writeInt(Crc32.of(out, start, Frame.HEADER_CRC_OFFSET));
            message.writePayload(out);
            if (out.writerIndex() - start != Frame.HEADER_LENGTH + length) {
                throw new IllegalStateException(message.type() + " wrote " + (out.writerIndex() - start
                        - Frame.HEADER_LENGTH) + " payload bytes, declared " + length);
            }
            out.writeInt(Crc32.of(out, start, Frame.HEADER_LENGTH + length));
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
