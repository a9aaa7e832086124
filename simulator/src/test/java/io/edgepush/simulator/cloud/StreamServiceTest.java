package io.edgepush.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.simulator.broker.EmbeddedBroker;
import io.edgepush.simulator.mqtt.TestMqttClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamServiceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Clock FIXED = Clock.fixed(Instant.ofEpochSecond(1_691_234_567L), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker = EmbeddedBroker.start("127.0.0.1", port);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String request(String requestId, String deviceId) {
        return "{\"request_id\":\"" + requestId + "\",\"device_id\":\"" + deviceId + "\",\"stream_type\":\"rtmp\","
                + "\"quality\":\"high\",\"preferred_region\":\"us-west-1\",\"max_bitrate\":2000000,"
                + "\"supports_adaptive\":true,\"timestamp\":1691234567,\"unknown_field\":[1,2]}";
    }

    private static JsonNode nextJson(TestMqttClient c, String expectedTopic) throws Exception {
        TestMqttClient.Received r = c.next(DEADLINE);
        assertNotNull(r, "no response within " + DEADLINE);
        assertEquals(expectedTopic, r.topic());
        return JSON.readTree(r.payload());
    }

    @Test
    void answersOnResponseTopicWithAllFieldsAndEchoedCorrelationData() throws Exception {
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://127.0.0.1:1935/live/")
                .withClientId("svc-1").withClock(FIXED);
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-1")) {
            agent.subscribe("devices/CAM_A/stream/response");
            byte[] correlation = "stream_1a2b3c4d".getBytes(StandardCharsets.UTF_8);
            agent.publish("devices/CAM_A/stream/request", request("stream_1a2b3c4d", "CAM_A"),
                    "devices/CAM_A/stream/response", correlation);

            TestMqttClient.Received r = agent.next(DEADLINE);
            assertNotNull(r, "no response within " + DEADLINE);
            assertEquals("devices/CAM_A/stream/response", r.topic());
            assertArrayEquals(correlation, r.message().getProperties().getCorrelationData());
            JsonNode j = JSON.readTree(r.payload());
            assertTrue(j.get("success").asBoolean());
            assertEquals("stream_1a2b3c4d", j.get("request_id").asText());
            assertEquals("rtmp://127.0.0.1:1935/live/", j.get("rtmp_url").asText());
            assertTrue(j.get("stream_key").asText().matches("cam_a_[0-9a-f]{8}"), j.get("stream_key").asText());
            assertEquals("Simulated Live Server", j.get("server_name").asText());
            assertEquals("local", j.get("server_region").asText());
            assertEquals(4_000_000L, j.get("max_bitrate").asLong());
            assertEquals(30, j.get("recommended_fps").asInt());
            assertTrue(j.get("supports_adaptive").asBoolean());
            assertEquals(1_691_234_567L + 3600, j.get("expires_at").asLong());
            assertTrue(j.get("token").asText().matches("[0-9a-f]{32}"), j.get("token").asText());

            List<SeenRequest> seen = svc.requests();
            assertEquals(1, seen.size());
            assertEquals(new SeenRequest("CAM_A", "stream_1a2b3c4d", "devices/CAM_A/stream/response",
                    SeenRequest.Outcome.ANSWERED, j.get("stream_key").asText()), seen.get(0));
        }
    }

    @Test
    void configuredKeyDenyListAndMissingResponseTopic() throws Exception {
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://127.0.0.1:1935/live/")
                .withClientId("svc-2").withStreamKey("fixed_key_123").withDeniedDeviceIds(Set.of("CAM_BAD"));
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-2")) {
            agent.subscribe("devices/+/stream/response");
            agent.publish("devices/CAM_BAD/stream/request", request("r-denied", "CAM_BAD"),
                    "devices/CAM_BAD/stream/response", "r-denied".getBytes(StandardCharsets.UTF_8));
            JsonNode denied = nextJson(agent, "devices/CAM_BAD/stream/response");
            assertEquals(false, denied.get("success").asBoolean());
            assertEquals("r-denied", denied.get("request_id").asText());
            assertEquals("UNAUTHORIZED", denied.get("error_code").asText());
            assertEquals("Device not authorized for streaming", denied.get("error_message").asText());
            assertNull(denied.get("stream_key"));

            agent.publish("devices/CAM_OK/stream/request", request("r-ok", "CAM_OK"), null, null);
            JsonNode ok = nextJson(agent, "devices/CAM_OK/stream/response");
            assertEquals("fixed_key_123", ok.get("stream_key").asText());
            assertEquals("r-ok", ok.get("request_id").asText());
        }
    }

    @Test
    void malformedJsonAndMissingRequestIdAreIgnoredAndServiceKeepsAnswering() throws Exception {
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://127.0.0.1:1935/live/")
                .withClientId("svc-3");
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-3")) {
            agent.subscribe("devices/CAM_C/stream/response");
            String rt = "devices/CAM_C/stream/response";
            agent.publish("devices/CAM_C/stream/request", "{not json", rt, new byte[] {1});
            agent.publish("devices/CAM_C/stream/request", "[1,2,3]", rt, new byte[] {2});
            agent.publish("devices/CAM_C/stream/request", "{\"device_id\":\"CAM_C\"}", rt, new byte[] {3});
            agent.publish("devices/CAM_C/stream/request", "{\"request_id\":42}", rt, new byte[] {4});
            agent.publish("devices/CAM_C/stream/request", request("r-after", "CAM_C"), rt, new byte[] {5});

            TestMqttClient.Received r = agent.next(DEADLINE);
            assertNotNull(r);
            assertArrayEquals(new byte[] {5}, r.message().getProperties().getCorrelationData(),
                    "the first response must be the one to the valid request");
            assertEquals("r-after", JSON.readTree(r.payload()).get("request_id").asText());
            List<SeenRequest.Outcome> outcomes = svc.requests().stream().map(SeenRequest::outcome).toList();
            assertEquals(List.of(SeenRequest.Outcome.IGNORED_MALFORMED, SeenRequest.Outcome.IGNORED_MALFORMED,
                    SeenRequest.Outcome.IGNORED_NO_REQUEST_ID, SeenRequest.Outcome.IGNORED_NO_REQUEST_ID,
                    SeenRequest.Outcome.ANSWERED), outcomes);
        }
    }

    @Test
    void unreachableBrokerFailsStart() {
        assertThrows(Exception.class, () -> StreamService.start(
                StreamServiceOptions.of("tcp://127.0.0.1:1", "rtmp://127.0.0.1/live/").withClientId("svc-x")));
    }

    @Test
    void rejectsNonRtmpUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamServiceOptions.of(broker.url(), "http://x/live/"));
        assertTrue(e.getMessage().contains("rtmp://"), e.getMessage());
    }

    @Test
    void helpers() {
        assertEquals("CAM_9", StreamService.deviceIdOf("devices/CAM_9/stream/request"));
        assertEquals("abcd***", StreamService.mask("abcdefgh"));
        assertEquals("***", StreamService.mask("abc"));
    }
}
