package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.HostPort;
import io.edgepush.agent.session.ConnectionErrors;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.SessionStatus;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.agent.trigger.Triggers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of {@code /health} ({@link HealthCheck#judge}) on hand-made readings, and the read-only routes' HTTP
 * behaviour through a real {@link StatusPage} and {@link HttpClient}: HEAD, a source that throws (500, the page
 * stays up), another method (405 with Allow).
 */
class HealthCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKER = "tcp://127.0.0.1:1883";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthyWhenMqttIsConnectedAndNoWantedStreamIsInError() throws Exception {
        HealthCheck.Verdict v = HealthCheck.judge(reading(true,
                stream("CAM_1", "main", SessionState.STREAMING, null, "always_on", "on", true),
                stream("CAM_1", "sub", SessionState.IDLE, null, "manual", "idle", false)));
        assertTrue(v.healthy());
        assertEquals(200, v.httpStatus());
        assertEquals(JSON.readTree("{\"status\":\"ok\"}"), JSON.readTree(v.json().toString()));
    }

    @Test
    void mqttDownAndAWantedStreamInErrorAreEachAReason() throws Exception {
        HealthCheck.Verdict v = HealthCheck.judge(reading(false,
                stream("CAM_1", "main", SessionState.ERROR, "RTMP_CONNECT_REFUSED", "always_on", "on", true),
                stream("CAM_2", "main", SessionState.RECONNECTING, "RTMP_TIMEOUT", "always_on", "on", true)));
        assertEquals(503, v.httpStatus());
        assertEquals(JSON.readTree("""
                {"status": "unhealthy", "reasons": ["mqtt: not connected to tcp://127.0.0.1:1883",
                 "CAM_1/main: error (RTMP_CONNECT_REFUSED)"]}"""), JSON.readTree(v.json().toString()),
                "reconnecting is not error");
    }

    @Test
    void aStreamInErrorCountsOnlyWhenItsTriggerWantsItOrNoTriggerKnowsIt() {
        assertTrue(HealthCheck.judge(reading(true,
                stream("CAM_1", "main", SessionState.ERROR, "RTMP_CONNECT_REFUSED", "on_demand", "held_off", false)))
                .healthy(), "a stream nothing wants on");
        for (String state : List.of("on", "post_roll", "held_on")) {
            assertFalse(HealthCheck.judge(reading(true,
                    stream("CAM_1", "main", SessionState.ERROR, "X", "motion_based", state, true))).healthy(), state);
        }
        HealthCheck.Verdict unknown = HealthCheck.judge(reading(true,
                stream("CAM_9", "main", SessionState.ERROR, null, null, null, false)));
        assertEquals(List.of("CAM_9/main: error (no error code)"), unknown.reasons(),
                "a session the triggers do not know");
    }

    @Test
    void routesAnswerHeadRefuseOtherMethodsAnd500WhenTheSourceThrows() throws Exception {
        GatewayReading healthy = reading(true);
        HealthCheck broken = new HealthCheck(() -> {
            throw new IllegalStateException("boom");
        });
        try (StatusPage page = StatusPage.start(new HostPort("127.0.0.1", 0), JSON::createObjectNode,
                (d, s, start) -> null, Map.of(HealthCheck.PATH, new HealthCheck(() -> healthy),
                        GatewayMetrics.PATH, new GatewayMetrics(() -> healthy), "/broken", broken,
                        "/broken-metrics", new GatewayMetrics(() -> {
                            throw new IllegalStateException("no reading");
                        })))) {
            HttpResponse<String> ok = send(page, "GET", HealthCheck.PATH);
            assertEquals(200, ok.statusCode());
            assertEquals("application/json; charset=utf-8", ok.headers().firstValue("Content-Type").orElse(null));
            assertEquals("ok", JSON.readTree(ok.body()).path("status").asText());

            HttpResponse<String> head = send(page, "HEAD", GatewayMetrics.PATH);
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));

            for (String method : List.of("POST", "PUT", "DELETE")) {
                for (String path : List.of(GatewayMetrics.PATH, HealthCheck.PATH)) {
                    HttpResponse<String> refused = send(page, method, path);
                    assertEquals(405, refused.statusCode(), method + " " + path);
                    assertEquals("GET, HEAD", refused.headers().firstValue("Allow").orElse(null));
                    assertTrue(JSON.readTree(refused.body()).path("error").asText().contains("GET " + path));
                }
            }

            HttpResponse<String> failed = send(page, "GET", "/broken");
            assertEquals(500, failed.statusCode());
            JsonNode error = JSON.readTree(failed.body());
            assertEquals("/broken unavailable: IllegalStateException", error.path("error").asText());
            HttpResponse<String> failedScrape = send(page, "GET", "/broken-metrics");
            assertEquals(500, failedScrape.statusCode(), "a collector that throws fails the scrape");
            assertTrue(JSON.readTree(failedScrape.body()).path("error").asText()
                    .startsWith("/broken-metrics unavailable"), failedScrape.body());
            assertEquals(200, send(page, "GET", HealthCheck.PATH).statusCode(), "the page stays up");
        }
    }

    private HttpResponse<String> send(StatusPage page, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static GatewayReading reading(boolean mqttConnected, GatewayReading.Stream... streams) {
        return new GatewayReading(List.of(streams), streams.length, mqttConnected, BROKER, 0, 0);
    }

    private static GatewayReading.Stream stream(String device, String name, SessionState state, String errorCode,
                                                String trigger, String triggerState, boolean wantsStream) {
        SessionStatus s = new SessionStatus(device, 0, 0, name, state, 0, errorCode, "low", null, 0, errorCode,
                errorCode == null ? null : "failed", 0, 0,
                new SessionMetrics.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 1, Map.of()), StreamOutput.Backlog.NONE, null,
                1, 0, ConnectionErrors.Reading.NONE);
        return new GatewayReading.Stream(s, trigger == null ? null
                : new Triggers.Reading(trigger, triggerState, wantsStream));
    }
}
