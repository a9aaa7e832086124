package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraLinkStats;
import io.edgepush.bridge.StreamSequenceStats;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.TestFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 item 3 over a real socket: garbage, a cut frame, a CRC error, an oversize length and sequence gaps
 * are counted (per link and per stream), never close the link, and never touch another camera.
 */
class ResyncMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final RecordingListener listener = new RecordingListener();
    private TcpCameraServer server;
    private TcpCameraClient bad;
    private TcpCameraClient good;

    @BeforeEach
    void start() throws Exception {
        server = new TcpCameraServer("127.0.0.1", 0);
        server.start(listener);
        bad = TcpCameraClient.connect("127.0.0.1", server.boundPort());
        good = TcpCameraClient.connect("127.0.0.1", server.boundPort());
        bad.sendHello(new Hello("CAM_BAD", "1", "h264", 0, 640, 480, 25, 500_000));
        good.sendHello(new Hello("CAM_GOOD", "1", "h264", 0, 640, 480, 25, 500_000));
        Await.until(() -> listener.connected.size() == 2, WAIT, "two HELLOs");
    }

    @AfterEach
    void stop() {
        bad.close();
        good.close();
        server.close();
    }

    /**
     * One access unit: an IDR slice (0x65) when {@code keyframe}, else a non-IDR slice (0x41); the next byte starts
     * with bit 1 (first_mb_in_slice 0: a new picture) and carries {@code i}.
     */
    private static ByteBuf au(boolean keyframe, int i) {
        return PooledByteBufAllocator.DEFAULT.buffer().writeBytes(
                new byte[] {0, 0, 0, 1, keyframe ? (byte) 0x65 : 0x41, (byte) (0x80 | i)});
    }

    /** A VIDEO frame on {@code streamId} with an explicit sequence number (to make gaps), captured at i ms. */
    private static ByteBuf video(int streamId, long sequence, int i) {
        ByteBuf payload = au(false, i);
        try {
            return TestFrames.video(streamId, sequence, 1000L * i, false, payload);
        } finally {
            payload.release();
        }
    }

    @Test
    void everyKindOfTroubleIsCountedAndTheNextFramesStillArrive() {
        byte[] garbage = new byte[1024 * 1024];
        new Random(42).nextBytes(garbage);
        bad.sendRaw(video(1, 0, 0));
        bad.sendRaw(PooledByteBufAllocator.DEFAULT.buffer().writeBytes(garbage));
        ByteBuf cut = video(1, 1, 1);
        bad.sendRaw(cut.retainedSlice(0, 20));                       // cut inside the header
        cut.release();
        ByteBuf crc = video(1, 2, 2);
        crc.setByte(crc.writerIndex() - 5, crc.getByte(crc.writerIndex() - 5) ^ 0x01); // payload bit flip
        bad.sendRaw(crc);
        ByteBuf oversize = video(1, 3, 3);
        oversize.setInt(18, 3 * 1024 * 1024);                        // length over the 2 MiB maximum
        TestFrames.fixHeaderCrc(oversize);                           // with a valid header CRC
        bad.sendRaw(oversize);
        bad.sendRaw(video(1, 7, 7));                                 // gap: 4, 5, 6 never sent
        bad.sendRaw(video(1, 8, 8));
        for (int i = 0; i < 10; i++) {
            good.sendVideo(0, 1000L * i, i == 0, au(i == 0, i));
        }
        Await.until(() -> listener.videosOf("CAM_BAD").size() == 3 && listener.videosOf("CAM_GOOD").size() == 10,
                WAIT, "the bad camera's valid frames and all of the good camera's");
        assertEquals(List.of(0L, 7L, 8L), listener.videosOf("CAM_BAD").stream().map(v -> v.dtsMs()).toList(),
                "frames 0, 7 and 8 (identified by capture time, i ms) arrive; 1, 2 and 3 are lost to the trouble");
        assertEquals(List.of(1), listener.videosOf("CAM_BAD").stream().map(v -> v.streamId()).distinct().toList());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
                listener.videosOf("CAM_GOOD").stream().map(v -> v.dtsMs()).toList());
        CameraLink link = listener.connected.get("CAM_BAD");
        CameraLinkStats s = link.stats();
        assertTrue(s.bytesSkipped() >= garbage.length, "garbage skipped: " + s);
        assertTrue(s.crcErrors() >= 1, "the flipped frame is a CRC error: " + s);
        assertEquals(1, s.oversizeFrames(), s.toString());
        assertEquals(new StreamSequenceStats(1, 6), link.streamStats(1), "1..6 missing on stream 1");
        assertEquals(StreamSequenceStats.NONE, link.streamStats(2));
        assertEquals(1, s.sequenceGaps());
        assertEquals(6, s.framesLost());
        CameraLink goodLink = listener.connected.get("CAM_GOOD");
        assertEquals(new CameraLinkStats(goodLink.stats().framesDecoded(), 0, 0, 0, 0, 0, 0, 0, 0), goodLink.stats());
        assertTrue(listener.disconnected.isEmpty(), "no link closed");
    }
}
