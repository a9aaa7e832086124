package io.edgepush.agent.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5, fourth "Done when": with MQTT discovery, the simulated cloud hands out endpoints that expire 10 s after
 * the request, on server A first and server B next (two nginx-rtmp). Before A's endpoint expires the agent asks
 * again, publishes to B, moves the frames there at a keyframe and unpublishes A, and says so with
 * {@code endpoint_refreshed}; no connection_error on the way. The two recordings together hold every frame the
 * camera sent during the stream but at most one GOP, B's recording starts with the sequence header and a
 * keyframe, and both decode without errors.
 */
class EndpointRefreshTest {
    private static final Logger log = LoggerFactory.getLogger(EndpointRefreshTest.class);
    private static final String DEVICE = "REFRESH_CAM";
    private static final String GATEWAY = "refresh-gw";
    private static final String STREAM_KEY = "refresh_key_0123456789";
    private static final long LIFETIME_SEC = 10;
    /** small.h264: 25 fps, an IDR every 25 frames. */
    private static final int FPS = 25;
    private static final int GOP_FRAMES = 25;
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String COMMAND = "devices/" + DEVICE + "/stream/command";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void expiringEndpointIsRefreshedAndTheStreamMovesToTheNewServerWithoutAGapLongerThanOneGop() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Mosquitto broker = Mosquitto.start();
             Nginx serverA = Nginx.start(Nginx.Recording.ONE_FILE_PER_PUBLISH);
             Nginx serverB = Nginx.start(Nginx.Recording.ONE_FILE_PER_PUBLISH)) {
            String urlA = "rtmp://127.0.0.1:" + serverA.port() + "/live/";
            String urlB = "rtmp://127.0.0.1:" + serverB.port() + "/live/";
            long cameraFrames;
            try (MqttTestClient mqtt = StatusWatch.observer(broker.url(), "refresh-observer",
                    "devices/" + DEVICE + "/#", GATEWAY);
                 StreamService cloud = StreamService.start(StreamServiceOptions.of(broker.url(), List.of(urlA, urlB))
                         .withStreamKey(STREAM_KEY).withEndpointLifetimeSec(LIFETIME_SEC));
                 GatewayAgent agent = GatewayAgent.start(config(broker.url()))) {
                StatusWatch.awaitGatewayOnline(mqtt, GATEWAY, DEADLINE);
                StatusWatch status = new StatusWatch(mqtt, DEVICE);
                StreamSession session = agent.sessions().get(0);
                // The stream starts before the camera connects, so every frame the camera sends belongs to it.
                mqtt.publish(COMMAND, "{\"command\":\"start\",\"quality\":\"low\",\"command_id\":\"r-1\"}");
                JsonNode started = status.awaitNth("stream_started", 1, DEADLINE);
                assertEquals(urlA, started.path("server_url").asText(), "the first endpoint is server A");
                long expiresA = mqtt.await("devices/" + DEVICE + "/stream/response",
                        j -> j.path("rtmp_url").asText().equals(urlA), DEADLINE, "A's endpoint").json()
                        .path("expires_at").asLong();
                SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE, clip, FPS, "127.0.0.1",
                        agent.cameraPort(), true), null);
                try {
                    JsonNode refreshed = status.awaitNth("endpoint_refreshed", 1,
                            Duration.ofSeconds(LIFETIME_SEC).plus(DEADLINE));
                    assertEquals(urlB, refreshed.path("server_url").asText(), "the stream moved to server B");
                    assertTrue(refreshed.path("timestamp").asLong() <= expiresA, "refreshed before A expired ("
                            + expiresA + "): " + refreshed);
                    assertTrue(refreshed.path("expires_at").asLong() >= expiresA, "B's expiry: " + refreshed);
                    List<Path> onA = serverA.awaitRecordingsClosed(STREAM_KEY, 1,
                            Duration.ofMillis(Math.max(1000, expiresA * 1000 - System.currentTimeMillis())));
                    log.info("measured: endpoint_refreshed {} s before A's expires_at; A unpublished by then: {}",
                            expiresA - refreshed.path("timestamp").asLong(), onA);
                    long frames = session.metrics().framesSent();
                    Await.until(() -> session.metrics().framesSent() >= frames + FPS, DEADLINE, "a second on B");
                } finally {
                    camera.close();
                }
                cameraFrames = camera.framesSent();
                Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE,
                        "the camera's link closed after its last frame");
                mqtt.publish(COMMAND, "{\"command\":\"stop\",\"command_id\":\"r-2\"}");
                status.awaitNth("stream_stopped", 1, DEADLINE);
                assertEquals(0, status.count("connection_error"), "a clean move, no failure: " + status.transcript());
                List<SeenRequest> requests = cloud.requests();
                assertEquals(2, requests.size(), "the first request and the refresh: " + requests);
                assertNull(requests.get(1).failedEndpoint(), "a refresh reports no failed endpoint: " + requests);
            }
            List<Path> onA = serverA.awaitRecordingsClosed(STREAM_KEY, 1, DEADLINE);
            List<Path> onB = serverB.awaitRecordingsClosed(STREAM_KEY, 1, DEADLINE);
            assertEquals(1, onA.size(), "one publish on A: " + onA);
            assertEquals(1, onB.size(), "one publish on B: " + onB);
            SegmentChecks.assertCleanSegment(onA.get(0), "server A recording");
            SegmentChecks.assertCleanSegment(onB.get(0), "server B recording");
            int recordedA = Ffprobe.countFrames(onA.get(0));
            int recordedB = Ffprobe.countFrames(onB.get(0));
            long missing = cameraFrames - (recordedA + recordedB);
            log.info("measured: camera sent {} frames; recorded {} on A + {} on B; missing {}", cameraFrames,
                    recordedA, recordedB, missing);
            assertTrue(missing <= GOP_FRAMES, "the recordings miss " + missing + " of the camera's " + cameraFrames
                    + " frames (A " + recordedA + ", B " + recordedB + "): more than one GOP (" + GOP_FRAMES + ")");
            assertTrue(missing >= 0, "the recordings hold " + (-missing) + " frames more than the camera sent (A "
                    + recordedA + ", B " + recordedB + ", camera " + cameraFrames + "): frames went to both servers");
        }
    }

    private static AgentConfig config(String brokerUrl) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s", "request_timeout_ms": 5000},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"initial_retry_delay_ms": 300, "max_retry_delay_ms": 2000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "on_demand"}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": null}}
                """.formatted(GATEWAY, brokerUrl, DEVICE));
    }
}
