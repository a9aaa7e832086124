package io.edgepush.agent.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5, third "Done when": another publisher holds the stream name on nginx-rtmp for the first 20 s of the
 * agent's tries, so nginx answers each of them NetStream.Publish.BadName ("Already publishing"). With the default
 * {@code streaming.server_idle_timeout_ms} (10 s) the agent waits that long before trying the same URL again: at
 * most a handful (4) publishes reach nginx in those 20 s, by nginx's own log and by the connection_error events.
 * Once the holder unpublishes, the agent's stream is published and recorded, starting clean.
 */
class BadNameTest {
    private static final Logger log = LoggerFactory.getLogger(BadNameTest.class);
    private static final String DEVICE = "BADNAME_CAM";
    private static final String GATEWAY = "badname-gw";
    private static final String BAD_NAME = "RTMP_PUBLISH_BAD_NAME";
    private static final Duration HOLD = Duration.ofSeconds(20);
    private static final int MAX_ATTEMPTS_WHILE_HELD = 4;
    /** Default server_idle_timeout_ms plus the longest backoff delay plus time to publish and report. */
    private static final Duration FREE_WITHIN = Duration.ofMillis(10_000 + 2000 + 3000);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void nameHeldByAnotherPublisherGetsAHandfulOfAttemptsThenPublishesOnceFree() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start(Nginx.Recording.ONE_FILE_PER_PUBLISH)) {
            long framesSent;
            RtmpPublisher holder = RtmpPublisher.publish(RtmpUrl.parse(nginx.rtmpUrl(DEVICE)),
                    RtmpPublisherOptions.defaults()).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try (MqttTestClient mqtt = StatusWatch.observer(broker.url(), "badname-observer",
                    "devices/" + DEVICE + "/stream/status", GATEWAY);
                 GatewayAgent agent = GatewayAgent.start(config(broker.url(), nginx.rtmpUrl(DEVICE)))) {
                StatusWatch.awaitGatewayOnline(mqtt, GATEWAY, DEADLINE);
                StatusWatch status = new StatusWatch(mqtt, DEVICE);
                StreamSession session = agent.sessions().get(0);
                try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE, clip, 25, "127.0.0.1",
                        agent.cameraPort(), true), null)) {
                    status.awaitNth("connection_error", 1, DEADLINE);
                    long firstRefusal = System.nanoTime();
                    Await.until(() -> System.nanoTime() - firstRefusal >= HOLD.toNanos()
                                    || attempts(nginx) > MAX_ATTEMPTS_WHILE_HELD,
                            HOLD.plus(DEADLINE), "the name to have been held for 20 s");
                    int attemptsWhileHeld = attempts(nginx);
                    List<JsonNode> errorsWhileHeld = status.events("connection_error");
                    log.info("measured: while the name was held for {} s: {} agent publishes in nginx's log, {}"
                                    + " 'already publishing' answers, connection_errors {}", HOLD.toSeconds(),
                            attemptsWhileHeld, nginx.alreadyPublishingCount(), errorsWhileHeld.stream()
                                    .map(e -> e.path("error_code").asText() + "#" + e.path("reconnect_attempts").asInt()
                                            + " next " + e.path("next_retry_in_sec").asLong() + "s").toList());
                    assertTrue(attemptsWhileHeld >= 1 && attemptsWhileHeld <= MAX_ATTEMPTS_WHILE_HELD,
                            "publish attempts while the name was held: " + attemptsWhileHeld + "; nginx log:\n"
                                    + nginx.errorLog());
                    assertTrue(errorsWhileHeld.size() <= MAX_ATTEMPTS_WHILE_HELD, "connection_errors while held: "
                            + errorsWhileHeld);
                    assertTrue(errorsWhileHeld.stream().allMatch(e -> e.path("error_code").asText().equals(BAD_NAME)),
                            "every refusal is reported as " + BAD_NAME + ": " + errorsWhileHeld);
                    assertEquals(0, status.count("stream_started"), "nothing published while the name was held");

                    holder.unpublish().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                    long freed = System.nanoTime();
                    status.awaitNth("stream_started", 1, FREE_WITHIN);
                    log.info("measured: published {} ms after the name was freed; {} agent publishes in all",
                            (System.nanoTime() - freed) / 1_000_000, attempts(nginx));
                    long frames = session.metrics().framesSent();
                    Await.until(() -> session.metrics().framesSent() >= frames + 25, DEADLINE, "a second of stream");
                }
                Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE,
                        "the camera's link closed after its last frame");
                framesSent = session.metrics().framesSent();
            } finally {
                holder.close();
            }
            List<Path> recordings = nginx.awaitRecordingsClosed(DEVICE, 1, DEADLINE);
            assertEquals(1, recordings.size(), "only the agent's accepted publish recorded anything: " + recordings);
            SegmentChecks.assertCleanSegment(recordings.get(0), "the agent's recording");
            assertEquals(framesSent, Ffprobe.countFrames(recordings.get(0)), "every frame sent was recorded");
        }
    }

    /** The agent's publishes nginx saw: every publish of the name in its log except the holder's. */
    private static int attempts(Nginx nginx) {
        return nginx.publishCount(DEVICE) - 1;
    }

    private static AgentConfig config(String brokerUrl, String url) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"initial_retry_delay_ms": 300, "max_retry_delay_ms": 2000, "stable_period_ms": 3000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                     "rtmp": {"urls": ["%s"]}}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": null}}
                """.formatted(GATEWAY, brokerUrl, DEVICE, url));
    }
}
