package io.edgepush.simulator.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkTraceTest {
    private static void assertBadLine(String text, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinkTrace.parse(text, "t.trace"));
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void parsesStepsCommentsAndBlankLines() {
        LinkTrace trace = LinkTrace.parse("""
                # seconds rate_kbps
                0 4000

                  2.5\t1200   # degraded
                10 0
                10.25 0.5
                """, "t.trace");
        assertEquals(List.of(new LinkTrace.Step(Duration.ZERO, 4_000_000),
                new LinkTrace.Step(Duration.ofMillis(2500), 1_200_000),
                new LinkTrace.Step(Duration.ofSeconds(10), 0),
                new LinkTrace.Step(Duration.ofMillis(10_250), 500)), trace.steps());
        assertEquals(Duration.ofMillis(10_250), trace.lastStepAt());
    }

    @Test
    void rateAtIsTheLastStepAtOrBeforeTheTimeAndTheLastRateHoldsForEver() {
        LinkTrace trace = LinkTrace.parse("0 4000\n2.5 1200\n10 0\n12 800\n", "t.trace");
        assertEquals(4_000_000, trace.rateBpsAt(Duration.ZERO));
        assertEquals(4_000_000, trace.rateBpsAt(Duration.ofMillis(2499)));
        assertEquals(1_200_000, trace.rateBpsAt(Duration.ofMillis(2500)), "a step applies from its own time");
        assertEquals(0, trace.rateBpsAt(11.9));
        assertEquals(800_000, trace.rateBpsAt(12.0));
        assertEquals(800_000, trace.rateBpsAt(Duration.ofDays(3)), "after the last line the last rate holds");
        assertEquals(4_000_000, trace.rateBpsAt(-1.0));
    }

    @Test
    void stepsAtTheSameTimeLaterLineWins() {
        LinkTrace trace = LinkTrace.parse("0 100\n5 200\n5 300\n", "t.trace");
        assertEquals(300_000, trace.rateBpsAt(5.0));
        assertEquals(100_000, trace.rateBpsAt(4.999));
    }

    @Test
    void badLinesNameTheirLineNumber() {
        assertBadLine("0 100\n\n5\n", "t.trace line 3: expected 'SECONDS RATE_KBPS', got '5'");
        assertBadLine("0 100 7\n", "t.trace line 1: expected 'SECONDS RATE_KBPS', got '0 100 7'");
        assertBadLine("# c\n0 fast\n", "t.trace line 2: rate_kbps must be a non-negative decimal number, got 'fast'");
        assertBadLine("0 100\n-1 100\n", "t.trace line 2: seconds must be a non-negative decimal number, got '-1'");
        assertBadLine("0 100\n1e3 100\n", "t.trace line 2: seconds must be a non-negative decimal number, got '1e3'");
        assertBadLine("0 NaN\n", "t.trace line 1: rate_kbps must be a non-negative decimal number, got 'NaN'");
        assertBadLine("0 100\n5 100\n4.5 100\n", "t.trace line 3: seconds must not decrease, got 4.5 after 5");
        assertBadLine("# starts late\n1 100\n", "t.trace line 2: the first step must be at 0 seconds, got 1");
        assertBadLine("0 100000001\n", "t.trace line 1: rate_kbps must be at most 100000000, got 100000001");
        assertBadLine("# nothing\n\n", "t.trace: no steps (expected lines of 'SECONDS RATE_KBPS')");
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("uplink.trace"), "0 2000\r\n1 500\r\n");
        assertEquals(500_000, LinkTrace.read(file).rateBpsAt(1.0));
        Path bad = Files.writeString(dir.resolve("bad.trace"), "0 2000\nx y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkTrace.read(bad));
        assertEquals(bad + " line 2: seconds must be a non-negative decimal number, got 'x'", e.getMessage());
    }

    @Test
    void kbpsForReports() {
        assertEquals("1200", LinkTrace.kbps(1_200_000));
        assertEquals("0.5", LinkTrace.kbps(500));
        assertEquals("0", LinkTrace.kbps(0));
    }

    @Test
    void ofChecksTheSteps() {
        assertThrows(IllegalArgumentException.class, () -> LinkTrace.of(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> LinkTrace.of(List.of(new LinkTrace.Step(Duration.ofSeconds(1), 1))));
        assertThrows(IllegalArgumentException.class, () -> LinkTrace.of(List.of(
                new LinkTrace.Step(Duration.ZERO, 1), new LinkTrace.Step(Duration.ofSeconds(2), 1),
                new LinkTrace.Step(Duration.ofSeconds(1), 1))));
        assertThrows(IllegalArgumentException.class, () -> new LinkTrace.Step(Duration.ZERO, -1));
        assertEquals(7, LinkTrace.of(List.of(new LinkTrace.Step(Duration.ZERO, 7))).rateBpsAt(100.0));
    }
}
