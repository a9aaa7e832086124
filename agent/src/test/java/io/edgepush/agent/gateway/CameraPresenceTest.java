package io.edgepush.agent.gateway;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 4 item 2 over a real broker: a camera that goes away is marked offline with a retained
 * {@code devices/{id}/status}, its stream is paused (no stream_stopped, state stays streaming), and when the
 * camera comes back it is online again and the same publish goes on at a keyframe with increasing DTS.
 */
class CameraPresenceTest {
    private static final String DEVICE = "PRES_CAM";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String PRESENCE = "devices/" + DEVICE + "/status";
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";

    @Test
    void cameraLeavingIsOfflineAndPausedThenResumes(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "presence-observer").subscribe("#");
             GatewayAgent agent = GatewayAgent.start(config(broker.url(), nginx.port()))) {
            mqtt.await("gateways/pres-gw/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                    "gateway online");
            StreamSession session = agent.sessions().get(0);
            try (SimulatedCamera camera = camera(clip, agent)) {
                mqtt.await(PRESENCE, j -> j.path("state").asText().equals("online"), DEADLINE, "camera online");
                Await.until(() -> session.metrics().framesSent() >= 25, DEADLINE, "first frames sent");
            }
            mqtt.await(PRESENCE, j -> j.path("state").asText().equals("offline"), DEADLINE, "camera offline");
            try (MqttTestClient late = MqttTestClient.connect(broker.url(), "late").subscribe(PRESENCE)) {
                MqttTestClient.Received retained = late.next(DEADLINE);
                assertTrue(retained.retained(), "presence is retained");
                assertEquals("offline", retained.json().path("state").asText());
            }
            assertEquals(SessionState.STREAMING, session.state(), "paused, not failed or stopped");
            long before = session.metrics().framesSent();
            int onlineBefore = mqtt.findAll(PRESENCE, j -> j.path("state").asText().equals("online")).size();
            try (SimulatedCamera camera = camera(clip, agent)) {
                Await.until(() -> mqtt.findAll(PRESENCE, j -> j.path("state").asText().equals("online")).size()
                        > onlineBefore, DEADLINE, "camera online again");
                Await.until(() -> session.metrics().framesSent() >= before + 25, DEADLINE, "frames after return");
            }
            assertTrue(mqtt.findAll(STATUS, j -> j.path("event").asText().equals("stream_stopped")).isEmpty(),
                    "no stream_stopped while the camera was away");
            assertTrue(session.stop().get() , "stop");
            mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_stopped"), DEADLINE, "stream_stopped");
            long sent = session.metrics().framesSent();
            Path copy = Files.copy(nginx.awaitRecordingClosed(DEVICE, DEADLINE), dir.resolve("presence.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
            assertEquals(sent, Ffprobe.countFrames(copy), "every frame sent was recorded");
            List<Long> dts = Ffprobe.packetDtsMs(copy);
            for (int i = 1; i < dts.size(); i++) {
                assertTrue(dts.get(i) > dts.get(i - 1), "DTS strictly increasing across the pause: " + dts);
            }
        }
    }

    private static SimulatedCamera camera(Clip clip, GatewayAgent agent) {
        return SimulatedCamera.start(new CameraOptions(DEVICE, clip, 25, "127.0.0.1", agent.cameraPort(), true), null);
    }

    private static AgentConfig config(String brokerUrl, int nginxPort) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "pres-gw",
                 "mqtt": {"broker_url": "%s"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"metrics_interval_sec": 1},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                     "rtmp": {"url_template": "rtmp://127.0.0.1:%d/live/{device_id}"}}]}],
                 "accept_unknown_cameras": false}
                """.formatted(brokerUrl, DEVICE, nginxPort));
    }
}
