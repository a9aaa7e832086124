package io.edgepush.agent.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the agent from outside while the chaos run goes on: polls its local {@code GET /status} every
 * {@link #POLL_MS} ms (one {@link Sample} per answer) and reads its {@code /proc/PID/status} (VmRSS, Threads) every
 * second. Each page is handed to a checker as it arrives (the rig looks for secrets in it). One scheduler thread does
 * both; the lists may be read from any thread.
 */
final class StatusPoller implements AutoCloseable {
    /** Poll period of /status, milliseconds (the brief: 100-200 ms). */
    static final long POLL_MS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stream as one /status page showed it.
     *
     * @param state the {@code state_name}, e.g. {@code streaming}
     * @param totalFrames {@code metrics.total_frames}: frames sent
     * @param droppedByReason {@code metrics.dropped_by_reason}
     * @param received {@code metrics.frames_received}
     * @param resent {@code metrics.frames_resent} (part of {@code totalFrames})
     * @param buffered {@code metrics.frames_buffered}
     */
    record Stream(String state, long totalFrames, Map<String, Long> droppedByReason, long received, long resent,
                  long buffered) {
        /** Without the ledger's counts (0). */
        Stream(String state, long totalFrames, Map<String, Long> droppedByReason) {
            this(state, totalFrames, droppedByReason, 0, 0, 0);
        }

        long dropped() {
            return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        /** received - (sent - resent + dropped + buffered): 0 when every frame is accounted for. */
        long unaccounted() {
            return received - (totalFrames - resent + dropped() + buffered);
        }
    }

    /** One /status answer: when it arrived (monotonic ms, {@link ChaosClock}) and each stream by device id. */
    record Sample(long atMs, Map<String, Stream> streams) {
    }

    /** One reading of /proc/PID/status: resident set in KiB and thread count. */
    record Proc(long atMs, long rssKb, int threads) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI uri;
    private final Path procStatus;
    private final Consumer<String> pageChecker;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-status-poller");
        t.setDaemon(true);
        return t;
    });
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Proc> procs = new CopyOnWriteArrayList<>();
    private volatile int failedPolls;

    StatusPoller(int httpPort, long pid, Consumer<String> pageChecker) {
        this.uri = URI.create("http://127.0.0.1:" + httpPort + "/status");
        this.procStatus = Path.of("/proc", Long.toString(pid), "status");
        this.pageChecker = pageChecker;
    }

    /** Starts polling. */
    StatusPoller start() {
        scheduler.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::readProc, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Every sample so far, oldest first. */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The newest sample, or null before the first. */
    Sample latest() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    /** Every /proc reading so far, oldest first. */
    List<Proc> procs() {
        return List.copyOf(procs);
    }

    /** Polls that got no answer (the agent busy or gone). */
    int failedPolls() {
        return failedPolls;
    }

    private void poll() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            long at = ChaosClock.nowMs();
            pageChecker.accept(r.body());
            samples.add(new Sample(at, parse(JSON.readTree(r.body()))));
        } catch (IOException | RuntimeException e) {
            failedPolls++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, Stream> parse(JsonNode page) {
        Map<String, Stream> streams = new LinkedHashMap<>();
        for (JsonNode s : page.path("sessions")) {
            Map<String, Long> byReason = new LinkedHashMap<>();
            s.path("metrics").path("dropped_by_reason").fields()
                    .forEachRemaining(e -> byReason.put(e.getKey(), e.getValue().asLong()));
            JsonNode m = s.path("metrics");
            streams.put(s.path("device_id").asText(), new Stream(s.path("state_name").asText(),
                    m.path("total_frames").asLong(), byReason, m.path("frames_received").asLong(),
                    m.path("frames_resent").asLong(), m.path("frames_buffered").asLong()));
        }
        return streams;
    }

    private void readProc() {
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            if (rss >= 0 && threads >= 0) {
                procs.add(new Proc(ChaosClock.nowMs(), rss, threads));
            }
        } catch (IOException | RuntimeException e) {
            // the agent is gone: the liveness invariant reports it
        }
    }

    /** Stops polling. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Readings of the rows kept in {@code from..to} (monotonic ms), for the report. */
    static List<Proc> between(List<Proc> procs, long fromMs, long toMs) {
        List<Proc> out = new ArrayList<>();
        for (Proc p : procs) {
            if (p.atMs() >= fromMs && p.atMs() < toMs) {
                out.add(p);
            }
        }
        return out;
    }
}
