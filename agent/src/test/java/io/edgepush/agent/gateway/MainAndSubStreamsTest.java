package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.FixtureAccessUnits;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.bridge.transport.CameraClient;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 item 1: the main and sub streams of one camera are independent sessions keyed by (camera_id,
 * stream_id). The sub stream's server refuses connections, so its session keeps reconnecting; the main stream,
 * fed by the same camera link, publishes every frame to nginx-rtmp and never leaves streaming.
 */
class MainAndSubStreamsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void aFailingSubStreamNeverDisturbsTheMainStreamOfTheSameCamera(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        List<List<byte[]>> clip = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "dual-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"initial_retry_delay_ms": 200, "max_retry_delay_ms": 400,
                                   "max_retry_attempts": 1000, "enable_frame_dropping": false},
                     "cameras": [{"device_id": "DUAL_CAM", "camera_id": 7, "streams": [
                       {"stream_id": 0, "stream_name": "main", "quality": "medium", "trigger": "always_on",
                        "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/dual_main"]}},
                       {"stream_id": 1, "stream_name": "sub", "quality": "low", "trigger": "always_on",
                        "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/dual_sub"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), nginx.port(), FreePorts.tcp()));
            long mainFrames;
            try (GatewayAgent agent = GatewayAgent.start(config);
                 CameraClient camera = CameraClient.tcp("127.0.0.1", agent.cameraPort())) {
                StreamSession main = agent.sessions().stream().filter(s -> s.streamName().equals("main")).findFirst()
                        .orElseThrow();
                StreamSession sub = agent.sessions().stream().filter(s -> s.streamName().equals("sub")).findFirst()
                        .orElseThrow();
                assertEquals(List.of(7, 7), List.of(main.cameraId(), sub.cameraId()));
                assertEquals(List.of(0, 1), List.of(main.streamId(), sub.streamId()));
                camera.sendHello(new Hello("DUAL_CAM", "test", "h264", 0x3F, 320, 240, 25, 300_000));
                Await.until(() -> main.state() == SessionState.STREAMING, DEADLINE, "main streaming");
                Await.until(() -> sub.status().reconnectAttempts() >= 2, DEADLINE, () -> "sub failing: " + sub.status());
                int[] sent = {0};
                Await.until(() -> {
                    List<byte[]> au = clip.get(sent[0] % clip.size());
                    long captureUs = sent[0] * 40_000L;
                    boolean key = FixtureAccessUnits.isKeyframe(au);
                    camera.sendVideo(0, captureUs, key, FixtureAccessUnits.annexBBuffer(au));
                    camera.sendVideo(1, captureUs, key, FixtureAccessUnits.annexBBuffer(au));
                    sent[0]++;
                    return sent[0] >= clip.size() * 2;
                }, DEADLINE, "two loops of the clip sent on both streams");
                Await.until(() -> main.metrics().framesSent() == sent[0], DEADLINE,
                        () -> "main sent every frame: " + main.metrics().framesSent() + " of " + sent[0]);
                assertEquals(SessionState.STREAMING, main.state());
                assertEquals(0, main.status().reconnectAttempts(), "main never failed");
                assertTrue(sub.state() == SessionState.RECONNECTING || sub.state() == SessionState.CONNECTING,
                        "sub still retrying: " + sub.status());
                assertEquals("RTMP_CONNECT_REFUSED", sub.status().lastErrorCode());
                mainFrames = main.metrics().framesSent();
            }
            Path copy = Files.copy(nginx.awaitRecordingClosed("dual_main", DEADLINE), dir.resolve("main.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy));
            assertEquals(mainFrames, Ffprobe.countFrames(copy), "every main frame recorded");
        }
    }
}
