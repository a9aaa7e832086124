package io.edgepush.agent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make bench} in small so it cannot rot: N = 1 for 5 s windows, two starts for time to first frame, one
 * capacity step. Asserts that figures came out and make sense (frames flowed, CPU and RSS above 0, a report with
 * every section); never a speed.
 */
class BenchSmokeTest {

    @Test
    void aShortBenchProducesEveryFigure(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("mosquitto");
        Peers.require("ffmpeg");
        BenchSetup setup = BenchSetup.prepare(dir, false);
        BenchReport report = BenchRun.run(setup, new int[] {1}, 5, 5, 2, new int[] {2}, 3);
        String md = report.markdown();
        assertTrue(md.contains("| 1 | first 5 s |") && md.contains("| 1 | steady 5 s |"), md);
        assertTrue(md.contains("## Time to first frame") && md.contains("## Capacity"), md);
        assertTrue(md.contains("agent JVM flags"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| 1 | steady 5 s |") && !l.endsWith("| n/a |")),
                "the agent reported its added latency: " + md);
    }

    @Test
    void theCapacitySearchStopsAtTheFirstStepThatFails() {
        assertEquals(32, StartAndCapacity.largestHolding(new int[] {16, 32, 48, 64}, n -> n <= 40));
        assertEquals(0, StartAndCapacity.largestHolding(new int[] {16, 32}, n -> false));
        assertEquals(32, StartAndCapacity.largestHolding(new int[] {16, 32}, n -> true));
        assertEquals(16, StartAndCapacity.largestHolding(new int[] {16, 32, 48}, n -> n != 32),
                "a larger step is not tried after a failure");
    }

    @Test
    void procStatsCountAChildProcessCpuAndMemory() throws Exception {
        Process busy = new ProcessBuilder(BenchSetup.javaBin(), "-XX:+UseSerialGC", "-version").start();
        long self = ProcessHandle.current().pid();
        assertTrue(ProcStats.treeCpuSeconds(self) > 0, "this JVM has used CPU");
        assertTrue(ProcStats.treePeakRssMb(self) > 10, "this JVM's peak RSS");
        assertTrue(ProcStats.tree(self).size() >= 1);
        busy.waitFor();
        assertEquals(0, ProcStats.cpuTicks(Long.MAX_VALUE), "a process that is gone reads as 0");
    }

    @Test
    void rewritingTheReportKeepsTheHandWrittenPart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        java.nio.file.Files.writeString(file, "old tables\n" + BenchReport.HAND_WRITTEN + "\n## Notes\nkept\n");
        new BenchReport("flags", 5, 5).write(file);
        String md = java.nio.file.Files.readString(file);
        assertTrue(md.startsWith("# Benchmarks") && !md.contains("old tables"), md);
        assertTrue(md.endsWith(BenchReport.HAND_WRITTEN + "\n## Notes\nkept\n"), md);
    }

    @Test
    void theMedianOfSortedTimes() {
        assertEquals(20, BenchReport.median(new long[] {10, 20, 30}));
        assertEquals(25, BenchReport.median(new long[] {10, 20, 30, 40}));
    }
}
