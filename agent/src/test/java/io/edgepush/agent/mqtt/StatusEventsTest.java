package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.QualityPreset;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEventsTest {
    private static final String KEY = "your_stream_key";
    private final StatusEvents events = new StatusEvents(Clock.fixed(Instant.ofEpochSecond(1691234567), ZoneOffset.UTC));
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void streamStartedHasTheContractFieldsAndMaskedKey() throws Exception {
        ObjectNode e = events.streamStarted("CAM1", "main", "rtmp://live.example.com/live/", KEY,
                QualityPreset.HIGH, 25.0, 1950.0, true);
        e = (ObjectNode) json.readTree(e.toString());
        assertEquals(json.readTree("{\"event\":\"stream_started\",\"timestamp\":1691234567,\"device_id\":\"CAM1\","
                + "\"stream_name\":\"main\",\"message\":\"Live streaming started\",\"state\":3,"
                + "\"server_url\":\"rtmp://live.example.com/live/\",\"stream_key\":\"your***\",\"quality\":\"high\","
                + "\"metrics\":{\"fps\":25.0,\"bitrate_kbps\":1950.0,\"is_connected\":true}}"), e);
    }

    @Test
    void serverUrlNeverContainsTheKey() {
        ObjectNode e = events.streamStarted("CAM1", "main", "rtmp://h/live/" + KEY, KEY, QualityPreset.LOW, 0, 0, false);
        ObjectNode r = events.endpointRefreshed("CAM1", "main", "rtmp://h/live/" + KEY, KEY, 1691238167);
        for (ObjectNode n : List.of(e, r)) {
            assertFalse(n.toString().contains(KEY), n.toString());
            assertEquals("rtmp://h/live/your***", n.get("server_url").asText());
        }
        assertEquals(1691238167, r.get("expires_at").asLong());
        assertEquals("endpoint_refreshed", r.get("event").asText());
    }

    @Test
    void metricsStoppedErrorAndAck() throws Exception {
        assertEquals(json.readTree("{\"event\":\"stream_metrics\",\"timestamp\":1691234567,\"device_id\":\"C\","
                + "\"stream_name\":\"main\",\"metrics\":{\"fps\":24.8,\"bitrate_kbps\":1980.5,\"total_frames\":620,"
                + "\"dropped_frames\":3,\"latency_ms\":2800,\"backlog_ms\":2800,\"backlog_bytes\":64000,"
                + "\"network_quality\":0.95,\"stream_duration_ms\":25000,\"target_bitrate_kbps\":2000,"
                + "\"dropped_by_reason\":{\"uplink\":3}}}"),
                same(events.streamMetrics("C", "main",
                        new StatusEvents.Metrics(24.8, 1980.5, 620, 3, 2800, 64_000, 0.95, 25000,
                                2000, java.util.Map.of("uplink", 3L)))));
        assertEquals(json.readTree("{\"event\":\"stream_stopped\",\"timestamp\":1691234567,\"device_id\":\"C\","
                + "\"stream_name\":\"main\",\"message\":\"Live streaming stopped\",\"state\":0,\"final_metrics\":"
                + "{\"total_frames_sent\":1250,\"total_bytes_sent\":15728640,\"stream_duration_ms\":50000,"
                + "\"average_fps\":25.0,\"average_bitrate_kbps\":2010.2,\"dropped_frames\":8}}"),
                same(events.streamStopped("C", "main", new StatusEvents.FinalMetrics(1250, 15728640, 50000, 25.0, 2010.2, 8))));
        assertEquals(json.readTree("{\"event\":\"connection_error\",\"timestamp\":1691234567,\"device_id\":\"C\","
                + "\"stream_name\":\"main\",\"message\":\"RTMP connection failed\",\"error_code\":\"RTMP_CONNECT_TIMEOUT\","
                + "\"reconnect_attempts\":2,\"next_retry_in_sec\":20,\"state\":4}"),
                same(events.connectionError("C", "main", "RTMP connection failed", "RTMP_CONNECT_TIMEOUT", 2, 20, 4)));
        assertEquals(json.readTree("{\"event\":\"command_ack\",\"timestamp\":1691234567,\"device_id\":\"C\","
                + "\"stream_name\":\"main\",\"command_id\":\"c-42\",\"ok\":false,\"error\":\"unknown command\"}"),
                same(events.commandAck("C", "main", "c-42", false, "unknown command")));
        ObjectNode ok = events.commandAck("C", null, null, true, null);
        assertFalse(ok.has("error"));
        assertFalse(ok.has("stream_name"));
        assertEquals(true, ok.get("command_id").isNull());
    }

    @Test
    void absentStreamKeyIsJsonNull() {
        ObjectNode e = events.streamStarted("C", "main", "rtmp://h/app/", null, QualityPreset.LOW, 0, 0, false);
        assertEquals(true, e.get("stream_key").isNull());
    }

    @Test
    void endpointResponseJoinsWithOneSlashAndMasksSecrets() {
        assertEquals("rtmp://h/live/key", response("rtmp://h/live/", "key").publishUrl());
        assertEquals("rtmp://h/live/key", response("rtmp://h/live", "key").publishUrl());
        assertEquals("rtmp://h/live/key", response("rtmp://h/live//", "/key").publishUrl());
        String s = response("rtmp://h/live/", KEY).toString();
        assertFalse(s.contains(KEY), s);
        assertFalse(s.contains("secret_token"), s);
    }

    @Test
    void topicFilterWildcards() {
        assertEquals(true, TopicFilter.matches("devices/+/stream/command", "devices/CAM1/stream/command"));
        assertEquals(false, TopicFilter.matches("devices/+/stream/command", "devices/CAM1/stream/status"));
        assertEquals(true, TopicFilter.matches("devices/#", "devices"));
        assertEquals(true, TopicFilter.matches("devices/#", "devices/a/b"));
        assertEquals(false, TopicFilter.matches("devices/+", "devices/a/b"));
        assertEquals(false, TopicFilter.matches("#", "$SYS/x"));
        assertEquals(true, TopicFilter.matches("a/b", "a/b"));
    }

    /** Numbers normalised the way a receiver parses them. */
    private ObjectNode same(ObjectNode n) throws Exception {
        return (ObjectNode) json.readTree(n.toString());
    }

    private static EndpointResponse response(String url, String key) {
        return new EndpointResponse("stream_00000001", url, key, null, null, 0, 0, false, 0, "secret_token");
    }
}
