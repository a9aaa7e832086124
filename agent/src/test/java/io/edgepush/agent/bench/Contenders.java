package io.edgepush.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two contenders carrying N streams of the clip into nginx-rtmp (recording off), each measured over its first
 * {@code warmupSec} (start-up) and over the {@code windowSec} after that (steady state): the agent fed by N
 * simulated cameras over the bridge protocol (the cameras, nginx and the broker are not counted), and N ffmpeg
 * processes ({@code ffmpeg -re -stream_loop -1 -i clip.mp4 -c copy -f flv URL}).
 */
final class Contenders {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private Contenders() {
    }

    /** Added latency of the agent's streams over the steady window, ms (worst stream); NaN when not reported. */
    record Latency(double p50Ms, double p99Ms, double maxMs, long count) {
        static final Latency NONE = new Latency(Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /**
     * One contender's figures.
     *
     * @param firstCpuPct  CPU of the process tree over the first window, % of one core
     * @param steadyCpuPct CPU over the steady window, % of one core
     * @param peakRssMb    peak resident set at the end, MB (summed over processes)
     * @param drops        frames dropped (the agent's /status), -1 when the contender cannot tell
     * @param framesSent   frames sent at the end (-1 when unknown)
     */
    record Figures(double firstCpuPct, double steadyCpuPct, double peakRssMb, long drops, long framesSent,
                   Latency latency) {
    }

    /** The agent with {@code n} always_on ultra streams. */
    static Figures agent(BenchSetup setup, int n, int warmupSec, int windowSec) throws Exception {
        Path dir = Files.createDirectories(setup.out().resolve("agent-n" + n));
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start(Nginx.Recording.NONE)) {
            int cameraPort = FreePorts.tcp();
            int httpPort = FreePorts.tcp();
            Path config = dir.resolve("agent.json");
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                ids.add(String.format("BENCH%03d", i));
            }
            Files.writeString(config, agentConfig(ids, broker.url(), cameraPort, httpPort, nginx));
            try (ManagedProcess agent = ManagedProcess.start("edge-agent", setup.agentRun(config), dir,
                    dir.resolve("agent.log"))) {
                long t0 = System.nanoTime();
                agent.waitForPort(cameraPort, START_DEADLINE);
                try (ManagedProcess cameras = ManagedProcess.start("cameras", setup.cameras("BENCH", n, cameraPort),
                        dir, dir.resolve("cameras.log"))) {
                    sleepUntil(t0, warmupSec);
                    double first = ProcStats.treeCpuSeconds(agent.pid());
                    sleepUntil(t0, warmupSec + windowSec);
                    double end = ProcStats.treeCpuSeconds(agent.pid());
                    double rss = ProcStats.treePeakRssMb(agent.pid());
                    JsonNode status = status(httpPort);
                    long drops = 0;
                    long frames = 0;
                    Latency worst = Latency.NONE;
                    for (JsonNode s : status.path("sessions")) {
                        JsonNode m = s.path("metrics");
                        drops += m.path("dropped_frames").asLong();
                        frames += m.path("total_frames").asLong();
                        JsonNode l = m.path("added_latency_ms");
                        if (l.has("p99") && (Double.isNaN(worst.p99Ms()) || l.path("p99").asDouble() > worst.p99Ms())) {
                            worst = new Latency(l.path("p50").asDouble(), l.path("p99").asDouble(),
                                    l.path("max").asDouble(), l.path("count").asLong());
                        }
                    }
                    if (frames == 0) {
                        throw new IllegalStateException("the agent sent no frames; log:\n" + agent.logTail());
                    }
                    return new Figures(100 * first / warmupSec, 100 * (end - first) / windowSec, rss, drops, frames,
                            worst);
                }
            }
        }
    }

    /** {@code n} ffmpeg processes pushing the clip in real time, looping. */
    static Figures ffmpeg(BenchSetup setup, int n, int warmupSec, int windowSec) throws Exception {
        Path dir = Files.createDirectories(setup.out().resolve("ffmpeg-n" + n));
        String ffmpeg = Peers.require("ffmpeg").toString();
        try (Nginx nginx = Nginx.start(Nginx.Recording.NONE)) {
            List<ManagedProcess> all = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                for (int i = 1; i <= n; i++) {
                    all.add(ManagedProcess.start("ffmpeg", List.of(ffmpeg, "-nostdin", "-loglevel", "error", "-re",
                            "-stream_loop", "-1", "-i", setup.clipMp4().toString(), "-c", "copy", "-f", "flv",
                            nginx.rtmpUrl(String.format("ff%03d", i))), dir, dir.resolve("ffmpeg-" + i + ".log")));
                }
                sleepUntil(t0, warmupSec);
                double first = cpu(all);
                sleepUntil(t0, warmupSec + windowSec);
                double end = cpu(all);
                double rss = 0;
                for (ManagedProcess p : all) {
                    rss += ProcStats.treePeakRssMb(p.pid());
                    if (!p.isAlive()) {
                        throw new IllegalStateException("ffmpeg exited early: " + p.logTail());
                    }
                }
                return new Figures(100 * first / warmupSec, 100 * (end - first) / windowSec, rss, -1, -1,
                        Latency.NONE);
            } finally {
                all.forEach(ManagedProcess::close);
            }
        }
    }

    private static double cpu(List<ManagedProcess> processes) {
        double s = 0;
        for (ManagedProcess p : processes) {
            s += ProcStats.treeCpuSeconds(p.pid());
        }
        return s;
    }

    /** The agent's GET /status as JSON. */
    static JsonNode status(int httpPort) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/status")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static void sleepUntil(long t0Nanos, int seconds) throws InterruptedException {
        long until = t0Nanos + seconds * 1_000_000_000L;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(1000, left / 1_000_000)));
        }
    }

    /** One camera per id with one always_on ultra stream each, to nginx stream {@code b<index>}. */
    static String agentConfig(List<String> deviceIds, String brokerUrl, int cameraPort, int httpPort, Nginx nginx) {
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (int i = 1; i <= deviceIds.size(); i++) {
            String url = nginx.rtmpUrl(String.format("b%03d", i));
            cameras.add(Map.of("device_id", deviceIds.get(i - 1), "camera_id", i,
                    "streams", List.of(Map.of("stream_id", 0, "stream_name", "main", "quality", "ultra",
                            "trigger", "always_on", "rtmp", Map.of("urls", List.of(url))))));
        }
        Map<String, Object> config = Map.of("gateway_id", "bench-gw",
                "mqtt", Map.of("broker_url", brokerUrl, "client_id", "bench-gw"),
                "ingest", Map.of("tcp_listen", "127.0.0.1:" + cameraPort, "serial_ports", List.of()),
                "cameras", cameras, "accept_unknown_cameras", false,
                "http", Map.of("listen", "127.0.0.1:" + httpPort));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code condition} with {@link #START_DEADLINE}. */
    static void await(java.util.function.BooleanSupplier condition, String what) {
        Await.until(condition, START_DEADLINE, what);
    }
}
