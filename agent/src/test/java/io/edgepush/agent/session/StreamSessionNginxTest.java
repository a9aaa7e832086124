package io.edgepush.agent.session;

import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session publishing into a real nginx-rtmp that records everything: start -> streaming, access units fed
 * as a camera would (Annex B, capture time i * 40 ms), stop -> idle with stream_stopped; the recording is
 * checked with ffprobe/ffmpeg. A corrupt access unit in the middle is dropped and counted, and the stream
 * goes on.
 */
class StreamSessionNginxTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static Nginx nginx;
    private static List<List<byte[]>> units;
    private static int firstKeyframe;

    @BeforeAll
    static void startNginx() {
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        nginx = Nginx.start();
        units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        firstKeyframe = 0;
        while (!FixtureAccessUnits.isKeyframe(units.get(firstKeyframe))) {
            firstKeyframe++;
        }
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void streamsEveryAccessUnitFromTheFirstKeyframeAndStopsCleanly() throws Exception {
        int expected = units.size() - firstKeyframe;
        try (SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), nginx.rtmpUrl("session_all"))) {
            startAndAwaitStreaming(f, nginx.rtmpUrl("session_all"));
            for (int i = 0; i < units.size(); i++) {
                feed(f.session, units.get(i), i * 40_000L);
            }
            assertTrue(f.session.stop().get(10, TimeUnit.SECONDS), "stop of a streaming session");
            assertEquals(SessionState.IDLE, f.session.state());
            assertEquals("connecting streaming stopping idle", f.listener.path());
            assertEquals(1, f.listener.stopped.size(), "stream_stopped once");
            SessionMetrics.Snapshot last = f.listener.stopped.get(0);
            assertEquals(expected, last.totalFrames(), "total_frames_sent");
            assertEquals(0, last.droppedFrames(), "dropped_frames");
            assertTrue(last.totalBytes() > 0, "total_bytes_sent");
        }
        Path recording = nginx.awaitRecordingClosed("session_all", TIMEOUT);
        assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors");
        assertEquals(expected, Ffprobe.countFrames(recording), "frames recorded");
        List<Long> dts = Ffprobe.packetDtsMs(recording);
        for (int i = 0; i < dts.size(); i++) {
            assertEquals(i * 40L, dts.get(i), "DTS of packet " + i + " (capture time minus the first keyframe's)");
        }
    }

    @Test
    void corruptAccessUnitIsDroppedAndTheStreamGoesOn() throws Exception {
        int good = units.size() - firstKeyframe;
        int corruptAt = firstKeyframe + good / 2;
        try (SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), nginx.rtmpUrl("session_corrupt"))) {
            startAndAwaitStreaming(f, nginx.rtmpUrl("session_corrupt"));
            for (int i = 0; i < units.size(); i++) {
                if (i == corruptAt) {
                    // an SPS that does not parse: the muxer refuses the access unit
                    feed(f.session, List.of(new byte[] {0x67, (byte) 0xC3, 0x11, 0x00, 0x7F, 0x42}), i * 40_000L);
                }
                feed(f.session, units.get(i), i * 40_000L);
            }
            assertEquals(1, f.session.metrics().framesDropped(), "the corrupt access unit is counted as dropped");
            assertEquals(good, f.session.metrics().framesSent(), "every good access unit is sent");
            assertEquals(SessionState.STREAMING, f.session.state(), "a corrupt frame does not end the stream");
            assertTrue(f.session.stop().get(10, TimeUnit.SECONDS));
            assertEquals(1, f.listener.stopped.get(0).droppedFrames(), "dropped_frames in stream_stopped");
            assertTrue(f.listener.errors.isEmpty(), () -> "connection errors: " + f.listener);
        }
        Path recording = nginx.awaitRecordingClosed("session_corrupt", TIMEOUT);
        assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors");
        assertEquals(good, Ffprobe.countFrames(recording), "frames recorded");
    }

    private static void startAndAwaitStreaming(SessionFixture f, String url) throws Exception {
        assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "start from idle");
        Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT,
                () -> "streaming; " + f.listener + "; nginx log:\n" + nginx.errorLog());
        assertEquals(List.of(url), f.listener.started, "stream_started with the publish URL");
        assertEquals(url, f.session.publishUrl());
    }

    /** Feeds one access unit as the camera path does: a buffer the caller releases after the call. */
    private static void feed(StreamSession session, List<byte[]> accessUnit, long captureTimeUs) {
        session.onAccessUnit(FixtureAccessUnits.accessUnit(accessUnit, captureTimeUs / 1000));
    }
}
