package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} and {@code GET /health} of a running agent with real peers: mosquitto, nginx-rtmp as the
 * ingest, a simulated camera. The scrape passes {@code promtool check metrics}, carries the per-stream series with
 * {@code device_id} / {@code stream_name} and plausible values (state 3, frames sent growing); {@code /health} is 200,
 * 503 naming mqtt while mosquitto is stopped, 200 after it is back, 503 naming the stream while a manual stream that
 * was started is in error (its server refuses), 200 again once it is stopped.
 */
class MetricsHealthTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "METRICS_CAM";
    private static final String SUB_KEY = "metrics_sub_key_0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void metricsFollowTheStreamAndHealthFollowsMqttAndStreamsInError() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("promtool");
        try (Mosquitto broker = Mosquitto.start();
             Nginx nginx = Nginx.start();
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "metrics-gw", "mqtt": {"broker_url": "%s"},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "streaming": {"initial_retry_delay_ms": 100, "max_retry_delay_ms": 500,
                                    "max_retry_attempts": 1, "metrics_interval_sec": 1},
                      "cameras": [{"device_id": "%s", "streams": [
                        {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                         "rtmp": {"urls": ["%s"]}},
                        {"stream_id": 1, "stream_name": "sub", "quality": "low", "trigger": "manual",
                         "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/%s"]}}]}],
                      "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                     """.formatted(broker.url(), DEVICE, nginx.rtmpUrl("metrics_main"), FreePorts.tcp(), SUB_KEY)));
             SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                     Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true),
                     null)) {
            String[] main = {"device_id", DEVICE, "stream_name", "main"};
            String[] sub = {"device_id", DEVICE, "stream_name", "sub"};
            Await.until(() -> scrape(agent).value("edgepush_stream_frames_sent_total", main) >= 25
                    && scrape(agent).value("edgepush_stream_frames_per_second", main) > 0, DEADLINE,
                    () -> "main streaming, a stream_metrics interval sampled: " + body(agent, "/metrics"));
            String text = body(agent, "/metrics");
            PromText.assertPromtoolPasses(text);
            PromText first = PromText.parse(text);
            assertEquals(SessionState.STREAMING.code(), first.value("edgepush_stream_state", main));
            assertEquals(SessionState.IDLE.code(), first.value("edgepush_stream_state", sub));
            assertTrue(first.value("edgepush_stream_sent_bytes_total", main) > 0);
            assertTrue(first.value("edgepush_stream_bitrate_bytes_per_second", main) > 0);
            assertTrue(first.value("edgepush_stream_target_bitrate_bytes_per_second", main) > 0);
            assertTrue(first.value("edgepush_stream_uptime_seconds", main) > 0);
            assertTrue(first.value("edgepush_stream_backlog_seconds", main) >= 0);
            assertEquals(0, first.value("edgepush_stream_reconnects_total", main));
            assertFalse(first.find("edgepush_stream_frames_dropped_total", main).isEmpty(), "dropped by reason");
            assertTrue(first.find("edgepush_stream_frames_dropped_total", main).stream()
                    .allMatch(s -> s.labels().containsKey("reason")), "every dropped series has its reason");
            assertEquals(1, first.value("edgepush_cameras_online"));
            assertEquals(1, first.value("edgepush_sessions_active"));
            assertTrue(first.names().contains("jvm_memory_used_bytes"), "JVM metrics");
            assertFalse(text.contains(SUB_KEY), "no stream key in the scrape");
            double framesBefore = first.value("edgepush_stream_frames_sent_total", main);
            Await.until(() -> scrape(agent).value("edgepush_stream_frames_sent_total", main) > framesBefore + 10,
                    DEADLINE, "frames sent grows");

            Await.until(() -> health(agent).status == 200, DEADLINE, () -> "healthy: " + health(agent));
            assertEquals("{\"status\":\"ok\"}", health(agent).body);
            assertEquals(1, scrape(agent).value("edgepush_mqtt_connected"));

            broker.stop();
            Await.until(() -> health(agent).status == 503, DEADLINE, () -> "unhealthy: " + health(agent));
            JsonNode down = JSON.readTree(health(agent).body);
            assertEquals("unhealthy", down.path("status").asText());
            assertEquals("mqtt: not connected to " + broker.url(), down.path("reasons").get(0).asText(),
                    down.toString());
            assertEquals(0, scrape(agent).value("edgepush_mqtt_connected"));
            broker.launch();
            Await.until(() -> health(agent).status == 200, DEADLINE, () -> "healthy again: " + health(agent));

            assertEquals(200, post(agent, "/streams/" + DEVICE + "/sub/start").statusCode());
            String reason = DEVICE + "/sub: error (RTMP_CONNECT_REFUSED)";
            Await.until(() -> health(agent).body.contains(reason), DEADLINE, () -> "sub in error: " + health(agent));
            Health failing = health(agent);
            assertEquals(503, failing.status, failing.toString());
            assertFalse(failing.body.contains(SUB_KEY), failing.body);
            PromText errors = scrape(agent);
            assertTrue(errors.value("edgepush_stream_connection_errors_total",
                    "device_id", DEVICE, "stream_name", "sub", "code", "RTMP_CONNECT_REFUSED") >= 2, "both tries");
            assertTrue(errors.value("edgepush_stream_reconnects_total", sub) >= 1, "the retry before the error");

            assertEquals(200, post(agent, "/streams/" + DEVICE + "/sub/stop").statusCode());
            Await.until(() -> health(agent).status == 200, DEADLINE, () -> "a stopped stream is no fault: "
                    + health(agent));
        }
    }

    private record Health(int status, String body) {
    }

    private Health health(GatewayAgent agent) {
        HttpResponse<String> r = get(agent, "/health");
        return new Health(r.statusCode(), r.body());
    }

    private PromText scrape(GatewayAgent agent) {
        return PromText.parse(body(agent, "/metrics"));
    }

    private String body(GatewayAgent agent, String path) {
        HttpResponse<String> r = get(agent, path);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private HttpResponse<String> get(GatewayAgent agent, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    private HttpResponse<String> post(GatewayAgent agent, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
