package io.edgepush.agent.bench;

import io.edgepush.agent.bench.Contenders.Figures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes BENCHMARKS.md from the figures of one {@code make bench} run. */
final class BenchReport {
    /** The agent's and ffmpeg's figures for one N. */
    record Row(int n, Figures agent, Figures ffmpeg) {
    }

    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private long[] ttffBuffered;
    private long[] ttffUnbuffered;
    private StartAndCapacity.Capacity capacity;
    private int capacityWindowSec;
    private int warmupSec;
    private int windowSec;

    BenchReport(String agentFlags, int warmupSec, int windowSec) {
        this.warmupSec = warmupSec;
        this.windowSec = windowSec;
        machine.put("CPU", cpuModel());
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("agent JVM flags", agentFlags);
        machine.put("date", LocalDate.now().toString());
        machine.put("windows", "first " + warmupSec + " s after start (start-up), then " + windowSec
                + " s (steady state)");
    }

    void add(Row row) {
        rows.add(row);
    }

    void timeToFirstFrame(long[] buffered, long[] unbuffered) {
        this.ttffBuffered = buffered;
        this.ttffUnbuffered = unbuffered;
    }

    void capacity(StartAndCapacity.Capacity result, int windowSec) {
        this.capacity = result;
        this.capacityWindowSec = windowSec;
    }

    /** The report as Markdown. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `make bench` (agent/src/test/java/io/edgepush/agent/bench). The agent carries N streams"
                + " of a 1080p30 H.264 clip at about 4 Mbps (the `ultra` preset) from N simulated cameras (bridge"
                + " protocol over TCP) to nginx-rtmp with recording off; the baseline is N processes of"
                + " `ffmpeg -re -stream_loop -1 -i clip.mp4 -c copy -f flv URL` with the same frames. One after the"
                + " other on the same machine. CPU is utime + stime of each process tree from /proc, as % of one"
                + " core; RSS is the peak (VmHWM), summed over processes. The cameras, nginx and the broker are not"
                + " counted. Ratios matter; absolute figures vary by machine.\n\n");
        for (Map.Entry<String, String> e : machine.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\n| N | window | agent CPU % | N x ffmpeg CPU % | ratio | agent peak RSS MB | ffmpeg RSS MB | ratio"
                + " | agent drops | added latency p50 / p99 / max ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(row(r.n(), "first " + warmupSec + " s", r.agent().firstCpuPct(), r.ffmpeg().firstCpuPct(), r,
                    "-")).append(row(r.n(), "steady " + windowSec + " s", r.agent().steadyCpuPct(),
                    r.ffmpeg().steadyCpuPct(), r, latency(r.agent().latency())));
        }
        md.append("\nAgent drops count from the start (both rows show the same total). ffmpeg never drops: `-re` paces"
                + " reading and a slow socket blocks it. Added latency: from a bridge"
                + " frame received to the last byte of its RTMP message handed to the socket, per stream over the"
                + " last 60 s (the agent's `/status` `added_latency_ms`), worst stream.\n");
        if (ttffBuffered != null) {
            md.append("\n## Time to first frame\n\nMQTT `start` -> first coded picture at the RTMP server (the"
                    + " simulator's ingest), through the endpoint request to the simulated cloud, RTMP connect and"
                    + " publish; ").append(ttffBuffered.length).append(" starts each.\n\n| case | median ms | min |"
                    + " max |\n|---|---|---|---|\n");
            md.append(ttffRow("with a buffered GOP", ttffBuffered));
            md.append(ttffRow("without (GOP buffer too small for a keyframe; the agent asks the camera for an IDR)",
                    ttffUnbuffered));
        }
        if (capacity != null) {
            md.append("\n## Capacity\n\nThe most `ultra` streams (1080p30, 4 Mbps) the agent carried with zero drops"
                    + " and every frame sent (at least 97% of 30 fps over ").append(capacityWindowSec)
                    .append(" s) into nginx-rtmp with recording off, cameras joining in batches: **")
                    .append(capacityFigure()).append("**. ").append(capacity.held()
                            ? "Every step held: the figure is the largest step tried (BENCH_CAPACITY_STEPS),"
                                    + " a lower bound"
                            : "First step that did not hold: " + capacity.limit())
                    .append(". The simulated cameras, nginx and the agent share the"
                            + " machine's cores, so the cameras' own cost bounds this figure too.\n");
        }
        md.append("\n## Targets (issue 13)\n\n").append(targets());
        return md.toString();
    }

    /** Everything in BENCHMARKS.md from this line on is written by hand and kept when the tables are rewritten. */
    static final String HAND_WRITTEN = "<!-- written by hand below: make bench keeps it -->";

