package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * One access unit from a camera: the VIDEO message (type 0x02, PROTOCOL.md section 3.2). Outside this package a
 * VIDEO message is {@link WireCodec#video} and {@link WireCodec.Receiver#onVideo}.
 *
 * <p>Ownership: a VideoFrame OWNS {@link #annexB}. Whoever holds the frame releases it exactly
 * once ({@link #release()}) or hands it on.
 *
 * @param streamId      0 main, 1 sub (0..255)
 * @param sequence      u32 per-stream sequence number of the frame
 * @param captureTimeUs camera capture clock, microseconds
 * @param keyframe      the access unit contains an IDR/IRAP picture (frame flags bit0)
 * @param annexB        the access unit, Annex B byte stream (start codes), at least 1 byte
 */
record VideoFrame(int streamId, long sequence, long captureTimeUs, boolean keyframe, ByteBuf annexB)
        implements WireMessage {
    public VideoFrame {
        if (streamId < 0 || streamId > 255) {
            throw new IllegalArgumentException("stream_id must be 0..255, got " + streamId);
        }
        if (sequence < 0 || sequence > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sequence must be a u32, got " + sequence);
        }
        if (annexB == null) {
            throw new IllegalArgumentException("annexB must not be null");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.VIDEO;
    }

    @Override
    public int flags() {
        return keyframe ? Frame.FLAG_KEYFRAME : 0;
    }

    @Override
    public int payloadLength() {
        return annexB.readableBytes();
    }

    /** Copies the readable bytes of {@link #annexB} into {@code out}; borrows both, indices of annexB unchanged. */
    @Override
    public void writePayload(ByteBuf out) {
        out.writeBytes(annexB, annexB.readerIndex(), annexB.readableBytes());
    }

    /** Releases {@link #annexB} (exactly once). */
    public void release() {
        annexB.release();
    }
}
