package io.edgepush.agent.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.cli.AgentChildProcess;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.simulator.link.ThrottleOptions;
import io.edgepush.simulator.link.ThrottleProxy;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Processes;
import io.edgepush.testkit.SocatPty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The chaos run's rig (issue 12, item 2): four simulated cameras ({@link CameraFleet}: TCP, serial over a socat pty,
 * raw Annex B) -> the agent as a child JVM (Netty's leak detector on paranoid) -> a {@link ThrottleProxy} -> nginx-rtmp
 * recording one file per publish, with mosquitto and the simulator cloud ({@link StreamService}) handing out the
 * endpoints of two streams. {@link #run} injects a {@link FaultPlan}'s faults, measuring each, and returns what
 * {@link Invariants} and {@link ChaosReport} need. Logs, the agent's config, the recordings and the report go to the
 * output directory.
 *
 * <p>Backoff: {@code initial_retry_delay_ms} {@value #INITIAL_RETRY_DELAY_MS} and {@code max_retry_delay_ms}
 * {@value #MAX_RETRY_DELAY_MS}, so a session climbs to the ceiling within four failures (0.5, 1, 2, 4 s) inside the
 * shortest fault that takes nginx away, and the recovery deadline (ceiling + 2 s = {@value #RECOVERY_DEADLINE_MS} ms
 * after a fault clears) stays short next to the 15-30 s between faults. {@code max_retry_attempts} keeps its default
 * (10 failed rounds): an always_on stream that used up its budget keeps probing at {@code max_retry_delay_ms}, so
 * the same deadline holds for it.
 *
 * <p>The agent's heap is committed and touched at start ({@code -Xms256m -XX:+AlwaysPreTouch}, equal to its
 * {@code -Xmx}), so its RSS does not creep up while the heap grows to its bound: what RSS drift is left is native
 * memory (Netty's direct buffers, threads, metaspace), which is what a leak there would show as. Leaks of Netty
 * buffers are also caught by the leak detector.
 *
 * <p>{@link #close()} stops everything the rig started, in reverse order, also after a failure.
 */
final class ChaosRig implements AutoCloseable {
    static final int INITIAL_RETRY_DELAY_MS = 500;
    static final int MAX_RETRY_DELAY_MS = 4000;
    /** A stream must be back in {@code streaming}, frames flowing, this long after its fault cleared. */
    static final long RECOVERY_DEADLINE_MS = MAX_RETRY_DELAY_MS + 2000;
    /** Link rate between agent and nginx: about three times what the four streams need. */
    static final long LINK_BPS = 2_000_000;
    /** The throttled link: 10% of {@link #LINK_BPS}, well below what the streams need. */
    static final long THROTTLED_BPS = LINK_BPS / 10;
    /** Stream key part of the static URLs (must never appear in full in a log or status message). */
    static final String STATIC_KEY_SUFFIX = "sk_f3a9c2e1d5b7";
    static final String GATEWAY = "chaos-gw";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<String> pageLeaks = new CopyOnWriteArrayList<>();
    private Mosquitto broker;
    private Nginx nginx;
    private ThrottleProxy proxy;
    private StreamService cloud;
    private SocatPty pty;
    private AgentChildProcess agent;
    private MqttTestClient observer;
    private CameraFleet cameras;
    private StatusPoller poller;

    private ChaosRig(Path out) {
        this.out = out;
    }

    /**
     * Starts every peer, the agent and the cameras, and waits until all four streams are streaming with frames
     * flowing. Everything lands in {@code out} (created, emptied first).
     *
     * @throws org.opentest4j.TestAbortedException if a peer is missing (see {@link io.edgepush.testkit.Peers})
     */
    static ChaosRig start(Path out, Clip clip) throws Exception {
        ChaosRig rig = new ChaosRig(out);
        try {
            rig.startAll(clip);
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    private void startAll(Clip clip) throws Exception {
        deleteTree(out);
        Files.createDirectories(out);
        broker = keep(Mosquitto.startPersistent());
        nginx = keep(Nginx.start(Nginx.Recording.ONE_FILE_PER_PUBLISH));
        proxy = keep(ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", nginx.port(), LINK_BPS)));
        String serverUrl = "rtmp://127.0.0.1:" + proxy.port() + "/live/";
        cloud = keep(StreamService.start(StreamServiceOptions.of(broker.url(), serverUrl)
                .withClientId("chaos-cloud")));
        observer = keep(MqttTestClient.connectPersistent(broker.url(), "chaos-observer"));
        observer.subscribe("devices/+/stream/status").subscribe("devices/+/stream/response")
                .subscribe("gateways/" + GATEWAY + "/status");
        Path ptyDir = out.resolve("pty");
        Files.createDirectories(ptyDir);
        pty = keep(SocatPty.start(ptyDir));
        int cameraPort = FreePorts.tcp();
        int rawPort = FreePorts.tcp();
        int httpPort = FreePorts.tcp();
        Path agentDir = out.resolve("agent");
        Files.createDirectories(agentDir);
        agent = keep(AgentChildProcess.start(agentDir, config(cameraPort, rawPort, httpPort), cameraPort,
                List.of("-Dio.netty.leakDetection.level=paranoid", "-Xms256m", "-XX:+AlwaysPreTouch")));
        poller = keep(new StatusPoller(httpPort, agent.pid(), this::checkPage).start());
        cameras = keep(CameraFleet.start(clip, cameraPort, pty.b(), rawPort));
        awaitAllFlowing(DEADLINE);
    }

    private <T extends AutoCloseable> T keep(T c) {
        started.push(c);
        return c;
    }

    /** The agent's config: see the class comment for the backoff; two streams take their endpoint from the cloud. */
    private String config(int cameraPort, int rawPort, int httpPort) {
        String staticRtmp = "\"rtmp\": {\"url_template\": \"rtmp://127.0.0.1:" + proxy.port() + "/live/{device_id}_"
                + STATIC_KEY_SUFFIX + "\"}";
        return """
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s", "request_timeout_ms": 2000},
                 "ingest": {"tcp_listen": "127.0.0.1:%d", "serial_ports": [{"port": "%s", "baud": 2000000}],
                   "raw_annexb_devices": [{"listen": "127.0.0.1:%d", "device_id": "%s"}]},
                 "streaming": {"initial_retry_delay_ms": %d, "max_retry_delay_ms": %d},
                 "cameras": [
                   {"device_id": "%s", "camera_id": 0, "streams": [{"stream_id": 0, "stream_name": "main",
                     "quality": "low", "trigger": "always_on", %s}]},
                   {"device_id": "%s", "camera_id": 1, "streams": [{"stream_id": 0, "stream_name": "main",
                     "quality": "low", "trigger": "always_on"}]},
                   {"device_id": "%s", "camera_id": 2, "streams": [{"stream_id": 0, "stream_name": "main",
                     "quality": "low", "trigger": "always_on"}]},
                   {"device_id": "%s", "camera_id": 3, "streams": [{"stream_id": 0, "stream_name": "main",
                     "quality": "low", "trigger": "always_on", %s}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": "127.0.0.1:%d"}}
                """.formatted(GATEWAY, broker.url(), cameraPort, pty.a(), rawPort, CameraFleet.RAW,
                INITIAL_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, CameraFleet.TCP, staticRtmp,
                CameraFleet.CLOUD, CameraFleet.SERIAL, CameraFleet.RAW, staticRtmp, httpPort);
    }

    /**
     * Injects the plan's faults at their times (measured from now), each held for its kind's hold, then waits until
     * the run's length has passed and the last fault's recovery deadline with it; then stops the cameras, waits for
     * the agent's counters to settle and stops nginx so its recordings are closed.
     *
     * @param progress one line per fault, as it happens
     */
    ChaosResult run(FaultPlan plan, Consumer<String> progress) throws Exception {
        long runStart = ChaosClock.nowMs();
        List<ChaosResult.Fault> faults = new ArrayList<>();
        for (FaultPlan.Planned p : plan.faults()) {
            sleepUntil(runStart + p.atMs());
            long start = ChaosClock.nowMs();
            Map<String, Long> cameraFrames = cameras.framesSent();
            String target = inject(p);
            long clear = ChaosClock.nowMs();
            faults.add(new ChaosResult.Fault(p.kind(), target, start, clear, cameraFrames));
            progress.accept(String.format("t=%5.1fs %-18s %s cleared after %d ms", (start - runStart) / 1000.0,
                    p.kind().label(), target, clear - start));
        }
        long lastClear = faults.isEmpty() ? runStart : faults.get(faults.size() - 1).clearMs();
        sleepUntil(Math.max(runStart + plan.runMs(), lastClear + RECOVERY_DEADLINE_MS + 2000));
        long runEnd = ChaosClock.nowMs();
        collectGarbageAndStreamOn();
        Map<String, Long> cameraFramesAtEnd = cameras.framesSent();
        boolean agentAlive = agent.isAlive();
        cameras.close();
        Map<String, Long> cameraFramesTotal = cameras.framesSent();
        awaitCountersSettled();
        poller.close();
        nginx.stop();
        Path recordings = copyRecordings();
        return new ChaosResult(plan, runStart, runEnd, faults, poller.samples(), poller.procs(), cameraFramesAtEnd,
                cameraFramesTotal, agentAlive, statusMessages(), agent.log(), secrets(), List.copyOf(pageLeaks),
                recordings, cloud.requests().stream().map(SeenRequest::outcome).toList(), poller.failedPolls());
    }

    /**
     * Netty's leak detector reports a leaked buffer only once the garbage collector has found it unreachable and a
     * later buffer is tracked: a full GC in the agent ({@code jcmd PID GC.run}), then more frames on every stream
     * (each allocates and tracks buffers), so a leak of the run shows in the log before it is read.
     */
    private void collectGarbageAndStreamOn() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Processes.run(List.of(jcmd, Long.toString(agent.pid()), "GC.run"), Duration.ofSeconds(30)).requireSuccess();
        awaitAllFlowing(DEADLINE);
    }

    /** Injects one fault and holds it; returns what it hit (a device id, or the peer). */
    private String inject(FaultPlan.Planned p) throws Exception {
        switch (p.kind()) {
            case NGINX_KILL -> {
                nginx.restart();
                return "nginx";
            }
            case NGINX_FREEZE -> {
                long pid = nginx.pid();
                signal(pid, "STOP");
                try {
                    Thread.sleep(p.kind().holdMs());
                } finally {
                    signal(pid, "CONT");
                }
                return "nginx";
            }
            case MOSQUITTO_RESTART -> {
                broker.restart();
                Await.until(() -> reconnectObserver(), DEADLINE, "the observer back on the broker");
                return "mosquitto";
            }
            case CLOUD_SILENT, CLOUD_GARBAGE -> {
                cloud.setMode(p.kind() == FaultKind.CLOUD_SILENT ? StreamService.Mode.SILENT
                        : StreamService.Mode.GARBAGE);
                try {
                    nginx.restart();
                    Thread.sleep(p.kind().holdMs());
                } finally {
                    cloud.setMode(StreamService.Mode.ANSWER);
                }
                return "cloud+nginx";
            }
            case CAMERA_CUT -> {
                return cameras.cut(p.target());
            }
            case PTY_REPLUG -> {
                pty.stop();
                pty.restart();
                return CameraFleet.SERIAL;
            }
            case LINK_THROTTLE -> {
                proxy.setRateBps(THROTTLED_BPS);
                try {
                    Thread.sleep(p.kind().holdMs());
                } finally {
                    proxy.setRateBps(LINK_BPS);
                }
                return "link";
            }
            default -> throw new IllegalStateException("unknown fault " + p.kind());
        }
    }

    private boolean reconnectObserver() {
        try {
            observer.reconnect();
            return observer.isConnected();
        } catch (Exception e) {
            return false;
        }
    }

    private static void signal(long pid, String name) {
        Processes.run(List.of("kill", "-" + name, Long.toString(pid)), Duration.ofSeconds(10)).requireSuccess();
    }

    /** Fault times are a schedule, not a wait for a condition: sleeping to them is the point. */
    private static void sleepUntil(long atMs) throws InterruptedException {
        long left = atMs - ChaosClock.nowMs();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    private void awaitAllFlowing(Duration timeout) {
        StatusPoller.Sample first = awaitSample(timeout);
        Await.until(() -> {
            StatusPoller.Sample s = poller.latest();
            return s != null && CameraFleet.DEVICES.stream().allMatch(d -> s.streams().containsKey(d)
                    && s.streams().get(d).state().equals("streaming")
                    && s.streams().get(d).totalFrames() > first.streams().getOrDefault(d,
                            new StatusPoller.Stream("", 0, Map.of())).totalFrames());
        }, timeout, () -> "all four streams streaming with frames flowing; last /status: " + poller.latest()
                + "\nagent log tail:\n" + tail(agent.log()));
    }

    private StatusPoller.Sample awaitSample(Duration timeout) {
        Await.until(() -> poller.latest() != null, timeout, () -> "the agent's /status page; agent log:\n"
                + tail(agent.log()));
        return poller.latest();
    }

    /** Waits until the agent's per-stream counters stop moving (the cameras are gone; the outputs drained). */
    private void awaitCountersSettled() {
        Await.until(() -> {
            List<StatusPoller.Sample> s = poller.samples();
            if (s.size() < 10) {
                return false;
            }
            StatusPoller.Sample a = s.get(s.size() - 10);
            StatusPoller.Sample b = s.get(s.size() - 1);
            return CameraFleet.DEVICES.stream().allMatch(d -> same(a.streams().get(d), b.streams().get(d)));
        }, DEADLINE, "the agent's counters to settle after the cameras stopped");
    }

    private static boolean same(StatusPoller.Stream a, StatusPoller.Stream b) {
        return a != null && b != null && a.totalFrames() == b.totalFrames() && a.dropped() == b.dropped();
    }

    /** Every secret handed out so far: the static stream keys, the cloud's stream keys and tokens. */
    Set<String> secrets() {
        Set<String> s = new LinkedHashSet<>();
        s.add(CameraFleet.TCP + "_" + STATIC_KEY_SUFFIX);
        s.add(CameraFleet.RAW + "_" + STATIC_KEY_SUFFIX);
        for (MqttTestClient.Received r : observer.all()) {
            if (r.topic().endsWith("/stream/response")) {
                JsonNode j = parse(r.payload());
                for (String field : List.of("stream_key", "token")) {
                    if (j != null && j.path(field).isTextual() && !j.path(field).asText().isEmpty()) {
                        s.add(j.path(field).asText());
                    }
                }
            }
        }
        return s;
    }

    private void checkPage(String page) {
        for (String secret : secrets()) {
            if (page.contains(secret)) {
                pageLeaks.add("/status shows " + Invariants.masked(secret) + " in full");
            }
        }
    }

    /** Status messages (topic and payload) the observer received: stream status events and gateway presence. */
    private List<MqttTestClient.Received> statusMessages() {
        return observer.all().stream().filter(r -> !r.topic().endsWith("/stream/response")).toList();
    }

    private static JsonNode parse(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    /** Copies nginx's closed recordings (every run, every publish) to {@code out/recordings}. */
    private Path copyRecordings() throws IOException {
        Path target = out.resolve("recordings");
        Path source = nginx.recordDir();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = target.resolve(source.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        return target;
    }

    /** The output directory. */
    Path out() {
        return out;
    }

    static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Stops everything started, newest first (cameras, poller, agent, pty, observer, cloud, proxy, nginx, broker). */
    @Override
    public void close() {
        if (nginx != null && nginx.isRunning()) {
            try {
                signal(nginx.pid(), "CONT");
            } catch (RuntimeException | Error e) {
                // not frozen, or already gone
            }
        }
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the chaos rig", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
