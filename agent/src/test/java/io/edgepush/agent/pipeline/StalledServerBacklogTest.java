package io.edgepush.agent.pipeline;

import io.edgepush.testkit.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.backlog_ms} / {@code backlog_bytes} on {@code GET /status} when the RTMP server stops reading: a
 * simulated camera loops the 1080p30 4 Mbps clip ({@link Fixtures#hd1080p30()}, about 500 KB/s) into an agent whose always_on
 * stream has frame dropping off, so everything the server does not take waits in the agent's RTMP connection. The
 * backlog must grow in media time (two readings about 2.5 s apart differ by at least 1000 ms, and by no more than
 * the wall-clock time between them), with bytes queued; once the server reads again, or is gone, the agent must
 * recover.
 * <ul>
 *   <li>{@link ScriptedRtmpServer}: accepts the publish, then stops reading (its sockets have a 16 KB receive
 *       buffer, so the stall shows at once); the test then closes that connection and the agent publishes again
 *       (the server reads the second publish) with a small backlog.</li>
 *   <li>nginx-rtmp frozen with SIGSTOP (the loopback socket buffers absorb a few MB first) and thawed with SIGCONT:
 *       the backlog drains without a reconnect and the recording holds every frame the agent wrote.</li>
 * </ul>
 */
class StalledServerBacklogTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "STALL_CAM";
    /** How far apart the two backlog readings are, wall clock. */
    private static final Duration READINGS_APART = Duration.ofMillis(2500);
    /** Backlog after recovery: at most this much media time queued. */
    private static final long SMALL_BACKLOG_MS = 500;

    /** One {@code GET /status} reading of the stream (the only session). */
    record Reading(long atNanos, int state, long backlogMs, long backlogBytes, int reconnectAttempts,
                   String lastErrorCode, String json) {
    }

    @Test
    void backlogGrowsWhileTheServerStopsReadingAndTheAgentRecoversWhenItCloses() throws Exception {
        Path clip = Fixtures.hd1080p30();
        AtomicInteger publishes = new AtomicInteger();
        AtomicReference<ScriptedRtmpServer.Connection> stalled = new AtomicReference<>();
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                c.publishStart();
                if (publishes.incrementAndGet() == 1) {
                    c.stopReading(); // the first publish is never read: its bytes back up in the agent
                    stalled.set(c);
                }
            }
        });
             GatewayAgent agent = GatewayAgent.start(config("stall-gw", server.urlText("stall_key_0123")))) {
            StreamSession session = agent.sessions().get(0);
            StatusPoller status = new StatusPoller(agent.httpPort());
            try (SimulatedCamera camera = SimulatedCamera.start(
                    new CameraOptions(DEVICE, Clip.load(clip), 30, "127.0.0.1", agent.cameraPort(), true), null)) {
                Reading first = status.awaitReading(r -> r.state() == 3 && r.backlogMs() >= SMALL_BACKLOG_MS,
                        DEADLINE, "a backlog towards the stalled server");
                Reading second = status.readingAfter(first, READINGS_APART);
                assertBacklogGrowsInMediaTime(first, second);
                assertEquals(1, publishes.get(), "no reconnect while stalled: " + second.json());

                int videoBeforeClose = server.received(FlvTagType.VIDEO).size();
                stalled.get().close(); // the stalled server goes away: the agent must publish again
                Reading recovered = status.awaitReading(r -> r.state() == 3 && publishes.get() >= 2
                                && server.received(FlvTagType.VIDEO).size() >= videoBeforeClose + 60
                                && r.backlogMs() <= SMALL_BACKLOG_MS, DEADLINE,
                        "streaming again on a new publish with a small backlog");
                assertTrue(recovered.reconnectAttempts() >= 1 || recovered.lastErrorCode() != null,
                        "the status tells the publish broke: " + recovered.json());
                assertEquals(0, session.metrics().framesDropped(), "frame dropping is off: nothing dropped");
                System.out.println("event=stalled_backlog_measured case=scripted_close first_ms=" + first.backlogMs()
                        + " second_ms=" + second.backlogMs() + " apart_ms=" + apartMs(first, second)
                        + " second_bytes=" + second.backlogBytes() + " recovered_ms=" + recovered.backlogMs()
                        + " last_error_code=" + recovered.lastErrorCode());
            }
        }
    }

    @Test
    void backlogGrowsWhileNginxIsFrozenAndDrainsWhenItThaws(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Path clip = Fixtures.hd1080p30();
        String name = "stall_nginx";
        try (Nginx nginx = Nginx.start()) {
            long pid = nginxPid(nginx);
            long agentSent;
            boolean frozen = false;
            try (GatewayAgent agent = GatewayAgent.start(config("freeze-gw", nginx.rtmpUrl(name)))) {
                StreamSession session = agent.sessions().get(0);
                StatusPoller status = new StatusPoller(agent.httpPort());
                try (SimulatedCamera camera = SimulatedCamera.start(
                        new CameraOptions(DEVICE, Clip.load(clip), 30, "127.0.0.1", agent.cameraPort(), true), null)) {
                    status.awaitReading(r -> r.state() == 3 && session.metrics().framesSent() >= 60
                            && r.backlogMs() <= SMALL_BACKLOG_MS, DEADLINE, "2 s streamed into nginx, small backlog");
                    signal(pid, "STOP");
                    frozen = true;
                    Reading first = status.awaitReading(r -> r.backlogMs() >= 1000, DEADLINE,
                            "a backlog towards the frozen nginx (kernel buffers fill first)");
                    Reading second = status.readingAfter(first, READINGS_APART);
                    assertBacklogGrowsInMediaTime(first, second);
                    signal(pid, "CONT");
                    frozen = false;
                    Reading drained = status.awaitReading(r -> r.backlogMs() <= SMALL_BACKLOG_MS, DEADLINE,
                            "the backlog to drain once nginx reads again");
                    assertEquals(3, drained.state(), "still streaming: " + drained.json());
                    assertEquals(0, drained.reconnectAttempts(), "drained without a reconnect: " + drained.json());
                    long before = session.metrics().framesSent();
                    Await.until(() -> session.metrics().framesSent() >= before + 30, DEADLINE, "frames flow on");
                    System.out.println("event=stalled_backlog_measured case=nginx_sigstop first_ms=" + first.backlogMs()
                            + " second_ms=" + second.backlogMs() + " apart_ms=" + apartMs(first, second)
                            + " second_bytes=" + second.backlogBytes() + " drained_ms=" + drained.backlogMs());
                }
                Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE, "camera offline");
                agentSent = session.metrics().framesSent();
                assertEquals(0, session.metrics().framesDropped(), "frame dropping is off: nothing dropped");
                assertTrue(session.stop().get(10, TimeUnit.SECONDS), "stopped");
            } finally {
                if (frozen) {
                    signal(pid, "CONT");
                }
            }
            Path recording = Files.copy(nginx.awaitRecordingClosed(name, DEADLINE), dir.resolve("stall.flv"));
            assertEquals(agentSent, Ffprobe.countFrames(recording), "every frame written survived the stall");
            assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors");
        }
    }

    private static void assertBacklogGrowsInMediaTime(Reading first, Reading second) {
        long grewMs = second.backlogMs() - first.backlogMs();
        long apartMs = apartMs(first, second);
        assertEquals(3, second.state(), "streaming while stalled: " + second.json());
        assertTrue(grewMs >= 1000, "backlog_ms grew by at least 1000 ms in " + apartMs + " ms: " + first.backlogMs()
                + " -> " + second.backlogMs());
        assertTrue(grewMs <= apartMs + 300, "backlog_ms is media time: it grew by " + grewMs + " ms in " + apartMs
                + " ms of wall clock");
        assertTrue(first.backlogBytes() > 0, "backlog_bytes > 0: " + first.json());
        assertTrue(second.backlogBytes() > first.backlogBytes(), "backlog_bytes grew: " + first.backlogBytes() + " -> "
                + second.backlogBytes());
    }

    private static long apartMs(Reading first, Reading second) {
        return (second.atNanos() - first.atNanos()) / 1_000_000;
    }

    private static AgentConfig config(String gatewayId, String url) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"enable_frame_dropping": false,
                               "initial_retry_delay_ms": 200, "max_retry_delay_ms": 1000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "high", "trigger": "always_on",
                     "rtmp": {"urls": ["%s"]}}]}],
                 "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                """.formatted(gatewayId, FreePorts.tcp(), DEVICE, url));
    }

    /** The nginx process the testkit started for {@code nginx} (a child of this JVM running with its prefix). */
    private static long nginxPid(Nginx nginx) {
        String prefix = nginx.recordDir().getParent().toString();
        List<ProcessHandle> matches = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("nginx") && c.contains(prefix)).orElse(false))
                .toList();
        assertEquals(1, matches.size(), "one nginx child running with prefix " + prefix + ": " + matches);
        return matches.get(0).pid();
    }

    private static void signal(long pid, String name) {
        Processes.run(List.of("kill", "-" + name, Long.toString(pid)), Duration.ofSeconds(10)).requireSuccess();
    }

    /** Reads {@code GET /status} of the agent. */
    private static final class StatusPoller {
        private final HttpClient http = HttpClient.newHttpClient();
        private final HttpRequest get;

        StatusPoller(int port) {
            assertTrue(port > 0, "the status page is up");
            get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .timeout(Duration.ofSeconds(5)).build();
        }

        Reading read() {
            try {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                long at = System.nanoTime();
                JsonNode session = JSON.readTree(response.body()).path("sessions").path(0);
                JsonNode metrics = session.path("metrics");
                assertTrue(metrics.has("backlog_ms") && metrics.has("backlog_bytes"),
                        "/status has metrics.backlog_ms and backlog_bytes: " + session);
                return new Reading(at, session.path("state").asInt(), metrics.path("backlog_ms").asLong(),
                        metrics.path("backlog_bytes").asLong(), session.path("reconnect_attempts").asInt(),
                        session.path("last_error_code").isNull() ? null : session.path("last_error_code").asText(),
                        session.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("GET /status failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Polls until a reading matches; returns it. */
        Reading awaitReading(java.util.function.Predicate<Reading> match, Duration timeout, String what) {
            AtomicReference<Reading> last = new AtomicReference<>();
            Await.until(() -> {
                Reading r = read();
                last.set(r);
                return match.test(r);
            }, timeout, () -> what + "; last /status session: " + (last.get() == null ? "none" : last.get().json()));
            return last.get();
        }

        /** The first reading taken at least {@code apart} after {@code earlier}. */
        Reading readingAfter(Reading earlier, Duration apart) {
            return awaitReading(r -> r.atNanos() - earlier.atNanos() >= apart.toNanos(),
                    apart.plusSeconds(10), "a reading " + apart.toMillis() + " ms after the first");
        }
    }
}
