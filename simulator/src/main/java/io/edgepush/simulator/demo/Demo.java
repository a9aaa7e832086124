package io.edgepush.simulator.demo;

import io.edgepush.simulator.broker.EmbeddedBroker;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.simulator.ingest.RtmpIngestServer;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code simulator demo}: the whole chain on one machine. Starts an MQTT 5 broker, an RTMP ingest recording into
 * the out folder, the cloud stream service, the agent (a child process), and one looping simulated camera per
 * configured device; sends {@code start} to each on-command camera's stream (a few seconds apart), lets each
 * motion_based camera see motion once ({@link Options#motionAtSec()}, camera clock) so the agent starts and stops
 * that stream by itself, prints one status line per stream per second from the agent's status events, then sends
 * {@code stop} to every stream still on, waits for stream_stopped, stops the agent with SIGTERM and prints a
 * summary with the recordings' paths.
 */
public final class Demo {
    /**
     * What the demo runs.
     *
     * @param seconds streaming time after the first start command; 0 = until Ctrl-C/SIGTERM
     * @param agentJar the agent's executable jar
     * @param config the agent config (its broker URL, camera ingest address and device ids are used here too)
     * @param gatewayId the config's gateway_id (the demo waits for its online presence)
     * @param outDir recordings and agent.log go here
     * @param brokerPort the embedded broker's port (the config's mqtt.broker_url port)
     * @param cameraIngestPort the agent's camera TCP ingest port (the config's ingest.tcp_listen port)
     * @param deviceIds the simulated cameras (the config's cameras[].device_id)
     * @param motionDeviceIds those of {@code deviceIds} whose stream is {@code motion_based}: their camera sends
     *     MOTION_START at {@link #motionAtSec()} and the demo sends them no commands
     * @param preRollSec the config's streaming.pre_roll_sec (for the console)
     * @param postRollSec the config's streaming.post_roll_sec (for the console)
     * @param ingestPort the RTMP ingest's port
     * @param fps the cameras' frame rate
     */
    public record Options(int seconds, Path agentJar, Path config, String gatewayId, Path outDir, int brokerPort,
            int cameraIngestPort, List<String> deviceIds, List<String> motionDeviceIds, int preRollSec,
            int postRollSec, int ingestPort, int fps) {

        /** The demo's fixed ports (DESIGN.md demo layout). */
        public static final int DEFAULT_BROKER_PORT = 18830;
        public static final int DEFAULT_INGEST_PORT = 19350;
        public static final int DEFAULT_CAMERA_INGEST_PORT = 17000;

        public Options {
            Objects.requireNonNull(agentJar, "agentJar");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(outDir, "outDir");
            Objects.requireNonNull(gatewayId, "gatewayId");
            deviceIds = List.copyOf(deviceIds);
            motionDeviceIds = List.copyOf(motionDeviceIds);
            if (!deviceIds.containsAll(motionDeviceIds)) {
                throw new IllegalArgumentException("motion devices " + motionDeviceIds + " must be among " + deviceIds);
            }
            if (seconds < 0) {
                throw new IllegalArgumentException("seconds must be >= 0 (0 = until Ctrl-C), got " + seconds);
            }
            if (deviceIds.isEmpty()) {
                throw new IllegalArgumentException("the config lists no cameras");
            }
        }

        /** The latest motion time the demo uses, camera-clock seconds. */
        public static final double MOTION_AT_SEC = 10;

        /**
         * When the motion cameras see motion (camera-clock seconds since they started, about the demo clock):
         * {@value #MOTION_AT_SEC}, or a third of a shorter demo.
         */
        public double motionAtSec() {
            return seconds == 0 ? MOTION_AT_SEC : Math.min(MOTION_AT_SEC, seconds / 3.0);
        }

        /** True if the demo drives {@code deviceId} with motion rather than commands. */
        public boolean motionDriven(String deviceId) {
            return motionDeviceIds.contains(deviceId);
        }

        /** The rtmp_url the stream service hands out. */
        public String rtmpUrl() {
            return "rtmp://127.0.0.1:" + ingestPort + "/live/";
        }
    }

    static final int START_GAP_SEC = 3;
    static final long AGENT_READY_TIMEOUT_MS = 30_000;
    static final long STOPPED_TIMEOUT_MS = 20_000;

    private final Options o;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile boolean interrupted;
    private volatile Seen seen;

    /**
     * What the demo console saw, for tests.
     *
     * @param statuses every device's last status, in {@link Options#deviceIds()} order, after the stop commands
     * @param startedAtMs wall-clock ms of the demo clock's second 0
     * @param stopSentAtMs wall-clock ms when the stop commands were sent
     */
    record Seen(List<StreamStatus> statuses, long startedAtMs, long stopSentAtMs) {
    }

    public Demo(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    /** Asks a running demo to stop now (Ctrl-C / SIGTERM) and waits up to {@code waitMs} for its teardown. */
    public void requestStop(long waitMs) throws InterruptedException {
        interrupted = true;
        stopRequested.countDown();
        finished.await(waitMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the demo.
     *
     * @return 0 when every stream started and stopped cleanly, 1 otherwise (the message says what happened)
     * @throws IOException if a component cannot start (port in use, unreadable clip, ...)
     */
    public int run() throws IOException, InterruptedException {
        try {
            return runChain();
        } finally {
            closeAll();
            finished.countDown();
        }
    }

    /** What the last {@link #run()} saw once it had stopped the streams, or null if it got no further. */
    Seen seen() {
        return seen;
    }

    private int runChain() throws IOException, InterruptedException {
        Files.createDirectories(o.outDir());
        Clip clip = Clip.loadResource("/clips/demo.h264");
        EmbeddedBroker broker = add(EmbeddedBroker.start("127.0.0.1", o.brokerPort()));
        RtmpIngestServer ingest = add(RtmpIngestServer.start("127.0.0.1", o.ingestPort(), o.outDir()));
        StreamService cloud = add(startService(broker));
        StatusBoard board = add(startBoard(broker));
        AgentProcess agent = add(AgentProcess.start(o.agentJar(), o.config(), o.outDir().resolve("agent.log")));
        out.printf("agent started (pid %d), log: %s%n", agent.pid(), o.outDir().resolve("agent.log"));
        if (!awaitAgentOnline(agent, board)) {
            return 1;
        }
        NioEventLoopGroup cameraLoop = new NioEventLoopGroup(1);
        add(() -> cameraLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        List<SimulatedCamera> cameras = new ArrayList<>();
        for (String id : o.deviceIds()) {
            List<Double> motionAt = o.motionDriven(id) ? List.of(o.motionAtSec()) : List.of();
            cameras.add(add(SimulatedCamera.start(new CameraOptions(id, clip, o.fps(), "127.0.0.1",
                    o.cameraIngestPort(), true, motionAt), cameraLoop)));
        }
        DemoTimeline timeline = new DemoTimeline(o, out, board, agent, stopRequested);
        timeline.streamUntilDone();
        boolean allStopped = timeline.stopAll();
        for (SimulatedCamera c : cameras) {
            c.close();
        }
        int agentStatus = agent.stop();
        out.printf("agent stopped with SIGTERM (exit status %d)%n", agentStatus);
        seen = new Seen(board.statuses(o.deviceIds()), timeline.startedAtMs(), timeline.stopSentAtMs());
        DemoSummary summary = new DemoSummary(o, board, cloud, ingest, cameras, timeline);
        summary.print(out);
        return summary.exitStatus(out, allStopped, interrupted);
    }

    private StreamService startService(EmbeddedBroker broker) throws IOException {
        try {
            return StreamService.start(StreamServiceOptions.of(broker.url(), o.rtmpUrl())
                    .withClientId("edgepush-demo-cloud"));
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IOException("stream service cannot use the demo broker: " + e.getMessage(), e);
        }
    }

    private StatusBoard startBoard(EmbeddedBroker broker) throws IOException {
        try {
            return new StatusBoard(broker.url());
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IOException("demo console cannot use the demo broker: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the agent's retained gateway presence "online" (published after it connected to the broker and
     * subscribed to its command topics); false (with a message) if the agent dies or the deadline passes.
     */
    private boolean awaitAgentOnline(AgentProcess agent, StatusBoard board) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AGENT_READY_TIMEOUT_MS);
        while (!board.gatewayOnline(o.gatewayId())) {
            if (!agent.isAlive()) {
                out.printf("demo failed: the agent exited with status %d before coming online. Last lines of"
                        + " %s:%n%s%n", agent.exitStatus(), o.outDir().resolve("agent.log"), agent.logTail(20));
                return false;
            }
            if (System.nanoTime() >= deadline) {
                out.printf("demo failed: no online presence on gateways/%s/status within %d s. Last lines of %s:%n"
                        + "%s%n", o.gatewayId(), AGENT_READY_TIMEOUT_MS / 1000, o.outDir().resolve("agent.log"),
                        agent.logTail(20));
                return false;
            }
            if (stopRequested.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        out.printf("agent online as gateway %s%n", o.gatewayId());
        return true;
    }

    private <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    private void closeAll() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                out.println("warning: while stopping the demo: " + e);
            }
        }
    }
}
