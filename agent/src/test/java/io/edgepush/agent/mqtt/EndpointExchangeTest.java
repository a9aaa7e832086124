package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.cli.StdStreams;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoint request/response against a real mosquitto, the cloud played by a plain Paho client. */
class EndpointExchangeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE = "ESP32P4_CAM_001";
    private static final String RESPONSE_TOPIC = "devices/" + DEVICE + "/stream/response";
    private static Mosquitto broker;
    private static MqttLink link;
    private final ObjectMapper json = new ObjectMapper();
    private EndpointExchange exchange;
    private MqttTestClient cloud;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start();
        link = new MqttLink(new MqttConfig(broker.url(), "gw-test", null, null, TlsConfig.NONE, 5000), "gw-test");
        link.start().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (link != null) {
            link.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        exchange = new EndpointExchange(link, 5000, Clock.fixed(Instant.ofEpochSecond(1691234567), ZoneOffset.UTC));
        cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe("devices/+/stream/request");
    }

    @AfterEach
    void close() throws Exception {
        exchange.close();
        cloud.close();
    }

    @Test
    void requestCarriesContractFieldsAndResponseCompletesWithCorrelationData() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.HIGH, 2_000_000, true,
                "us-west-1", null);
        MqttTestClient.Received req = cloud.next(WAIT);
        assertEquals("devices/" + DEVICE + "/stream/request", req.topic());
        assertEquals(1, req.qos());
        assertEquals(RESPONSE_TOPIC, req.responseTopic());
        JsonNode body = json.readTree(req.payload());
        String requestId = body.get("request_id").asText();
        assertTrue(requestId.matches("stream_[0-9a-f]{8}"), requestId);
        assertArrayEquals(requestId.getBytes(StandardCharsets.UTF_8), req.correlationData());
        assertEquals(json.readTree("{\"request_id\":\"" + requestId + "\",\"device_id\":\"" + DEVICE + "\","
                + "\"stream_type\":\"rtmp\",\"quality\":\"high\",\"preferred_region\":\"us-west-1\","
                + "\"max_bitrate\":2000000,\"supports_adaptive\":true,\"timestamp\":1691234567}"), body);

        cloud.publish(req.responseTopic(), "{\"success\":true,\"request_id\":\"" + requestId + "\","
                + "\"rtmp_url\":\"rtmp://live.example.com/live/\",\"stream_key\":\"your_stream_key\","
                + "\"server_name\":\"Live Server US-West\",\"server_region\":\"us-west-1\",\"max_bitrate\":4000000,"
                + "\"recommended_fps\":30,\"supports_adaptive\":true,\"expires_at\":1691238167,"
                + "\"token\":\"auth_token_here\",\"future_field\":1}", null, req.correlationData());
        EndpointResponse r = f.get(10, TimeUnit.SECONDS);
        assertEquals(new EndpointResponse(requestId, "rtmp://live.example.com/live/", "your_stream_key",
                "Live Server US-West", "us-west-1", 4_000_000, 30, true, 1691238167, "auth_token_here"), r);
        assertEquals("rtmp://live.example.com/live/your_stream_key", r.publishUrl());
    }

    @Test
    void unknownRequestIdIsIgnored() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 500_000, null);
        JsonNode body = json.readTree(cloud.next(WAIT).payload());
        assertFalse(body.has("preferred_region"), body.toString());
        String requestId = body.get("request_id").asText();
        cloud.publish(RESPONSE_TOPIC, success("stream_00000000", "rtmp://wrong/live"));
        cloud.publish(RESPONSE_TOPIC, success(requestId, "rtmp://right/live"));
        assertEquals("rtmp://right/live", f.get(10, TimeUnit.SECONDS).rtmpUrl());
    }

    @Test
    void mismatchingCorrelationDataIsIgnored() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 500_000, null);
        String requestId = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
        cloud.publish(RESPONSE_TOPIC, success(requestId, "rtmp://wrong/live"), null,
                "other".getBytes(StandardCharsets.UTF_8));
        cloud.publish(RESPONSE_TOPIC, success(requestId, "rtmp://right/live"), null,
                requestId.getBytes(StandardCharsets.UTF_8));
        assertEquals("rtmp://right/live", f.get(10, TimeUnit.SECONDS).rtmpUrl());
    }

    @Test
    void successFalseFailsWithTheCloudsErrorCode() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.HIGH, 2_000_000, null);
        String requestId = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
        cloud.publish(RESPONSE_TOPIC, "{\"success\": false, \"request_id\": \"" + requestId + "\", \"error_code\": "
                + "\"UNAUTHORIZED\", \"error_message\": \"Device not authorized for streaming\"}");
        EndpointException e = failure(f);
        assertEquals("UNAUTHORIZED", e.errorCode());
        assertEquals("UNAUTHORIZED: Device not authorized for streaming", e.getMessage());
    }

    @Test
    void matchingResponseWithoutStreamKeyFailsAsBadResponse() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.HIGH, 2_000_000, null);
        String requestId = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
        cloud.publish(RESPONSE_TOPIC, "{\"success\":true,\"request_id\":\"" + requestId + "\",\"rtmp_url\":\"rtmp://h/a\"}");
        assertEquals("BAD_RESPONSE", failure(f).errorCode());
    }

    @Test
    void noResponseTimesOut() throws Exception {
        try (EndpointExchange quick = new EndpointExchange(link, 200, Clock.systemUTC())) {
            CompletableFuture<EndpointResponse> f = quick.requestEndpoint("CAM_SILENT", QualityPreset.LOW, 1, null);
            EndpointException e = failure(f);
            assertEquals("TIMEOUT", e.errorCode());
        }
    }

    @Test
    void malformedResponseIsIgnoredThenAGoodOneAccepted() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.MEDIUM, 1_000_000, null);
        String requestId = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
        cloud.publish(RESPONSE_TOPIC, "{\"success\": true, \"request_id\": ");
        cloud.publish(RESPONSE_TOPIC, "[]");
        cloud.publish(RESPONSE_TOPIC, success(requestId, "rtmp://good/live"));
        assertEquals("rtmp://good/live", f.get(10, TimeUnit.SECONDS).rtmpUrl());
    }

    @Test
    void malformedResponseIsLoggedWithoutItsContent() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 1_000_000, null);
        String requestId = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
        String secret = "sk_live_0123456789abcdef";
        StdStreams out = StdStreams.capture(() -> {
            try {
                cloud.publish(RESPONSE_TOPIC, "{\"stream_key\": " + secret + "\u0000\u00ff");
                cloud.publish(RESPONSE_TOPIC, success(requestId, "rtmp://good/live"));
                assertEquals("rtmp://good/live", f.get(10, TimeUnit.SECONDS).rtmpUrl());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return 0;
        });
        assertTrue(out.stderr().contains("event=endpoint_response_malformed device_id=" + DEVICE + " topic="
                + RESPONSE_TOPIC + " bytes="), out.stderr());
        assertFalse(out.stderr().contains(secret), "the payload's unquoted key is not logged: " + out.stderr());
        assertFalse(out.stderr().contains("\u0000"), "no control bytes in the log");
    }

    @Test
    void failedEndpointIsSentWithTheRequestAndAbsentFieldsAreLeftOut() throws Exception {
        CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 500_000, false, null,
                new EndpointFailureReport("rtmp://a/live/", "RTMP_CONNECT_REFUSED", "connection refused"));
        JsonNode body = json.readTree(cloud.next(WAIT).payload());
        assertEquals(json.readTree("{\"rtmp_url\":\"rtmp://a/live/\",\"error_code\":\"RTMP_CONNECT_REFUSED\","
                + "\"message\":\"connection refused\"}"), body.get("failed_endpoint"));
        cloud.publish(RESPONSE_TOPIC, success(body.get("request_id").asText(), "rtmp://b/live"));
        assertEquals("rtmp://b/live", f.get(10, TimeUnit.SECONDS).rtmpUrl());

        exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 500_000, false, null,
                new EndpointFailureReport("rtmp://b/live/", null, null));
        assertEquals(json.readTree("{\"rtmp_url\":\"rtmp://b/live/\"}"),
                json.readTree(cloud.next(WAIT).payload()).get("failed_endpoint"));
        assertThrows(NullPointerException.class, () -> new EndpointFailureReport(null, "E", "m"));
    }

    @Test
    void requestAfterCloseFailsAtOnceAsClosed() throws Exception {
        exchange.close();
        EndpointException e = failure(exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 1, null));
        assertEquals("CLOSED", e.errorCode());
        assertTrue(e.cloudUnreachable());
        assertFalse(new EndpointException("UNAUTHORIZED", "no").cloudUnreachable());
        assertFalse(new EndpointException("BAD_RESPONSE", "no").cloudUnreachable());
        assertTrue(new EndpointException("TIMEOUT", "no").cloudUnreachable());
        assertTrue(new EndpointException("PUBLISH_FAILED", "no").cloudUnreachable());
    }

    private static String success(String requestId, String url) {
        return "{\"success\":true,\"request_id\":\"" + requestId + "\",\"rtmp_url\":\"" + url + "\",\"stream_key\":\"k1234\"}";
    }

    private static EndpointException failure(CompletableFuture<EndpointResponse> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(EndpointException.class, e.getCause());
    }
}
