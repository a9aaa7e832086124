package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The main job end to end with real peers: mosquitto as broker, a cloud stand-in that follows DESIGN.md
 * section 3 (MQTT 5 response topic and correlation data), the agent, a simulated camera playing a real
 * clip over the bridge protocol, and nginx-rtmp recording what arrives.
 */
class GatewayIntegrationTest {
    private static final String DEVICE = "IT_CAM_001";
    private static final String STREAM_KEY = "it_cam_key_0123456789abcdef";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String COMMAND = "devices/" + DEVICE + "/stream/command";

    @Test
    void startStreamsIntoNginxReportsStatusAndStopsCleanly() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        try (Mosquitto broker = Mosquitto.start();
             Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "it-observer").subscribe("#");
             StreamService cloud = StreamService.start(StreamServiceOptions.of(broker.url(),
                     "rtmp://127.0.0.1:" + nginx.port() + "/live/").withStreamKey(STREAM_KEY))) {
            observer = mqtt;
            GatewayAgent agent = GatewayAgent.start(config(broker.url()));
            SimulatedCamera camera = null;
            try {
                camera = SimulatedCamera.start(new CameraOptions(DEVICE, Clip.load(Fixtures.repoFixture("small.h264")),
                        25, "127.0.0.1", agent.cameraPort(), true), null);
                mqtt.await("devices/" + DEVICE + "/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                        "camera presence online");

                // Malformed commands are logged and, when a command_id can be read, refused; the agent lives on.
                mqtt.publish(COMMAND, "{not json");
                mqtt.publish(COMMAND, "{\"command\":\"fly\",\"command_id\":\"c-bad\"}");
                JsonNode badAck = awaitEvent("command_ack", j -> j.path("command_id").asText().equals("c-bad"));
                assertFalse(badAck.path("ok").asBoolean(true), "unknown command is acknowledged with ok=false");
                assertFalse(badAck.path("error").asText().isEmpty(), "the refusal says why");

                mqtt.publish(COMMAND, "{\"command\":\"start\",\"quality\":\"low\",\"command_id\":\"c-1\"}");
                assertTrue(awaitEvent("command_ack", j -> j.path("command_id").asText().equals("c-1")).path("ok").asBoolean());
                JsonNode started = awaitEvent("stream_started", j -> true);
                assertEquals(3, started.path("state").asInt());
                assertEquals("rtmp://127.0.0.1:" + nginx.port() + "/live/", started.path("server_url").asText());
                assertEquals("it_c***", started.path("stream_key").asText());
                assertEquals("low", started.path("quality").asText());
                assertTrue(started.path("metrics").path("is_connected").asBoolean());
                assertTrue(started.path("metrics").has("fps") && started.path("metrics").has("bitrate_kbps"));
                assertTrue(started.path("timestamp").asLong() > 1_600_000_000L, "timestamp in Unix seconds");

                JsonNode metrics = awaitEvent("stream_metrics", j -> j.path("metrics").path("total_frames").asLong() >= 50);
                for (String field : List.of("fps", "bitrate_kbps", "total_frames", "dropped_frames", "latency_ms",
                        "network_quality", "stream_duration_ms")) {
                    assertTrue(metrics.path("metrics").has(field), "stream_metrics has " + field + ": " + metrics);
                }
                assertTrue(metrics.path("metrics").path("bitrate_kbps").asDouble() > 0);

                mqtt.publish(COMMAND, "{\"command\":\"stop\",\"command_id\":\"c-2\"}");
                assertTrue(awaitEvent("command_ack", j -> j.path("command_id").asText().equals("c-2")).path("ok").asBoolean());
                JsonNode stopped = awaitEvent("stream_stopped", j -> true);
                JsonNode fin = stopped.path("final_metrics");
                for (String field : List.of("total_frames_sent", "total_bytes_sent", "stream_duration_ms", "average_fps",
                        "average_bitrate_kbps", "dropped_frames")) {
                    assertTrue(fin.has(field), "final_metrics has " + field + ": " + stopped);
                }
                long framesSent = fin.path("total_frames_sent").asLong();
                assertTrue(framesSent >= 50, "frames sent: " + framesSent);

                assertRequestFollowsTheContract(mqtt, cloud);
                assertNoSecretPublished(mqtt);

                Path recording = nginx.awaitRecordingClosed(STREAM_KEY, DEADLINE);
                Path copy = Files.createTempFile("it-recording", ".flv");
                Files.copy(recording, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
                assertEquals(framesSent, Ffprobe.countFrames(copy), "every frame sent was recorded");
                assertTrue(Ffprobe.packets(copy).get(0).keyframe(), "recording starts at a keyframe");
                Files.delete(copy);
            } finally {
                if (camera != null) {
                    camera.close();
                }
                agent.close();
            }
            mqtt.await("gateways/it-gw/status", j -> j.path("state").asText().equals("offline"), DEADLINE,
                    "gateway presence offline");
        }
    }

    private MqttTestClient observer;

    private JsonNode awaitEvent(String event, java.util.function.Predicate<JsonNode> match) {
        return observer.await(STATUS, j -> j.path("event").asText().equals(event) && match.test(j), DEADLINE, event)
                .json();
    }

    private static void assertRequestFollowsTheContract(MqttTestClient mqtt, StreamService cloud) {
        MqttTestClient.Received request = mqtt.all().stream()
                .filter(s -> s.topic().equals("devices/" + DEVICE + "/stream/request")).findFirst().orElseThrow();
        JsonNode j = request.json();
        for (String field : List.of("request_id", "device_id", "stream_type", "quality", "max_bitrate",
                "supports_adaptive", "timestamp")) {
            assertTrue(j.has(field), "request has " + field + ": " + j);
        }
        assertEquals("devices/" + DEVICE + "/stream/response", request.responseTopic());
        assertArrayEquals(j.path("request_id").asText().getBytes(StandardCharsets.UTF_8), request.correlationData(),
                "correlation data = UTF-8 bytes of request_id");
        assertEquals(1, cloud.requests().size());
        assertEquals(SeenRequest.Outcome.ANSWERED, cloud.requests().get(0).outcome());
    }

    private static void assertNoSecretPublished(MqttTestClient mqtt) {
        String token = mqtt.all().stream().filter(s -> s.topic().endsWith("/stream/response"))
                .map(s -> s.json().path("token").asText()).findFirst().orElseThrow();
        for (MqttTestClient.Received s : mqtt.all()) {
            if (s.topic().endsWith("/stream/response")) {
                continue; // the cloud's own message
            }
            assertFalse(s.payload().contains(STREAM_KEY), "stream key in full on " + s.topic() + ": " + s.payload());
            assertFalse(s.payload().contains(token), "token in full on " + s.topic() + ": " + s.payload());
        }
    }

    private static AgentConfig config(String brokerUrl) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "it-gw",
                 "mqtt": {"broker_url": "%s", "client_id": "it-gw", "request_timeout_ms": 5000},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"metrics_interval_sec": 1, "initial_retry_delay_ms": 200, "max_retry_delay_ms": 1000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "high", "trigger": "on_demand"}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": "127.0.0.1:0"}}
                """.formatted(brokerUrl, DEVICE));
    }
}
