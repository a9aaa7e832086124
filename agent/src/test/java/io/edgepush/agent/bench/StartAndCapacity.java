package io.edgepush.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.simulator.ingest.RtmpIngestServer;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Time to first frame and capacity.
 * <ul>
 *   <li>Time to first frame: an {@code on_demand} stream; from the MQTT {@code start} command (published by this
 *       JVM) to the first coded picture arriving at the simulator's RTMP ingest in this JVM, through the whole
 *       chain: the agent asks the simulator's cloud for an endpoint over MQTT 5, connects, handshakes, publishes and
 *       sends. "With a buffered GOP": the camera has streamed for seconds, so the agent holds the GOP in progress
 *       and sends it at once. "Without": the agent's GOP buffer is set to its smallest size
 *       ({@code gop_buffer_bytes} 65536), which no 1080p keyframe fits, so it holds no keyframe when the publish
 *       starts and asks the camera for one (FORCE_IDR); the simulated camera answers with its next IDR at once.</li>
 *   <li>Capacity: one agent with up to the largest step's ultra streams into nginx with recording off (a local
 *       sink that discards); simulated cameras join in batches, and after each batch the agent must send every
 *       frame of every stream (no drop, at least 97% of 30 fps over the window).</li>
 * </ul>
 */
final class StartAndCapacity {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String DEVICE = "TTFF001";

    private StartAndCapacity() {
    }

    /** Milliseconds from {@code start} to the first coded picture at the server, {@code reps} times, sorted. */
    static long[] timeToFirstFrame(BenchSetup setup, boolean bufferedGop, int reps) throws Exception {
        Path dir = Files.createDirectories(setup.out().resolve("ttff-" + (bufferedGop ? "buffered" : "unbuffered")));
        try (Mosquitto broker = Mosquitto.start();
             RtmpIngestServer ingest = RtmpIngestServer.start("127.0.0.1", 0, dir.resolve("ingest"));
             StreamService cloud = StreamService.start(StreamServiceOptions.of(broker.url(),
                     "rtmp://127.0.0.1:" + ingest.port() + "/live/").withStreamKey("ttff"));
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "bench").subscribe("devices/#")) {
            int cameraPort = FreePorts.tcp();
            Path config = dir.resolve("agent.json");
            Map<String, Object> streaming = bufferedGop ? Map.of() : Map.of("gop_buffer_bytes", 65_536);
            Files.writeString(config, Contenders.JSON.writeValueAsString(Map.of("gateway_id", "ttff-gw",
                    "mqtt", Map.of("broker_url", broker.url(), "client_id", "ttff-gw"),
                    "ingest", Map.of("tcp_listen", "127.0.0.1:" + cameraPort, "serial_ports", List.of()),
                    "streaming", streaming,
                    "cameras", List.of(Map.of("device_id", DEVICE, "camera_id", 0, "streams", List.of(Map.of(
                            "stream_id", 0, "stream_name", "main", "quality", "ultra", "trigger", "on_demand")))),
                    "accept_unknown_cameras", false, "http", Map.of("listen", "127.0.0.1:" + FreePorts.tcp()))));
            try (ManagedProcess agent = ManagedProcess.start("edge-agent", setup.agentRun(config), dir,
                    dir.resolve("agent.log"));
                 ManagedProcess camera = ManagedProcess.start("cameras", setup.cameras("TTFF", 1, cameraPort), dir,
                         dir.resolve("camera.log"))) {
                mqtt.await("devices/" + DEVICE + "/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                        "camera online at the agent");
                Thread.sleep(3000); // the camera streams: the agent holds the GOP in progress (if it fits)
                String command = "devices/" + DEVICE + "/stream/command";
                long[] ms = new long[reps];
                for (int i = 0; i < reps; i++) {
                    long before = ingest.framesReceived("ttff");
                    int stops = count(mqtt, "stream_stopped");
                    long t0 = System.nanoTime();
                    mqtt.publish(command, "{\"command\":\"start\",\"command_id\":\"s" + i + "\"}");
                    while (ingest.framesReceived("ttff") == before) {
                        if (System.nanoTime() - t0 > DEADLINE.toNanos()) {
                            throw new IllegalStateException("no frame at the server; agent log:\n" + agent.logTail());
                        }
                        Thread.onSpinWait();
                        Thread.sleep(0, 200_000);
                    }
                    ms[i] = (System.nanoTime() - t0) / 1_000_000;
                    mqtt.publish(command, "{\"command\":\"stop\",\"command_id\":\"t" + i + "\"}");
                    Contenders.await(() -> count(mqtt, "stream_stopped") > stops, "stream_stopped");
                    Thread.sleep(300);
                }
                Arrays.sort(ms);
                return ms;
            }
        }
    }

