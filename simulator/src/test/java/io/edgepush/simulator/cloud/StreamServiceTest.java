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
import io.edgepush.testkit.Await;
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
                    SeenRequest.Outcome.ANSWERED, j.get("stream_key").asText(), null, "rtmp://127.0.0.1:1935/live/"),
                    seen.get(0));
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
    void silentModeAnswersNothingGarbageModeAnswersNonJsonAndAnswerModeRecovers() throws Exception {
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://127.0.0.1:1935/live/")
                .withClientId("svc-modes");
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-modes")) {
            String rt = "devices/CAM_M/stream/response";
            agent.subscribe(rt);
            assertEquals(StreamService.Mode.ANSWER, svc.mode(), "answers by default");
            svc.setMode(StreamService.Mode.SILENT);
            agent.publish("devices/CAM_M/stream/request", request("r-silent", "CAM_M"), rt, new byte[] {1});
            Await.until(() -> svc.requests().size() == 1, DEADLINE, "the silent request recorded");
            svc.setMode(StreamService.Mode.GARBAGE);
            agent.publish("devices/CAM_M/stream/request", request("r-garbage", "CAM_M"), rt, new byte[] {2});
            TestMqttClient.Received garbage = agent.next(DEADLINE);
            assertNotNull(garbage, "the garbage answer");
            assertArrayEquals(new byte[] {2}, garbage.message().getProperties().getCorrelationData(),
                    "the first response answers the second request: the silent one got none");
            assertArrayEquals(StreamService.GARBAGE, garbage.message().getPayload(), "not JSON");
            assertThrows(java.io.IOException.class, () -> JSON.readTree(garbage.message().getPayload()));
            svc.setMode(StreamService.Mode.ANSWER);
            agent.publish("devices/CAM_M/stream/request", request("r-after", "CAM_M"), rt, new byte[] {3});
            assertEquals("r-after", nextJson(agent, rt).get("request_id").asText(), "answers again");
            assertEquals(List.of(SeenRequest.Outcome.UNANSWERED, SeenRequest.Outcome.GARBAGE,
                    SeenRequest.Outcome.ANSWERED), svc.requests().stream().map(SeenRequest::outcome).toList());
            assertThrows(NullPointerException.class, () -> svc.setMode(null));
        }
    }

    private static String requestWithFailure(String requestId, String failedUrl, String errorCode) {
        return "{\"request_id\":\"" + requestId + "\",\"device_id\":\"CAM_R\",\"quality\":\"high\","
                + "\"failed_endpoint\":{\"rtmp_url\":\"" + failedUrl + "\",\"error_code\":\"" + errorCode
                + "\",\"message\":\"connection refused\"}}";
    }

    private static String answeredUrl(TestMqttClient agent, String topic) throws Exception {
        return nextJson(agent, topic).get("rtmp_url").asText();
    }

    @Test
    void rotatesUrlsPerDeviceAndSkipsTheReportedFailedOne() throws Exception {
        String a = "rtmp://127.0.0.1:1935/live/";
        String b = "rtmp://127.0.0.1:1936/live/";
        String c = "rtmps://127.0.0.1:1937/live/";
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), List.of(a, b, c)).withClientId("svc-4");
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-4")) {
            String rt = "devices/CAM_R/stream/response";
            agent.subscribe("devices/+/stream/response");
            agent.publish("devices/CAM_R/stream/request", request("r1", "CAM_R"), rt, null);
            assertEquals(a, answeredUrl(agent, rt));
            agent.publish("devices/CAM_R/stream/request", request("r2", "CAM_R"), rt, null);
            assertEquals(b, answeredUrl(agent, rt));
            // another device has its own rotation
            agent.publish("devices/CAM_S/stream/request", request("s1", "CAM_S"), null, null);
            assertEquals(a, answeredUrl(agent, "devices/CAM_S/stream/response"));
            // next would be c; the agent reports c (without trailing slash) as failed, so a is answered
            agent.publish("devices/CAM_R/stream/request",
                    requestWithFailure("r3", "rtmps://127.0.0.1:1937/live", "RTMP_CONNECT_REFUSED"), rt, null);
            assertEquals(a, answeredUrl(agent, rt));
            // a failure naming a URL that is not next does not disturb the rotation
            agent.publish("devices/CAM_R/stream/request", requestWithFailure("r4", c, "RTMP_CONNECT_TIMEOUT"), rt,
                    null);
            assertEquals(b, answeredUrl(agent, rt));

            List<SeenRequest> seen = svc.requests();
            assertEquals(5, seen.size());
            SeenRequest r3 = seen.get(3);
            assertEquals("r3", r3.requestId());
            assertEquals(new SeenRequest.FailedEndpoint("rtmps://127.0.0.1:1937/live", "RTMP_CONNECT_REFUSED"),
                    r3.failedEndpoint());
            assertEquals(a, r3.rtmpUrl());
            assertNull(seen.get(0).failedEndpoint());
            assertEquals(List.of(a, b, a, a, b), seen.stream().map(SeenRequest::rtmpUrl).toList());
        }
    }

    @Test
    void singleUrlIsAnsweredEvenWhenReportedFailedAndLifetimeIsConfigurable() throws Exception {
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://127.0.0.1:1935/live/")
                .withClientId("svc-5").withClock(FIXED).withEndpointLifetimeSec(10);
        try (StreamService svc = StreamService.start(o);
             TestMqttClient agent = new TestMqttClient(broker.url(), "agent-5")) {
            String rt = "devices/CAM_R/stream/response";
            agent.subscribe(rt);
            agent.publish("devices/CAM_R/stream/request",
                    requestWithFailure("r1", "rtmp://127.0.0.1:1935/live/", "RTMP_BAD_NAME"), rt, null);
            JsonNode j = nextJson(agent, rt);
            assertEquals("rtmp://127.0.0.1:1935/live/", j.get("rtmp_url").asText());
            assertEquals(1_691_234_567L + 10, j.get("expires_at").asLong());
            // a failed_endpoint that is not an object, or has non-string fields, is recorded as far as it goes
            agent.publish("devices/CAM_R/stream/request", "{\"request_id\":\"r2\",\"failed_endpoint\":\"x\"}",
                    rt, null);
            assertEquals("r2", nextJson(agent, rt).get("request_id").asText());
            agent.publish("devices/CAM_R/stream/request",
                    "{\"request_id\":\"r3\",\"failed_endpoint\":{\"rtmp_url\":7}}", rt, null);
            assertEquals("r3", nextJson(agent, rt).get("request_id").asText());
            List<SeenRequest> seen = svc.requests();
            assertNull(seen.get(1).failedEndpoint());
            assertEquals(new SeenRequest.FailedEndpoint(null, null), seen.get(2).failedEndpoint());
        }
    }

    @Test
    void rejectsEmptyUrlListAndLifetimeBelowOneSecond() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> StreamServiceOptions.of(broker.url(), List.of()));
        assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());
        StreamServiceOptions o = StreamServiceOptions.of(broker.url(), "rtmp://h/live/");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> o.withEndpointLifetimeSec(0));
        assertTrue(zero.getMessage().contains("endpointLifetimeSec"), zero.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> o.withRtmpUrls(List.of("rtmp://h/live/", "http://x/")));
        assertTrue(bad.getMessage().contains("http://x/"), bad.getMessage());
        assertEquals("rtmp://h/live/", o.rtmpUrl());
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
        assertTrue(StreamService.sameServerUrl("rtmp://h/live/", "rtmp://h/live"));
        assertTrue(StreamService.sameServerUrl("rtmp://h/live", "rtmp://h/live//"));
        assertEquals(false, StreamService.sameServerUrl("rtmp://h/live/", "rtmp://h/live2/"));
    }
}
