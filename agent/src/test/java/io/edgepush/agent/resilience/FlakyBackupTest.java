package io.edgepush.agent.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, second "Done when": an {@code always_on} stream whose primary URL is dead and whose backup nginx-rtmp
 * restarts again and again, faster than the stable period, comes back after every one of 20 restarts. Each outage
 * costs two failed rounds of the URL list (the dead primary and the restarting backup, twice) against a budget of 3:
 * counted per attempt, or never made whole before the stable period, the budget would run out in the second outage
 * and leave the camera off the air. Every publish must send a keyframe before the next restart, which ends its
 * outage. Each of the 21 recordings (one per nginx run) starts clean and decodes clean.
 */
class FlakyBackupTest {
    private static final Logger log = LoggerFactory.getLogger(FlakyBackupTest.class);
    private static final String DEVICE = "FLAKY_CAM";
    private static final String GATEWAY = "flaky-gw";
    private static final int RESTARTS = 20;
    private static final int MAX_RETRY_ATTEMPTS = 3;
    /** Failed rounds to wait for in each outage before the backup comes back. */
    private static final int ROUNDS_PER_OUTAGE = 2;
    private static final int INITIAL_RETRY_DELAY_MS = 200;
    private static final int MAX_RETRY_DELAY_MS = 1000;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The longest backoff delay, plus time to connect and publish and for the event to cross the broker. */
    private static final Duration BACK_WITHIN = Duration.ofMillis(MAX_RETRY_DELAY_MS + 4000);

    @Test
    void anAlwaysOnStreamComesBackThroughTwentyBackupRestartsBehindADeadPrimary() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        String deadPrimary = "rtmp://127.0.0.1:" + FreePorts.tcp() + "/live/" + DEVICE;
        try (Mosquitto broker = Mosquitto.start(); Nginx backup = Nginx.start(Nginx.Recording.ONE_FILE_PER_PUBLISH)) {
            List<Long> backMs = new ArrayList<>();
            try (MqttTestClient mqtt = StatusWatch.observer(broker.url(), "flaky-observer",
                    "devices/" + DEVICE + "/stream/status", GATEWAY);
                 GatewayAgent agent = GatewayAgent.start(config(broker.url(), deadPrimary, backup.rtmpUrl(DEVICE)))) {
                StatusWatch.awaitGatewayOnline(mqtt, GATEWAY, DEADLINE);
                StatusWatch status = new StatusWatch(mqtt, DEVICE);
                StreamSession session = agent.sessions().get(0);
                try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE, clip, 25, "127.0.0.1",
                        agent.cameraPort(), true), null)) {
                    status.awaitNth("stream_started", 1, DEADLINE);
                    for (int restart = 1; restart <= RESTARTS; restart++) {
                        awaitKeyframeSent(session, restart);
                        int startsBefore = status.count("stream_started");
                        int errorsBefore = status.count("connection_error");
                        backup.stop();
                        Await.until(() -> roundsFailedSince(status, errorsBefore) >= ROUNDS_PER_OUTAGE, DEADLINE,
                                () -> "two failed rounds with the backup down; " + status.transcript());
                        backup.launch();
                        long upNanos = System.nanoTime();
                        status.awaitNth("stream_started", startsBefore + 1, BACK_WITHIN);
                        backMs.add((System.nanoTime() - upNanos) / 1_000_000);
                    }
                    awaitKeyframeSent(session, RESTARTS + 1);
                    assertEquals(SessionState.STREAMING, session.state());
                }
                List<JsonNode> errors = status.events("connection_error");
                assertTrue(errors.stream().noneMatch(e -> e.path("reconnect_attempts").asInt() > ROUNDS_PER_OUTAGE + 1),
                        "no outage used more than its rounds: " + errors);
                assertTrue(status.events("state_changed").stream().noneMatch(e -> e.path("state").asInt() == 6),
                        "never in error: " + status.transcript());
                log.info("measured: {} backup restarts; back after the backup listened again (ms): {};"
                        + " connection_errors {}", RESTARTS, backMs, errors.size());
            }
            List<Path> segments = backup.awaitRecordingsClosed(DEVICE, RESTARTS + 1, DEADLINE);
            assertEquals(RESTARTS + 1, segments.size(), "one recording per backup run: " + segments);
            for (int i = 0; i < segments.size(); i++) {
                SegmentChecks.assertCleanSegment(segments.get(i), "segment " + (i + 1));
            }
        }
    }

    /** Failed rounds reported since the {@code errorsBefore}-th connection_error (its highest reconnect_attempts). */
    private static int roundsFailedSince(StatusWatch status, int errorsBefore) {
        List<JsonNode> errors = status.events("connection_error");
        return errors.subList(errorsBefore, errors.size()).stream()
                .mapToInt(e -> e.path("reconnect_attempts").asInt()).max().orElse(0);
    }

    /** Waits until the publish has sent its keyframe and frames after it: the outage is over. */
    private static void awaitKeyframeSent(StreamSession session, int publish) {
        long frames = session.metrics().framesSent();
        Await.until(() -> session.state() == SessionState.STREAMING && session.metrics().framesSent() >= frames + 5
                        && session.status().reconnectAttempts() == 0, DEADLINE,
                () -> "publish " + publish + " sent a keyframe and the outage is over; " + session.status());
    }

    private static AgentConfig config(String brokerUrl, String primaryUrl, String backupUrl) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"initial_retry_delay_ms": %d, "max_retry_delay_ms": %d, "max_retry_attempts": %d},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                     "rtmp": {"urls": ["%s", "%s"]}}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": null}}
                """.formatted(GATEWAY, brokerUrl, INITIAL_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, MAX_RETRY_ATTEMPTS,
                DEVICE, primaryUrl, backupUrl));
    }
}