    private static int count(MqttTestClient mqtt, String event) {
        return mqtt.findAll("devices/+/stream/status", j -> j.path("event").asText().equals(event)).size();
    }

    /** The result of the capacity search: the largest step that held, and what the first failing step showed. */
    record Capacity(int streams, String limit) {
        static final String EVERY_STEP_HELD = "not reached: every step held";

        /** True when no step failed, so {@link #streams()} is the largest step tried: a lower bound. */
        boolean held() {
            return EVERY_STEP_HELD.equals(limit);
        }
    }

    /**
     * The largest of {@code steps} (ascending) for which {@code holds} is true, stopping at the first that fails:
     * a step is only tried once every smaller one held.
     */
    static int largestHolding(int[] steps, IntPredicate holds) {
        int best = 0;
        for (int n : steps) {
            if (!holds.test(n)) {
                break;
            }
            best = n;
        }
        return best;
    }

    /** Runs the capacity search over {@code steps} (ascending, multiples of 8), {@code windowSec} per step. */
    static Capacity capacity(BenchSetup setup, int[] steps, int windowSec) throws Exception {
        int max = steps[steps.length - 1];
        Path dir = Files.createDirectories(setup.out().resolve("capacity"));
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start(Nginx.Recording.NONE)) {
            int cameraPort = FreePorts.tcp();
            int httpPort = FreePorts.tcp();
            Path config = dir.resolve("agent.json");
            List<String> ids = new ArrayList<>();
            int previous = 0;
            for (int b = 0; b < steps.length; b++) {
                for (int i = 1; i <= steps[b] - previous; i++) {
                    ids.add(String.format("CAP%d_%03d", b, i)); // the batch's cameras: prefix CAP{b}_
                }
                previous = steps[b];
            }
            Files.writeString(config, Contenders.agentConfig(ids, broker.url(), cameraPort, httpPort, nginx));
            List<ManagedProcess> cameras = new ArrayList<>();
            String[] limit = {Capacity.EVERY_STEP_HELD};
            try (ManagedProcess agent = ManagedProcess.start("edge-agent", setup.agentRun(config), dir,
                    dir.resolve("agent.log"))) {
                agent.waitForPort(cameraPort, DEADLINE);
                int[] running = {0, 0};
                int best = largestHolding(steps, n -> {
                    try {
                        // The next batch of cameras joins: ids CAP{batch}_001.. (see the config above).
                        cameras.add(ManagedProcess.start("cameras", setup.cameras("CAP" + running[1] + "_",
                                n - running[0], cameraPort), dir, dir.resolve("cameras-" + n + ".log")));
                        running[0] = n;
                        running[1]++;
                        Thread.sleep(4000); // the new cameras connect and their streams start
                        long[] before = totals(httpPort, n);
                        Thread.sleep(windowSec * 1000L);
                        long[] after = totals(httpPort, n);
                        long sent = after[0] - before[0];
                        long dropped = after[1] - before[1];
                        long expected = (long) n * 30 * windowSec;
                        boolean holds = dropped == 0 && sent >= expected * 97 / 100;
                        if (!holds) {
                            limit[0] = n + " streams: " + sent + " of " + expected + " frames sent in " + windowSec
                                    + " s, " + dropped + " dropped";
                        }
                        return holds;
                    } catch (Exception e) {
                        limit[0] = n + " streams: " + e;
                        return false;
                    }
                });
                return new Capacity(best, limit[0]);
            } finally {
                cameras.forEach(ManagedProcess::close);
            }
        }
    }

    /** {frames sent, frames dropped} summed over the first {@code n} sessions of /status. */
    private static long[] totals(int httpPort, int n) throws Exception {
        JsonNode status = Contenders.status(httpPort);
        long sent = 0;
        long dropped = 0;
        for (JsonNode s : status.path("sessions")) {
            sent += s.path("metrics").path("total_frames").asLong();
            dropped += s.path("metrics").path("dropped_frames").asLong();
        }
        return new long[] {sent, dropped};
    }
}
