package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.push.SilentAudioChecks;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session with {@code rtmp.silent_audio} on: camera access units (capture time i * 40 ms) through the frame path
 * into nginx-rtmp; the recording holds every video frame and a silent AAC-LC track as long as the video.
 */
class StreamSessionSilentAudioTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void cameraFramesGetASilentAacTrack() throws Exception {
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        int firstKeyframe = 0;
        while (!FixtureAccessUnits.isKeyframe(units.get(firstKeyframe))) {
            firstKeyframe++;
        }
        try (Nginx nginx = Nginx.start()) {
            String url = nginx.rtmpUrl("session_audio");
            try (SessionFixture f = new SessionFixture(true, new Backoff(50, 200, 3), url)) {
                assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "start from idle");
                Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT,
                        () -> "streaming; " + f.listener + "; nginx log:\n" + nginx.errorLog());
                for (int i = 0; i < units.size(); i++) {
                    f.session.onAccessUnit(FixtureAccessUnits.accessUnit(units.get(i), i * 40L));
                }
                assertTrue(f.session.stop().get(10, TimeUnit.SECONDS), "stop of a streaming session");
                assertTrue(f.listener.errors.isEmpty(), () -> "connection errors: " + f.listener);
            }
            Path recording = nginx.awaitRecordingClosed("session_audio", TIMEOUT);
            assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors (video and audio)");
            assertEquals(units.size() - firstKeyframe, Ffprobe.countFrames(recording), "video frames recorded");
            SilentAudioChecks.assertSilentAacTrack(recording, 25);
        }
    }
}
