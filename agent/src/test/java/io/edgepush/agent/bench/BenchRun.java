package io.edgepush.agent.bench;

import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: for each N of {@code bench.n} (default 1,8,32) the agent and N ffmpeg processes, then time to
 * first frame and capacity; writes {@code bench.report} (default BENCHMARKS.md at the repository root). Not part of
 * {@code make test} (its name does not end in Test); {@link BenchSmokeTest} keeps it from rotting.
 * Properties: bench.n, bench.warmup_sec (60), bench.window_sec (60), bench.out (out/bench), bench.report,
 * bench.ttff_reps (10), bench.capacity_steps (32,64,96,128), bench.capacity_window_sec (8).
 */
class BenchRun {
    @Test
    void bench() throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("mosquitto");
        Peers.require("ffmpeg");
        long started = System.nanoTime();
        int[] ns = ints(System.getProperty("bench.n", "1,8,32"));
        int warmup = Integer.getInteger("bench.warmup_sec", 60);
        int window = Integer.getInteger("bench.window_sec", 60);
        BenchSetup setup = BenchSetup.prepare(Path.of(System.getProperty("bench.out", "out/bench")).toAbsolutePath(),
                true);
        Path report = Path.of(System.getProperty("bench.report", setup.root().resolve("BENCHMARKS.md").toString()));
        run(setup, ns, warmup, window, Integer.getInteger("bench.ttff_reps", 10),
                ints(System.getProperty("bench.capacity_steps", "32,64,96,128")),
                Integer.getInteger("bench.capacity_window_sec", 8)).write(report);
        System.out.printf("event=bench_done report=%s elapsed_s=%d%n", report, (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** The whole benchmark; {@code capacitySteps} empty or {@code ttffReps} 0 skips that part. */
    static BenchReport run(BenchSetup setup, int[] ns, int warmup, int window, int ttffReps, int[] capacitySteps,
                           int capacityWindow) throws Exception {
        BenchReport report = new BenchReport(setup.agentFlags(), warmup, window);
        for (int n : ns) {
            Contenders.Figures agent = Contenders.agent(setup, n, warmup, window);
            System.out.printf("event=bench_agent n=%d %s%n", n, agent);
            Contenders.Figures ffmpeg = Contenders.ffmpeg(setup, n, warmup, window);
            System.out.printf("event=bench_ffmpeg n=%d %s%n", n, ffmpeg);
            report.add(new BenchReport.Row(n, agent, ffmpeg));
        }
        if (ttffReps > 0) {
            long[] buffered = StartAndCapacity.timeToFirstFrame(setup, true, ttffReps);
            long[] unbuffered = StartAndCapacity.timeToFirstFrame(setup, false, ttffReps);
            System.out.printf("event=bench_ttff buffered_ms=%s unbuffered_ms=%s%n", Arrays.toString(buffered),
                    Arrays.toString(unbuffered));
            report.timeToFirstFrame(buffered, unbuffered);
        }
        if (capacitySteps.length > 0) {
            StartAndCapacity.Capacity capacity = StartAndCapacity.capacity(setup, capacitySteps, capacityWindow);
            System.out.printf("event=bench_capacity %s%n", capacity);
            report.capacity(capacity, capacityWindow);
        }
        return report;
    }

    static int[] ints(String csv) {
        return csv.isBlank() ? new int[0] : Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt)
                .toArray();
    }
}
