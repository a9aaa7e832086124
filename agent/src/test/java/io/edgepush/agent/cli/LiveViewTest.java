package io.edgepush.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.testkit.Await;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live terminal view's lines and how it shares the terminal with the log ({@link LiveView}), on a captured
 * stream standing in for the terminal: the block is written under complete log lines, erased with
 * {@code ESC[nA ESC[J} before the next ones, an unfinished log line waits for its end, and close gives
 * {@code System.err} back. The view in a real pty and the plain output without one: {@link LiveViewProcessTest}.
 */
class LiveViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERASE_3 = "\r\u001b[3A\u001b[J";

    static JsonNode page() throws Exception {
        return JSON.readTree("""
                {"gateway_id": "gw-1", "mqtt_connected": true, "timestamp": 1700000000, "sessions": [
                 {"device_id": "CAM_1", "stream_name": "main", "state_name": "streaming", "quality": "high",
                  "reconnect_attempts": 0, "last_error_code": null, "trigger": "always_on", "trigger_state": "on",
                  "metrics": {"average_fps": 24.96, "average_bitrate_kbps": 1495.6, "backlog_ms": 120,
                              "dropped_frames": 3}},
                 {"device_id": "CAM_22", "stream_name": "sub", "state_name": "reconnecting", "quality": "low",
                  "reconnect_attempts": 12, "last_error_code": "RTMP_CONNECT_REFUSED",
                  "last_error_message": "connection refused", "metrics": {"backlog_ms": 0}}]}
                """);
    }

    @Test
    void oneAlignedLinePerStreamUnderTheGatewayLine() throws Exception {
        assertEquals(List.of(
                "-- live: gateway gw-1  mqtt connected  2 streams --",
                "DEVICE/STREAM  STATE         PRESET  FPS   KBPS  BACKLOG_MS  DROPPED  RECONNECTS",
                "CAM_1/main     streaming     high    25.0  1496  120         3        0",
                "CAM_22/sub     reconnecting  low     -     -     0           -        12"),
                LiveView.lines(page(), 200));
    }

    @Test
    void linesAreCutToTheTerminalWidthSoNoneWraps() throws Exception {
        List<String> lines = LiveView.lines(page(), 30);
        assertEquals(4, lines.size());
        for (String line : lines) {
            assertTrue(line.length() <= 29, line);
        }
        assertEquals("CAM_1/main     streaming     ", lines.get(2));
    }

    @Test
    void statusTableShowsTriggerAndLastError() throws Exception {
        List<String> rows = StatusTable.rows(page(), StatusTable.STATUS_COLUMNS);
        assertTrue(rows.get(1).contains("always_on:on"), rows.get(1));
        assertTrue(rows.get(2).endsWith("RTMP_CONNECT_REFUSED: connection refused"), rows.get(2));
        assertTrue(rows.get(1).endsWith("-"), "no error: " + rows.get(1));
    }

    @Test
    void logLinesGoAboveTheBlockWhichIsRedrawnAfterThem() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(captured, true, StandardCharsets.UTF_8);
        JsonNode one = JSON.readTree("""
                {"gateway_id": "gw", "mqtt_connected": false, "sessions": [
                 {"device_id": "C", "stream_name": "main", "state_name": "idle"}]}""");
        AtomicReference<JsonNode> status = new AtomicReference<>(one);
        PrintStream before = System.err;
        LiveView view = LiveView.start(status::get, terminal, 80);
        try {
            Await.until(() -> text(captured).contains("C/main"), Duration.ofSeconds(10), "first block drawn");
            String block = String.join("\n", LiveView.lines(one, 80)) + "\n";
            System.err.print("half a line");
            assertFalse(text(captured).contains("half a line"), "an unfinished line waits");
            System.err.println(", now whole");
            Await.until(() -> text(captured).contains(", now whole"), Duration.ofSeconds(10), "log line");
            String out = text(captured);
            int logAt = out.indexOf(ERASE_3 + "half a line, now whole\n" + block);
            assertTrue(logAt >= 0, "erase, the log line, the block again: " + visible(out));
            assertTrue(out.startsWith(block), "the first block: " + visible(out));
        } finally {
            view.close();
        }
        assertSame(before, System.err, "System.err given back");
        String out = text(captured);
        assertTrue(out.endsWith(ERASE_3), "close erases the block: " + visible(out));
    }

    private static String text(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String visible(String text) {
        return text.replace("\u001b", "<ESC>").replace("\r", "<CR>");
    }
}
