package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 item 7 with real peers: mosquitto stopped and started again while an agent streams a simulated camera
 * into nginx-rtmp. The stream goes on untouched (every frame the camera sent is in the recording), the status
 * events published meanwhile arrive after the restart in order, the agent subscribes again, and a stop command
 * sent after the restart works. The broker keeps sessions across the restart so the observer misses nothing.
 */
class MqttOutageTest {
    private static final String DEVICE = "OUT_CAM";
    private static final String KEY = "out_cam_key_0123456789";
    private static final String GATEWAY = "out-gw";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String COMMAND = "devices/" + DEVICE + "/stream/command";

    @Test
    void streamKeepsGoingThroughABrokerRestartAndStatusEventsResumeInOrder(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Mosquitto broker = Mosquitto.startPersistent();
             Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connectPersistent(broker.url(), "outage-observer")
                     .subscribe("devices/" + DEVICE + "/#").subscribe("gateways/" + GATEWAY + "/status");
             StreamService cloud = StreamService.start(StreamServiceOptions.of(broker.url(),
                     "rtmp://127.0.0.1:" + nginx.port() + "/live/").withStreamKey(KEY).withClientId("outage-cloud"));
             GatewayAgent agent = GatewayAgent.start(config(broker.url()))) {
            StreamSession session = agent.sessions().get(0);
            mqtt.await("gateways/" + GATEWAY + "/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                    "the agent online (its SUBSCRIBE goes before its presence)");
            mqtt.publish(COMMAND, "{\"command\":\"start\",\"quality\":\"low\",\"command_id\":\"c-1\"}");
            assertTrue(awaitEvent(mqtt, "command_ack", j -> j.path("command_id").asText().equals("c-1"))
                    .path("ok").asBoolean());
            Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "publishing before the camera");
            SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE, clip, 25, "127.0.0.1",
                    agent.cameraPort(), true), null);
            try {
                awaitEvent(mqtt, "stream_metrics", j -> j.path("metrics").path("total_frames").asLong() > 0);

                broker.stop();
                long framesAtStop = session.metrics().framesSent();
                Await.until(() -> session.metrics().framesSent() >= framesAtStop + 50, DEADLINE,
                        "two seconds of video while the broker is down");
                long framesAtLaunch = session.metrics().framesSent();
                int logMark = broker.log().length();
                broker.launch();
                mqtt.reconnect();

                awaitEvent(mqtt, "stream_metrics", j -> j.path("metrics").path("total_frames").asLong() > framesAtLaunch);
                List<Long> totals = mqtt.findAll(STATUS, j -> j.path("event").asText().equals("stream_metrics"))
                        .stream().map(r -> r.json().path("metrics").path("total_frames").asLong()).toList();
                assertTrue(totals.stream().anyMatch(t -> t > framesAtStop && t <= framesAtLaunch),
                        "stream_metrics published during the outage arrive after it (frames " + framesAtStop + ".."
                                + framesAtLaunch + "): " + totals);
                for (int i = 1; i < totals.size(); i++) {
                    assertTrue(totals.get(i) >= totals.get(i - 1), "stream_metrics in publish order: " + totals);
                }
                Await.until(() -> broker.log().substring(logMark).contains("Received SUBSCRIBE from " + GATEWAY),
                        DEADLINE, "the agent to subscribe again after the restart");
            } finally {
                camera.close();
            }
            Await.until(() -> session.metrics().framesSent() == camera.framesSent(), DEADLINE,
                    () -> "every camera frame published: camera " + camera.framesSent() + ", agent "
                            + session.metrics().framesSent());

            mqtt.publish(COMMAND, "{\"command\":\"stop\",\"command_id\":\"c-2\"}");
            assertTrue(awaitEvent(mqtt, "command_ack", j -> j.path("command_id").asText().equals("c-2"))
                    .path("ok").asBoolean());
            JsonNode stopped = awaitEvent(mqtt, "stream_stopped", j -> true);
            assertEquals(camera.framesSent(), stopped.path("final_metrics").path("total_frames_sent").asLong());
            assertEquals(0, stopped.path("final_metrics").path("dropped_frames").asLong());
            assertTrue(mqtt.findAll(STATUS, j -> j.path("event").asText().equals("connection_error")).isEmpty(),
                    "the RTMP publish never broke");
            assertFalse(mqtt.all().stream().anyMatch(r -> r.topic().equals(STATUS) && r.payload().contains(KEY)));

            Path copy = Files.copy(nginx.awaitRecordingClosed(KEY, DEADLINE), dir.resolve("outage.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
            assertEquals(camera.framesSent(), Ffprobe.countFrames(copy), "every frame the camera sent was recorded");
        }
    }

    private static JsonNode awaitEvent(MqttTestClient mqtt, String event, Predicate<JsonNode> match) {
        return mqtt.await(STATUS, j -> j.path("event").asText().equals(event) && match.test(j), DEADLINE, event)
                .json();
    }

    private static AgentConfig config(String brokerUrl) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s", "client_id": "%s", "request_timeout_ms": 5000},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"metrics_interval_sec": 1, "initial_retry_delay_ms": 200, "max_retry_delay_ms": 1000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "on_demand"}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": "127.0.0.1:0"}}
                """.formatted(GATEWAY, brokerUrl, GATEWAY, DEVICE));
    }
}
