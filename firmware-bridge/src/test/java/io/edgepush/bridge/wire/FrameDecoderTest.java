package io.edgepush.bridge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resynchronisation and limits of {@link FrameDecoder} (PROTOCOL.md section 2.4). */
class FrameDecoderTest {
    private final List<Frame> frames = new ArrayList<>();
    private FrameDecoder decoder = new FrameDecoder(PooledByteBufAllocator.DEFAULT, Frame.MAX_PAYLOAD_BYTES);

    @AfterEach
    void releaseAll() {
        frames.forEach(Frame::release);
        decoder.close();
    }

    private void feed(String hex) {
        ByteBuf b = Vectors.buf(hex);
        decoder.feed(b, frames::add);
        b.release();
    }

    private List<Long> sequences() {
        return frames.stream().map(Frame::sequence).toList();
    }

    @Test
    void garbageBeforeAndBetweenFramesIsSkipped() {
        feed("00 45 ff 50 45 45 " + Vectors.EVENT + " 45 50 01 02 13 " + Vectors.HEARTBEAT + " 45");
        assertEquals(List.of(2L, 3L), sequences());
        assertEquals(6 + 5, decoder.bytesSkipped());
        assertEquals(1, decoder.bufferedBytes(), "a trailing 0x45 may start a magic and is kept");
        feed("50"); // "EP" then nothing: still waits for a header
        assertEquals(2, decoder.bufferedBytes());
        assertEquals(2, decoder.framesDecoded());
    }

    @Test
    void cutFrameFollowedByGoodFrame() {
        String cut = Vectors.plain(Vectors.HELLO).substring(0, 2 * 40); // first 40 of 71 bytes
        feed(cut + " " + Vectors.ACK);
        assertEquals(1, frames.size());
        assertEquals(MessageType.ACK, frames.get(0).type());
        assertEquals(4, frames.get(0).sequence());
        assertEquals(1, decoder.crcErrors(), "the cut HELLO fails its frame CRC");
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void frameCrcErrorDropsOnlyThatFrame() {
        byte[] bad = Vectors.bytes(Vectors.VIDEO_MAIN_KEY);
        bad[30] ^= 0x01; // a payload bit
        ByteBuf b = Unpooled.wrappedBuffer(bad);
        decoder.feed(b, frames::add);
        b.release();
        feed(Vectors.HEARTBEAT);
        assertEquals(List.of(3L), sequences());
        assertEquals(1, decoder.crcErrors());
        assertEquals(bad.length, decoder.bytesSkipped());
    }

    @Test
    void headerCrcErrorIsRejectedWithoutWaitingForTheLength() {
        byte[] bad = Vectors.bytes(Vectors.OVERSIZE_HEADER);
        bad[19] = 0x00; // length 0x00ffffff, header CRC now wrong
        bad[18] = 0x00;
        ByteBuf b = Unpooled.wrappedBuffer(bad);
        decoder.feed(b, frames::add);
        b.release();
        feed(Vectors.EVENT);
        assertEquals(List.of(2L), sequences());
        assertEquals(1, decoder.crcErrors());
    }

    @Test
    void oversizeLengthIsRejectedWithoutBufferingOrAllocatingIt() {
        RecordingAllocator alloc = new RecordingAllocator();
        decoder.close();
        decoder = new FrameDecoder(alloc, Frame.MAX_PAYLOAD_BYTES);
        feed(Vectors.OVERSIZE_HEADER + " 00 11 22 33 " + Vectors.EVENT);
        assertEquals(List.of(2L), sequences());
        assertEquals(1, decoder.oversizeFrames());
        assertEquals(0, decoder.bufferedBytes());
        assertTrue(alloc.largestRequest < 4096 + 100, "largest allocation " + alloc.largestRequest);
    }

    @Test
    void configuredLowerMaximumRejectsLargerPayloads() {
        decoder.close();
        decoder = new FrameDecoder(PooledByteBufAllocator.DEFAULT, 8);
        feed(Vectors.VIDEO_MAIN_KEY + " " + Vectors.HEARTBEAT); // 14-byte payload > 8, then 8-byte payload
        assertEquals(List.of(3L), sequences());
        assertEquals(1, decoder.oversizeFrames());
    }

    @Test
    void unknownVersionIsSkipped() {
        byte[] v2 = Vectors.bytes(Vectors.EVENT);
        v2[2] = 0x02;
        ByteBuf b = Unpooled.wrappedBuffer(v2);
        decoder.feed(b, frames::add);
        b.release();
        feed(Vectors.ACK);
        assertEquals(List.of(4L), sequences());
        assertEquals(1, decoder.unsupportedVersions());
    }

    @Test
    void byteAtATimeFeedingDecodesEverything() {
        String all = Vectors.HELLO + " 00 " + Vectors.VIDEO_MAIN_KEY + " " + Vectors.VIDEO_SUB + " "
                + Vectors.EVENT + " " + Vectors.HEARTBEAT + " " + Vectors.ACK;
        for (byte x : Vectors.bytes(all)) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {x});
            decoder.feed(one, frames::add);
            one.release();
        }
        assertEquals(List.of(0L, 1L, 0xFFFF_FFFFL, 2L, 3L, 4L), sequences());
        assertEquals(1, decoder.bytesSkipped());
        assertEquals(0, decoder.crcErrors());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void inputAfterCloseIsIgnored() {
        decoder.close();
        feed(Vectors.ACK);
        assertEquals(0, frames.size());
    }

    /** Records the largest buffer capacity requested, to prove an oversize length is never allocated. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        int largestRequest;

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largestRequest = Math.max(largestRequest, initialCapacity);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
