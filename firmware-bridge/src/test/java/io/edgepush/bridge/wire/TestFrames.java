package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Encoded frames with sequence numbers of the test's choosing, for tests in other packages that write bytes the
 * way a camera (or a broken one) would. {@link WireCodec} numbers frames itself; these do not.
 */
public final class TestFrames {
    private TestFrames() {
    }

    /** A VIDEO frame (timestamp = capture time). BORROWS {@code annexB}; the caller owns the result. */
    public static ByteBuf video(int streamId, long sequence, long captureTimeUs, boolean keyframeFlag, ByteBuf annexB) {
        return FrameEncoder.encode(PooledByteBufAllocator.DEFAULT,
                new VideoFrame(streamId, sequence, captureTimeUs, keyframeFlag, annexB), sequence, captureTimeUs);
    }

    /** A HELLO frame; the caller owns the result. */
    public static ByteBuf hello(Hello hello, long sequence, long timestampUs) {
        return FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, hello, sequence, timestampUs);
    }

    /** Recomputes the header CRC of the frame at {@code frame}'s reader index after a test changed header bytes. */
    public static void fixHeaderCrc(ByteBuf frame) {
        int start = frame.readerIndex();
        frame.setInt(start + Frame.HEADER_CRC_OFFSET, Crc32.of(frame, start, Frame.HEADER_CRC_OFFSET));
    }
}
