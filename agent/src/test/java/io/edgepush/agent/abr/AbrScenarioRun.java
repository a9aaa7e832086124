package io.edgepush.agent.abr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.simulator.link.LinkTrace;
import io.edgepush.testkit.Peers;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code make abr-scenario}: the adaptive bitrate scenario, run once with the agent's controller ({@code edge}) and
 * once with OBS's dynamic bitrate ({@code obs}) on the same trace; prints a table per second and the summary of both,
 * writes {@code report.md} and one PNG per controller (link rate, target, sent rate and backlog over time) to
 * {@code out/abr-scenario/}, then checks the figures for {@code edge}. Named without "Test" so
 * {@code make test} leaves it alone; run it with {@code -Dtest=AbrScenarioRun}.
 *
 * <p>System properties: {@code abr.ladder} (default {@code out/ladder}, made by scripts/make-ladder.sh),
 * {@code abr.trace} (default scripts/traces/rfc8867-5.1-scaled.txt), {@code abr.out}, {@code
 * abr.target_latency_ms} (800), {@code abr.delay_ms} (20), {@code abr.controllers} ({@code edge,obs}),
 * {@code abr.check} (true: fail when edge misses a figure).
 */
class AbrScenarioRun {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void edgeAndObsOnTheSameTrace() throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffmpeg");
        Path ladder = path("abr.ladder", "out/ladder");
        Path traceFile = path("abr.trace", "scripts/traces/rfc8867-5.1-scaled.txt");
        Path out = path("abr.out", "out/abr-scenario");
        long latencyMs = Long.getLong("abr.target_latency_ms", 800);
        long delayMs = Long.getLong("abr.delay_ms", 20);
        Files.createDirectories(out);
        LinkTrace trace = LinkTrace.read(traceFile);
        List<AbrScenario.Result> results = new ArrayList<>();
        for (String controller : System.getProperty("abr.controllers", "edge,obs").split(",")) {
            results.add(AbrScenario.run(ladder, trace, controller.trim(), latencyMs, delayMs, out,
                    line -> System.out.println("abr-scenario: " + line)));
        }
        StringBuilder report = new StringBuilder();
        report.append("# ABR scenario\n\nTrace ").append(ROOT.relativize(traceFile)).append(" (").append(trace)
                .append("), one-way delay ").append(delayMs).append(" ms, target_latency_ms ").append(latencyMs)
                .append(", ladder ").append(ROOT.relativize(ladder)).append(", camera HIGH (2 Mbit/s).\n\n");
        report.append(summaryTable(results)).append('\n');
        for (AbrScenario.Result r : results) {
            report.append("## ").append(r.controller()).append(", per second\n\n").append(rowTable(r.rows()))
                    .append('\n');
            Path png = out.resolve("abr-" + r.controller() + ".png");
            plot(r, png);
            report.append("Plot: ").append(png.getFileName()).append("\n\n");
        }
        Files.writeString(out.resolve("report.md"), report, StandardCharsets.UTF_8);
        System.out.println(report);
        if (Boolean.parseBoolean(System.getProperty("abr.check", "true"))) {
            for (AbrScenario.Result r : results) {
                if (r.controller().equals("edge")) {
                    check(r.summary());
                }
            }
        }
    }

    private static void check(AbrScenario.Summary s) {
        assertTrue(s.p95BacklogMs() < 500, "p95 backlog " + s.p95BacklogMs() + " ms");
        assertTrue(s.worstRecoveryMs() <= 2000, "back under 500 ms after a capacity drop in " + s.worstRecoveryMs()
                + " ms");
        assertTrue(s.bottleneckUse() >= 0.85, "mean use of the bottleneck " + s.bottleneckUse());
        assertTrue(s.secondsTo90() >= 0 && s.secondsTo90() <= 20, "90% of the preset after " + s.secondsTo90()
                + " s");
        assertTrue(s.maxStepDownsPer10s() <= 1, "steps down per 10 s while steady: " + s.maxStepDownsPer10s());
        assertTrue(s.dropsOutsideStepDowns() < 0.01, "drops outside step-downs " + s.dropsOutsideStepDowns());
        assertEquals("", s.decodeErrors(), "the recording decodes with zero errors");
    }

    private static Path path(String property, String def) {
        String v = System.getProperty(property);
        Path p = Path.of(v == null || v.isBlank() ? def : v);
        return p.isAbsolute() ? p : ROOT.resolve(p);
    }

    static String summaryTable(List<AbrScenario.Result> results) {
        StringBuilder t = new StringBuilder("| figure | goal |");
        StringBuilder sep = new StringBuilder("|---|---|");
        for (AbrScenario.Result r : results) {
            t.append(' ').append(r.controller()).append(" |");
            sep.append("---|");
        }
        t.append('\n').append(sep).append('\n');
        line(t, results, "p95 backlog, ms", "< 500", s -> String.valueOf(s.p95BacklogMs()));
        line(t, results, "back under 500 ms after a capacity drop, ms (worst)", "<= 2000",
                s -> s.worstRecoveryMs() == Long.MAX_VALUE ? "never" : String.valueOf(s.worstRecoveryMs()));
        line(t, results, "use of the link while it is the bottleneck", ">= 85%",
                s -> String.format(Locale.ROOT, "%.1f%%", 100 * s.bottleneckUse()));
        line(t, results, "90% of the preset after the link rises, s", "<= 20",
                s -> s.secondsTo90() < 0 ? "never" : String.format(Locale.ROOT, "%.1f", s.secondsTo90()));
        line(t, results, "steps down in any 10 s while the link is steady", "<= 1",
                s -> String.valueOf(s.maxStepDownsPer10s()));
        line(t, results, "frames dropped outside step-downs", "< 1%",
                s -> String.format(Locale.ROOT, "%.2f%%", 100 * s.dropsOutsideStepDowns()));
        line(t, results, "frames sent / dropped", "", s -> s.framesSent() + " / " + s.framesDropped());
        line(t, results, "steps down in all", "", s -> String.valueOf(s.stepDowns()));
        line(t, results, "recording decode errors", "none",
                s -> s.decodeErrors().isEmpty() ? "none" : s.decodeErrors().lines().count() + " lines");
        return t.toString();
    }

    private static void line(StringBuilder t, List<AbrScenario.Result> results, String figure, String goal,
                             java.util.function.Function<AbrScenario.Summary, String> value) {
        t.append("| ").append(figure).append(" | ").append(goal).append(" |");
        for (AbrScenario.Result r : results) {
            t.append(' ').append(value.apply(r.summary())).append(" |");
        }
        t.append('\n');
    }

    static String rowTable(List<AbrScenario.Row> rows) {
        StringBuilder t = new StringBuilder("| s | link kbps | target kbps | sent kbps | through link kbps | "
                + "backlog ms | max backlog ms | drops | rung |\n|---|---|---|---|---|---|---|---|---|\n");
        for (AbrScenario.Row r : rows) {
            t.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d | %s |%n", r.second(),
                    r.linkKbps(), r.targetKbps(), r.sentKbps(), r.linkUsedKbps(), r.backlogMs(), r.maxBacklogMs(),
                    r.drops(), r.rung()));
        }
        return t.toString();
    }

    private static void plot(AbrScenario.Result r, Path png) throws Exception {
        List<Double> t = new ArrayList<>();
        List<Double> link = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        List<Double> sent = new ArrayList<>();
        List<Double> backlog = new ArrayList<>();
        for (AbrScenario.Row row : r.rows()) {
            t.add((double) row.second());
            link.add((double) row.linkKbps());
            target.add((double) row.targetKbps());
            sent.add((double) row.sentKbps());
            backlog.add((double) row.maxBacklogMs());
        }
        XYChart chart = new XYChartBuilder().width(1200).height(600)
                .title("ABR scenario, controller " + r.controller()).xAxisTitle("seconds").yAxisTitle("kbit/s")
                .build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        add(chart, "link rate (kbit/s)", t, link, Color.BLACK, 0);
        add(chart, "target (kbit/s)", t, target, new Color(0x1f77b4), 0);
        add(chart, "sent (kbit/s)", t, sent, new Color(0x2ca02c), 0);
        add(chart, "backlog, max per s (ms)", t, backlog, new Color(0xd62728), 1);
        chart.setYAxisGroupTitle(1, "ms");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, List<Double> x, List<Double> y, Color color, int group) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(1.5f));
        s.setYAxisGroup(group);
    }
}
