package io.edgepush.simulator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StreamStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void followsTheDesignEvents() throws Exception {
        StreamStatus s = StreamStatus.initial("CAM_1");
        assertEquals("idle", s.state());
        assertFalse(s.started());

        s = s.apply(json("{\"event\":\"stream_started\",\"timestamp\":1,\"state\":3,"
                + "\"metrics\":{\"fps\":25.0,\"bitrate_kbps\":1950.0,\"is_connected\":true}}"));
        assertEquals(new StreamStatus("CAM_1", "streaming", 25.0, 1950.0, 0, 0, true, null, StreamStatus.Motion.NONE), s);

        s = s.apply(json("{\"event\":\"stream_metrics\",\"timestamp\":2,\"metrics\":{\"fps\":24.8,"
                + "\"bitrate_kbps\":1980.5,\"total_frames\":620,\"dropped_frames\":3,\"latency_ms\":2800}}"));
        assertEquals(new StreamStatus("CAM_1", "streaming", 24.8, 1980.5, 620, 3, true, null, StreamStatus.Motion.NONE), s);
        assertEquals("CAM_1          streaming    fps= 24.8 kbps= 1980.5 frames=   620 dropped=   3", s.line());

        s = s.apply(json("{\"event\":\"connection_error\",\"error_code\":\"RTMP_CONNECT_TIMEOUT\",\"state\":4}"));
        assertEquals("reconnecting", s.state());

        StreamStatus same = s.apply(json("{\"event\":\"command_ack\",\"command_id\":\"c-1\",\"ok\":true}"));
        assertSame(s, same);

        s = s.apply(json("{\"event\":\"stream_stopped\",\"state\":0,\"final_metrics\":{\"total_frames_sent\":1250,"
                + "\"stream_duration_ms\":50000,\"average_fps\":25.0,\"average_bitrate_kbps\":2010.2}}"));
        assertEquals("stopped", s.state());
        assertTrue(s.started());
        assertEquals(1250, s.finalMetrics().path("total_frames_sent").asLong());
    }

    @Test
    void aMotionStreamKeepsItsPreRollAndGoesBackToIdle() throws Exception {
        StreamStatus s = StreamStatus.initial("CAM_3");
        s = s.apply(json("{\"event\":\"motion_detected\",\"source\":\"camera\",\"pre_roll_sec\":2}"), 10_000);
        assertEquals(new StreamStatus.Motion(10_000, 2, -1, -1, -1, -1), s.motion());
        assertEquals("idle", s.state());
        s = s.apply(json("{\"event\":\"stream_started\",\"state\":3,\"pre_roll_ms\":2000,"
                + "\"metrics\":{\"fps\":25.0,\"bitrate_kbps\":400.0}}"), 10_100);
        assertEquals("streaming", s.state());
        assertEquals(2000, s.motion().preRollMs());
        s = s.apply(json("{\"event\":\"motion_ended\",\"source\":\"camera\",\"stops_in_sec\":5}"), 12_000);
        assertEquals(12_000, s.motion().endedAtMs());
        assertEquals(5, s.motion().stopsInSec());
        s = s.apply(json("{\"event\":\"stream_stopped\",\"state\":0,\"final_metrics\":{\"total_frames_sent\":226}}"),
                17_000);
        assertEquals("idle", s.state());
        assertEquals(new StreamStatus.Motion(10_000, 2, 2000, 12_000, 5, 17_000), s.motion());
        assertEquals(226, s.finalMetrics().path("total_frames_sent").asLong());
    }

    @Test
    void aStreamStartedWithoutPreRollSaysSo() throws Exception {
        StreamStatus s = StreamStatus.initial("CAM_1").apply(json("{\"event\":\"stream_started\",\"state\":3}"));
        assertEquals(-1, s.motion().preRollMs());
        assertFalse(s.motion().detected());
        s = s.apply(json("{\"event\":\"stream_stopped\",\"state\":0,\"final_metrics\":{}}"));
        assertEquals("stopped", s.state());
        assertEquals(-1, s.motion().stoppedAtMs());
    }

    @Test
    void unknownStateNumbersAreNamedNotDropped() {
        assertEquals("error", StreamStatus.stateName(6));
        assertEquals("state-9", StreamStatus.stateName(9));
        assertNull(StreamStatus.initial("X").finalMetrics());
    }

    @Test
    void startGapShrinksForShortDemos() {
        assertEquals(3, DemoTimeline.startGapSec(0));
        assertEquals(3, DemoTimeline.startGapSec(30));
        assertEquals(2, DemoTimeline.startGapSec(5));
        assertEquals(0, DemoTimeline.startGapSec(1));
    }
}
