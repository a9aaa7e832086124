package io.edgepush.agent.gateway;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An always_on stream with a URL template streams as soon as its camera says HELLO, without any MQTT
 * request (the broker here is not even reachable: streaming must not wait for it), and stops cleanly
 * when the camera goes away.
 */
class AlwaysOnStaticUrlTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void alwaysOnStreamStartsWithTheCameraAndStopsWithIt(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "always-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "cameras": [{"device_id": "ALWAYS_CAM", "camera_id": 3,
                       "streams": [{"stream_id": 0, "stream_name": "main", "quality": "medium", "trigger": "always_on",
                         "rtmp": {"url_template": "rtmp://127.0.0.1:%d/live/{device_id}_{stream_name}_{camera_id}"}}]}],
                     "accept_unknown_cameras": false}
                    """.formatted(FreePorts.tcp(), nginx.port()));
            StreamSession session;
            long framesSent;
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                session = agent.sessions().get(0);
                assertEquals(SessionState.IDLE, session.state());
                try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions("ALWAYS_CAM",
                        Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true), null)) {
                    Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "always_on session streaming");
                    Await.until(() -> session.metrics().framesSent() >= 60, DEADLINE, "60 frames sent");
                }
                Await.until(() -> session.state() == SessionState.IDLE, DEADLINE, "session stopped with its camera");
                framesSent = session.metrics().framesSent();
            }
            Path recording = nginx.awaitRecordingClosed("ALWAYS_CAM_main_3", DEADLINE);
            Path copy = Files.copy(recording, dir.resolve("always.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
            assertEquals(framesSent, Ffprobe.countFrames(copy), "every frame sent was recorded");
            assertTrue(Ffprobe.packets(copy).get(0).keyframe(), "recording starts at a keyframe");
        }
    }
}
