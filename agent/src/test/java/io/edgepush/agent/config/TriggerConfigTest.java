package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig.MotionSource;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.config.AgentConfig.Trigger;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trigger keys of a stream: {@code motion} (motion_based only), {@code schedule} (scheduled only, at least one
 * window), and the pre-roll's bound; every error names the JSON path.
 */
class TriggerConfigTest {

    private static ObjectNode stream0(ObjectNode root) {
        return (ObjectNode) root.at("/cameras/0/streams/0");
    }

    private static StreamConfig parsedStream0(ObjectNode root) throws ConfigException {
        return ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0);
    }

    private static ConfigException fails(ObjectNode root) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(root.toString()));
    }

    private static ObjectNode window(ObjectNode stream, String days, String start, String end, String tz) {
        return stream.withArray("schedule").addObject().put("days", days).put("start", start).put("end", end)
                .put("tz", tz);
    }

    @Test
    void motionBasedDefaultsToCameraEventsAndTakesBitstream() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "motion_based");
        assertEquals(MotionSource.CAMERA, parsedStream0(root).motion());
        stream0(root).putObject("motion").put("source", "bitstream");
        assertEquals(MotionSource.BITSTREAM, parsedStream0(root).motion());
        stream0(root).put("trigger", "on_demand").remove("motion");
        assertNull(parsedStream0(root).motion(), "no motion source for other triggers");
    }

    @Test
    void motionErrorsNameThePath() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "motion_based").putObject("motion").put("source", "radar");
        ConfigException e = fails(root);
        assertEquals("$.cameras[0].streams[0].motion.source", e.jsonPath());
        assertTrue(e.getMessage().contains("camera, bitstream"), e.getMessage());

        root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "always_on").putObject("motion").put("source", "camera");
        e = fails(root);
        assertEquals("$.cameras[0].streams[0].motion", e.jsonPath());
        assertTrue(e.getMessage().contains("only used with \"trigger\": \"motion_based\""), e.getMessage());
    }

    @Test
    void scheduledTakesSeveralWindows() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ObjectNode s = stream0(root).put("trigger", "scheduled");
        window(s, "mon-fri", "08:00", "18:00", "Europe/Berlin");
        window(s, "sat", "22:00", "06:00", "UTC");
        List<ScheduleWindow> windows = parsedStream0(root).schedule();
        assertEquals(2, windows.size());
        assertEquals(new ScheduleWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0),
                LocalTime.of(18, 0), ZoneId.of("Europe/Berlin")), windows.get(0));
        assertEquals(Trigger.SCHEDULED, parsedStream0(root).trigger());
    }

    @Test
    void scheduleErrorsNameTheWindowAndField() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "scheduled");
        ConfigException e = fails(root);
        assertEquals("$.cameras[0].streams[0].schedule", e.jsonPath());
        assertTrue(e.getMessage().contains("at least one window"), e.getMessage());

        root = ConfigLoaderTest.example();
        ObjectNode s = stream0(root).put("trigger", "scheduled");
        window(s, "mon-fri", "08:00", "18:00", "Europe/Berlin");
        window(s, "mnday", "08:00", "18:00", "Europe/Berlin");
        e = fails(root);
        assertEquals("$.cameras[0].streams[0].schedule[1].days", e.jsonPath());
        assertTrue(e.getMessage().contains("mnday"), e.getMessage());

        root = ConfigLoaderTest.example();
        window(stream0(root).put("trigger", "scheduled"), "daily", "8:00", "18:00", "Europe/Berlin");
        assertEquals("$.cameras[0].streams[0].schedule[0].start", fails(root).jsonPath());

        root = ConfigLoaderTest.example();
        window(stream0(root).put("trigger", "scheduled"), "daily", "08:00", "08:00", "Europe/Berlin");
        assertEquals("$.cameras[0].streams[0].schedule[0].end", fails(root).jsonPath());

        root = ConfigLoaderTest.example();
        window(stream0(root).put("trigger", "scheduled"), "daily", "08:00", "09:00", "Mars/Olympus");
        assertEquals("$.cameras[0].streams[0].schedule[0].tz", fails(root).jsonPath());

        root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "scheduled").withArray("schedule").addObject().put("days", "daily");
        ConfigException missing = fails(root);
        assertEquals("$.cameras[0].streams[0].schedule[0].end: required string is missing\n"
                + "$.cameras[0].streams[0].schedule[0].start: required string is missing\n"
                + "$.cameras[0].streams[0].schedule[0].tz: required string is missing", missing.getMessage(),
                "missing fields, all of them, sorted by path");

        root = ConfigLoaderTest.example();
        window(stream0(root).put("trigger", "on_demand"), "daily", "08:00", "09:00", "UTC");
        e = fails(root);
        assertEquals("$.cameras[0].streams[0].schedule", e.jsonPath());
        assertTrue(e.getMessage().contains("only used with \"trigger\": \"scheduled\""), e.getMessage());
    }

    @Test
    void withAMotionStreamThePreRollAndItsMarginMustFitTheGopBuffer() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("pre_roll_sec", 8).put("gop_buffer_ms", 10_000);
        assertEquals(8, ConfigLoader.parse(root.toString()).streaming().preRollSec(), "no motion stream: no bound");
        stream0(root).put("trigger", "motion_based");
        ConfigException e = fails(root);
        assertEquals("$.streaming.pre_roll_sec", e.jsonPath());
        assertTrue(e.getMessage().contains("gop_buffer_ms (10000 ms)"), e.getMessage());
        ((ObjectNode) root.get("streaming")).put("pre_roll_sec", 7);
        assertEquals(7, ConfigLoader.parse(root.toString()).streaming().preRollSec(), "7 s + 2 s < 10 s");
        ((ObjectNode) root.get("streaming")).put("pre_roll_sec", 10).put("gop_buffer_ms", 20_000);
        assertEquals(10, ConfigLoader.parse(root.toString()).streaming().preRollSec());
    }
}
