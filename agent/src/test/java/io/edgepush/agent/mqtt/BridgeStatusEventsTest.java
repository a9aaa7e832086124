package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The bridge counters of stream_metrics and the control_failed event (issue 4 items 3 and 4). */
class BridgeStatusEventsTest {
    private final StatusEvents events = new StatusEvents(Clock.fixed(Instant.ofEpochSecond(1691234580), ZoneOffset.UTC));
    private final ObjectMapper json = new ObjectMapper();
    private final StatusEvents.Metrics metrics = new StatusEvents.Metrics(24.8, 1980.5, 620, 3, 2800, 64_000, 0.95,
            25000, 2000, java.util.Map.of("uplink", 3L));

    @Test
    void streamMetricsCarriesTheBridgeCountersNextToMetrics() throws Exception {
        String e = events.streamMetrics("CAM1", "main", metrics,
                new StatusEvents.BridgeCounters(1048576, 2, 1, 4, 3, 17, 5)).toString();
        assertEquals(json.readTree("""
                {"event": "stream_metrics", "timestamp": 1691234580, "device_id": "CAM1", "stream_name": "main",
                 "bridge": {"bytes_skipped": 1048576, "crc_errors": 2, "oversize_frames": 1, "malformed_messages": 4,
                            "sequence_gaps": 3, "frames_lost": 17, "keyframe_flag_mismatches": 5},
                 "metrics": {"fps": 24.8, "bitrate_kbps": 1980.5, "total_frames": 620, "dropped_frames": 3,
                             "latency_ms": 2800, "backlog_ms": 2800, "backlog_bytes": 64000, "network_quality": 0.95, "stream_duration_ms": 25000,
                             "target_bitrate_kbps": 2000, "dropped_by_reason": {"uplink": 3}}}
                """), json.readTree(e));
    }

    @Test
    void streamMetricsWithoutAConnectedCameraHasNoBridgeObject() throws Exception {
        assertEquals(events.streamMetrics("CAM1", "main", metrics), events.streamMetrics("CAM1", "main", metrics, null));
        assertEquals(false, events.streamMetrics("CAM1", "main", metrics).has("bridge"));
    }

    @Test
    void controlFailedNamesTheOpTheIdAndTheAttempts() throws Exception {
        String e = events.controlFailed("CAM1", "main", "FORCE_IDR", 0, 42, 3,
                "no ACK from CAM1 for control 42 within 2000 ms").toString();
        assertEquals(json.readTree("""
                {"event": "control_failed", "timestamp": 1691234580, "device_id": "CAM1", "stream_name": "main",
                 "op": "FORCE_IDR", "value": 0, "control_id": 42, "attempts": 3,
                 "error": "no ACK from CAM1 for control 42 within 2000 ms"}
                """), json.readTree(e));
    }
}
