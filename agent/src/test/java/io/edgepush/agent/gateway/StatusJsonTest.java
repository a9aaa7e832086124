package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.SessionStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The JSON reading of sessions (for /status and get_status) against documents written by hand from the shape in
 * {@link StatusJson}'s class comment: snake_case names, DESIGN.md section 3 state numbers, the stream key masked
 * everywhere, rounding of next_retry_in_sec.
 */
class StatusJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW_MS = 1_691_234_567_500L;
    private static final SessionMetrics.Snapshot METRICS =
            new SessionMetrics.Snapshot(25.0, 500.0, 620, 3, 1_548_000, 25_000, 24.8, 495.4, 0.99,
                    java.util.Map.of(), 640, 30, new io.edgepush.agent.stream.AddedLatency.Reading(1.5, 4.25, 7.0, 600));

    @Test
    void reconnectingSessionHasEveryFieldWithTheKeyMasked() throws Exception {
        SessionStatus s = new SessionStatus("CAM_1", 7, 1, "sub", SessionState.RECONNECTING, 1_691_234_560_123L,
                "RTMP_CONNECT_REFUSED after publishing to secretkey42", "low",
                "rtmp://ingest.example.com:1936/live/secretkey42", 2, "RTMP_CONNECT_REFUSED",
                "connection refused for secretkey42", NOW_MS + 1_200, 1_691_238_167L, METRICS,
                new StreamOutput.Backlog(120, 30_000), null, 0.99, 47);
        JsonNode expected = JSON.readTree("""
                {"device_id": "CAM_1", "camera_id": 7, "stream_id": 1, "stream_name": "sub",
                 "state": 4, "state_name": "reconnecting", "state_since": 1691234560123,
                 "state_reason": "RTMP_CONNECT_REFUSED after publishing to secr***",
                 "quality": "low", "server_url": "rtmp://ingest.example.com:1936/live/secr***",
                 "reconnect_attempts": 2, "last_error_code": "RTMP_CONNECT_REFUSED",
                 "last_error_message": "connection refused for secr***",
                 "next_retry_in_sec": 2, "endpoint_expires_at": 1691238167,
                 "metrics": {"fps": 25.0, "bitrate_kbps": 500.0, "total_frames": 620, "dropped_frames": 3,
                             "total_bytes": 1548000,
                             "stream_duration_ms": 25000, "average_fps": 24.8, "average_bitrate_kbps": 495.4,
                             "network_quality": 0.99, "backlog_ms": 120, "backlog_bytes": 30000,
                             "latency_ms": 120, "dropped_by_reason": {}, "frames_received": 640,
                             "frames_resent": 30, "frames_buffered": 47,
                             "added_latency_ms": {"p50": 1.5, "p99": 4.25, "max": 7.0, "count": 600}}}
                """);
        ObjectNode actual = StatusJson.putSession(JSON.createObjectNode(), s, NOW_MS);
        assertEquals(expected, JSON.readTree(actual.toString()), "as read back from its JSON text");
        assertFalse(actual.toString().contains("secretkey42"), actual.toString());
    }

    @Test
    void idleSessionWritesNullsAndZeros() throws Exception {
        SessionStatus s = new SessionStatus("CAM_2", 0, 0, "main", SessionState.IDLE, 1_691_234_500_000L, "created",
                "high", null, 0, null, null, 0, 0, METRICS, StreamOutput.Backlog.NONE, null, 0.99);
        JsonNode actual = StatusJson.putSession(JSON.createObjectNode(), s, NOW_MS);
        assertEquals(0, actual.path("state").asInt());
        assertEquals("idle", actual.path("state_name").asText());
        assertEquals(true, actual.get("server_url").isNull(), "server_url null while nothing is published");
        assertEquals(true, actual.get("last_error_code").isNull());
        assertEquals(true, actual.get("last_error_message").isNull());
        assertEquals(0, actual.path("next_retry_in_sec").asLong());
        assertEquals(0, actual.path("endpoint_expires_at").asLong());
    }

    @Test
    void pageCarriesGatewayFieldsAndEverySession() throws Exception {
        SessionStatus a = new SessionStatus("CAM_1", 0, 0, "main", SessionState.STREAMING, NOW_MS - 1000,
                "NetStream.Publish.Start", "high", "rtmp://h/live/abcdefgh", 0, null, null, 0, 0, METRICS, StreamOutput.Backlog.NONE, null, 0.99);
        SessionStatus b = new SessionStatus("CAM_1", 0, 1, "sub", SessionState.ERROR, NOW_MS - 1000,
                "RTMP_PUBLISH_UNAUTHORIZED", "low", null, 10, "RTMP_PUBLISH_UNAUTHORIZED", "denied", 0, 0, METRICS, StreamOutput.Backlog.NONE, null, 0.99);
        ObjectNode page = StatusJson.page("gw-01", true, NOW_MS, List.of(a, b));
        assertEquals("gw-01", page.path("gateway_id").asText());
        assertEquals(true, page.path("mqtt_connected").asBoolean());
        assertEquals(1_691_234_567L, page.path("timestamp").asLong(), "Unix seconds");
        assertEquals(2, page.path("sessions").size());
        assertEquals("rtmp://h/live/abcd***", page.path("sessions").get(0).path("server_url").asText());
        assertEquals(6, page.path("sessions").get(1).path("state").asInt());
        assertEquals("error", page.path("sessions").get(1).path("state_name").asText());
    }

    @Test
    void nextRetryRoundsUpToWholeSecondsAndIsZeroWhenNoneIsDue() {
        assertEquals(0, StatusJson.secondsUntil(0, NOW_MS), "no retry scheduled");
        assertEquals(0, StatusJson.secondsUntil(NOW_MS - 5, NOW_MS), "due in the past");
        assertEquals(0, StatusJson.secondsUntil(NOW_MS, NOW_MS), "due now");
        assertEquals(1, StatusJson.secondsUntil(NOW_MS + 1, NOW_MS));
        assertEquals(1, StatusJson.secondsUntil(NOW_MS + 1000, NOW_MS));
        assertEquals(2, StatusJson.secondsUntil(NOW_MS + 1001, NOW_MS));
    }

    @Test
    void unparseableUrlShowsOnlyWhatIsBeforeTheKey() {
        SessionStatus s = new SessionStatus("CAM_3", 0, 0, "main", SessionState.ERROR, 1_691_234_500_000L,
                "ENDPOINT_ERROR", "high", "http://h/live/secretkey42", 0, "ENDPOINT_ERROR", "bad url", 0, 0,
                METRICS, StreamOutput.Backlog.NONE, null, 0.99);
        assertEquals("http://h/live/secr***",
                StatusJson.putSession(JSON.createObjectNode(), s, NOW_MS).path("server_url").asText());
    }
}