    /** Writes the report to {@code file}, keeping the hand-written part of the old one (from {@link #HAND_WRITTEN}). */
    void write(Path file) throws IOException {
        String kept = "";
        if (Files.isRegularFile(file)) {
            String old = Files.readString(file);
            int at = old.indexOf(HAND_WRITTEN);
            kept = at < 0 ? "" : "\n" + old.substring(at);
        }
        Files.writeString(file, markdown() + kept);
    }

    private String row(int n, String window, double agentCpu, double ffmpegCpu, Row r, String latency) {
        return String.format(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f | %s | %s |%n", n,
                window, agentCpu, ffmpegCpu, agentCpu / ffmpegCpu, r.agent().peakRssMb(), r.ffmpeg().peakRssMb(),
                r.agent().peakRssMb() / r.ffmpeg().peakRssMb(), r.agent().drops(), latency);
    }

    private static String latency(Contenders.Latency l) {
        return Double.isNaN(l.p99Ms()) ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f / %.2f", l.p50Ms(),
                l.p99Ms(), l.maxMs());
    }

    private static String ttffRow(String what, long[] sortedMs) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", what, median(sortedMs), sortedMs[0],
                sortedMs[sortedMs.length - 1]);
    }

    static long median(long[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private String targets() {
        StringBuilder t = new StringBuilder();
        Row eight = rows.stream().filter(r -> r.n() == 8).findFirst().orElse(null);
        if (eight != null) {
            t.append(target("N = 8, steady state: agent CPU <= 0.5 x ffmpeg's",
                    eight.agent().steadyCpuPct() / eight.ffmpeg().steadyCpuPct(), 0.5, "x"));
            t.append(target("N = 8: agent peak RSS <= 1/3 of ffmpeg's",
                    eight.agent().peakRssMb() / eight.ffmpeg().peakRssMb(), 1.0 / 3, "x"));
            t.append(target("N = 8, first " + warmupSec + " s: agent CPU <= 1.0 x ffmpeg's",
                    eight.agent().firstCpuPct() / eight.ffmpeg().firstCpuPct(), 1.0, "x"));
        }
        Row big = rows.stream().filter(r -> r.n() == 32).findFirst().orElse(null);
        if (big != null && !Double.isNaN(big.agent().latency().p99Ms())) {
            t.append(target("N = 32: p99 added latency < 5 ms", big.agent().latency().p99Ms(), 5, " ms"));
        }
        if (ttffBuffered != null) {
            t.append(target("time to first frame with a buffered GOP < 300 ms", median(ttffBuffered), 300, " ms"));
        }
        if (capacity != null) {
            t.append("- capacity stated: ").append(capacityFigure()).append(" ultra\n");
        }
        return t.toString();
    }

    private String capacityFigure() {
        return (capacity.held() ? "at least " : "") + capacity.streams() + " streams";
    }

    private static String target(String what, double value, double bound, String unit) {
        boolean met = value <= bound;
        return String.format(Locale.ROOT, "- %s: %s (%.2f%s; %s)%n", what, met ? "**met**" : "**missed**", value,
                unit, met ? "bound " + fmt(bound) + unit : "over by " + fmt(value - bound) + unit + ", "
                        + String.format(Locale.ROOT, "%.0f%%", 100 * (value - bound) / bound));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
