package io.edgepush.simulator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the summary says about a motion-driven stream (issue 11 item 6), from the status the console kept. */
class DemoSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_000_000;

    private static Demo.Options options(int seconds) {
        return new Demo.Options(seconds, Path.of("agent.jar"), Path.of("demo.json"), "gw", Path.of("out"), 18830,
                17000, List.of("CAM_1", "CAM_3"), List.of("CAM_3"), 2, 5, 19350, 25);
    }

    /** CAM_3 as the console sees it: motion at 10 s, started with {@code preRollMs}, stopped at {@code stopMs}. */
    private static StreamStatus motionStream(String preRollMs, long stopMs) throws Exception {
        StreamStatus s = StreamStatus.initial("CAM_3")
                .apply(JSON.readTree("{\"event\":\"motion_detected\",\"pre_roll_sec\":2}"), T0 + 10_100)
                .apply(JSON.readTree("{\"event\":\"stream_started\",\"state\":3" + preRollMs + "}"), T0 + 10_200)
                .apply(JSON.readTree("{\"event\":\"motion_ended\",\"stops_in_sec\":5}"), T0 + 12_100);
        return stopMs < 0 ? s : s.apply(JSON.readTree("{\"event\":\"stream_stopped\",\"state\":0,"
                + "\"final_metrics\":{\"total_frames_sent\":226}}"), T0 + stopMs);
    }

    @Test
    void theNormalCaseShowsMotionPreRollSelfStopAndRecording() throws Exception {
        DemoSummary.MotionReport r = DemoSummary.motionReport(options(30), motionStream(",\"pre_roll_ms\":2000", 17_200),
                T0, T0 + 30_000, List.of(Path.of("/rec/cam_3_key.flv")), 226);
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of("motion at 10.0 s (camera clock), motion_detected at 10.1 s (demo clock)",
                "stream_started pre_roll_ms 2000: recording starts 2000 ms before the motion",
                "stopped by itself at 17.2 s (demo clock), 5.1 s after motion_ended (post_roll_sec 5)",
                "recording /rec/cam_3_key.flv, 226 frames recorded"), r.lines());
    }

    @Test
    void noPreRollNoRecordingAndNoSelfStopAreWarned() throws Exception {
        DemoSummary.MotionReport r = DemoSummary.motionReport(options(30), motionStream("", 30_500), T0,
                T0 + 30_000, List.of(), 0);
        assertEquals(3, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("CAM_3: stream_started had no pre_roll_ms"), r.warnings().get(0));
        assertEquals("CAM_3: did not stop by itself before the demo's stop (the demo's stop ended it)",
                r.warnings().get(1));
        assertEquals("CAM_3: no recording of the motion_based stream in out", r.warnings().get(2));

        r = DemoSummary.motionReport(options(30), motionStream(",\"pre_roll_ms\":0", 17_000), T0, T0 + 30_000,
                List.of(Path.of("/rec/x.flv")), 0);
        assertEquals(List.of("CAM_3: stream_started had pre_roll_ms 0; expected the buffered GOPs from up to 2 s"
                + " before the motion to be sent first", "CAM_3: the ingest recorded no frames of the motion_based"
                + " stream"), r.warnings());
    }

    @Test
    void aMotionStreamThatNeverStartedIsWarned() {
        DemoSummary.MotionReport r = DemoSummary.motionReport(options(30), StreamStatus.initial("CAM_3"), T0,
                T0 + 30_000, List.of(), 0);
        assertEquals(List.of("CAM_3: the motion_based stream never started"), r.warnings());
        assertEquals(List.of("motion at 10.0 s (camera clock), no motion_detected received"), r.lines());
    }

    @Test
    void aDemoShorterThanThePostRollEndsTheMotionStreamWithoutAWarning() throws Exception {
        // --seconds 9: motion at 3 s, ends at 5 s, post-roll to 10 s, past the demo's end
        DemoSummary.MotionReport r = DemoSummary.motionReport(options(9), motionStream(",\"pre_roll_ms\":2000",
                9_300), T0, T0 + 9_000, List.of(Path.of("/rec/x.flv")), 120);
        assertEquals(List.of(), r.warnings());
        assertTrue(r.lines().contains("did not stop by itself before the demo's stop (the demo's stop ended it), as"
                + " expected: motion end 5.0 s + post_roll_sec 5 is past the demo's 9 s"), r.lines().toString());
    }

    @Test
    void motionTimeFitsShortDemos() {
        assertEquals(10.0, options(30).motionAtSec());
        assertEquals(10.0, options(0).motionAtSec());
        assertEquals(3.0, options(9).motionAtSec());
        assertTrue(options(30).motionDriven("CAM_3"));
        assertTrue(!options(30).motionDriven("CAM_1"));
        assertEquals("CAM_3: motion at 10.0 s (camera clock) -> motion_based stream starts with 2 s pre-roll, stops"
                + " 5 s after the motion ends (no start/stop commands)", DemoTimeline.motionPlan(options(30), "CAM_3"));
    }
}
