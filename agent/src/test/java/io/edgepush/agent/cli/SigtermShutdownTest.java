package io.edgepush.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md section 6 and issue 5 item 8 with a real {@code agent run} child process: SIGTERM unpublishes every
 * stream, sends {@code stream_stopped}, leaves retained offline presence for the gateway and the camera, and the
 * process exits 0 within 5 s (the contract's bound, checked with a deadline, not measured as a benchmark), also
 * when the RTMP server has stopped reading or the broker has stopped answering.
 */
class SigtermShutdownTest {
    /** The contract: SIGTERM to exit within 5 s. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String DEVICE = "TERM_CAM";
    private static final String KEY = "term_stream_key_0123456789";
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";

    @Test
    void sigtermUnpublishesReportsOfflineAndExitsZero(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        int cameraPort = FreePorts.tcp();
        int httpPort = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "term-observer").subscribe("#");
             AgentChildProcess agent = AgentChildProcess.start(dir,
                     config("term-gw", broker.url(), cameraPort, nginx.rtmpUrl(KEY), httpPort), cameraPort);
             SimulatedCamera camera = cameraOnceOnline(mqtt, "term-gw", Fixtures.repoFixture("small.h264"),
                     cameraPort)) {
            mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_started"), DEADLINE, "stream_started");
            mqtt.await("devices/" + DEVICE + "/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                    "camera online");
            awaitStatusPageStreaming(httpPort, agent);

            long exitMs = terminate(agent);

            JsonNode stopped = mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_stopped"), DEADLINE,
                    "stream_stopped").json();
            assertRetainedOffline(broker, "gateways/term-gw/status");
            assertRetainedOffline(broker, "devices/" + DEVICE + "/status");
            String log = agent.log();
            assertTrue(log.contains("event=agent_stopped"), log);
            assertFalse(log.contains("_incomplete"), "nothing ran out of time: " + log);
            long framesSent = stopped.path("final_metrics").path("total_frames_sent").asLong();
            assertTrue(framesSent >= 25, stopped.toString());
            Path copy = Files.copy(nginx.awaitRecordingClosed(KEY, DEADLINE), dir.resolve("term.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
            assertEquals(framesSent, Ffprobe.countFrames(copy), "every frame sent was recorded");
            assertTrue(Ffprobe.packets(copy).get(0).keyframe(), "recording starts at a keyframe");
            System.out.println("event=sigterm_measured case=clean sigterm_to_exit_ms=" + exitMs);
        }
    }

    @Test
    void sigtermWhileTheRtmpServerStopsReadingStillExitsZero(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Path clip = noiseClip(dir);
        int cameraPort = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.start();
             ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
                 @Override
                 public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                     c.publishStart();
                     c.stopReading(); // never reads the video, nor FCUnpublish/deleteStream
                 }
             });
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "stall-observer").subscribe("#");
             AgentChildProcess agent = AgentChildProcess.start(dir,
                     config("stall-gw", broker.url(), cameraPort, rtmp.urlText(KEY), FreePorts.tcp()), cameraPort);
             SimulatedCamera camera = cameraOnceOnline(mqtt, "stall-gw", clip, cameraPort)) {
            // latency_ms > 0 means bytes wait in the agent's RTMP connection: the kernel buffers are full and an
            // unpublish cannot be flushed.
            mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_metrics")
                    && j.path("metrics").path("latency_ms").asLong() >= 100, DEADLINE, "a backlog towards the server");

            long exitMs = terminate(agent);

            mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_stopped"), DEADLINE, "stream_stopped");
            assertRetainedOffline(broker, "gateways/stall-gw/status");
            assertRetainedOffline(broker, "devices/" + DEVICE + "/status");
            assertTrue(agent.log().contains("event=unpublish_incomplete"), "the unpublish was given up: " + agent.log());
            System.out.println("event=sigterm_measured case=rtmp_stalled sigterm_to_exit_ms=" + exitMs);
        }
    }

    @Test
    void sigtermWhileTheBrokerStopsAnsweringStillExitsZero(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Path socat = Peers.require("socat");
        int cameraPort = FreePorts.tcp();
        int proxyPort = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.start();
             ManagedProcess proxy = ManagedProcess.start("socat", List.of(socat.toString(),
                     "TCP-LISTEN:" + proxyPort + ",bind=127.0.0.1,reuseaddr", "TCP:127.0.0.1:" + broker.port()),
                     dir, dir.resolve("socat.log")).waitForPort(proxyPort, DEADLINE);
             ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
             });
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "paused-observer").subscribe("#");
             AgentChildProcess agent = AgentChildProcess.start(dir, config("paused-gw",
                     "tcp://127.0.0.1:" + proxyPort, cameraPort, rtmp.urlText(KEY), FreePorts.tcp()), cameraPort);
             SimulatedCamera camera = cameraOnceOnline(mqtt, "paused-gw", Fixtures.repoFixture("small.h264"),
                     cameraPort)) {
            mqtt.await(STATUS, j -> j.path("event").asText().equals("stream_started"), DEADLINE, "stream_started");
            AgentChildProcess.signal(proxy.pid(), "STOP"); // the agent's broker connection stays open, silent
            long exitMs;
            try {
                exitMs = terminate(agent);
            } finally {
                AgentChildProcess.signal(proxy.pid(), "CONT");
            }
            assertTrue(agent.log().contains("_incomplete"), "the MQTT flush or close ran out of time: " + agent.log());
            // Once the connection moves again the broker learns the agent is gone (offline publish or Last Will).
            assertRetainedOffline(broker, "gateways/paused-gw/status");
            System.out.println("event=sigterm_measured case=broker_paused sigterm_to_exit_ms=" + exitMs);
        }
    }

    /** SIGTERM, then the exit within {@link #EXIT_BOUND} with status 0; returns the milliseconds it took. */
    private static long terminate(AgentChildProcess agent) {
        long start = System.nanoTime();
        agent.terminate();
        int status = agent.awaitExit(EXIT_BOUND);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, status, "exit status after SIGTERM; log:\n" + agent.log());
        return ms;
    }

    /**
     * The offline presence is retained on {@code topic}. It may still be on its way when this starts (a Last Will
     * waits out its delay), so a first subscriber waits for it, live or retained; a second one, subscribed after it
     * arrived, must then get it as a retained message.
     */
    private static void assertRetainedOffline(Mosquitto broker, String topic) throws Exception {
        try (MqttTestClient late = MqttTestClient.connect(broker.url(), "late").subscribe(topic)) {
            late.await(topic, j -> j.path("state").asText().equals("offline"), DEADLINE, "offline presence");
        }
        try (MqttTestClient later = MqttTestClient.connect(broker.url(), "later").subscribe(topic)) {
            MqttTestClient.Received r = later.await(topic, j -> j.path("state").asText().equals("offline"), DEADLINE,
                    "retained offline presence");
            assertTrue(r.retained(), "retained: " + r);
        }
    }

    /** Waits until the child's {@code GET /status} shows the stream on air with 25 frames sent. */
    private static void awaitStatusPageStreaming(int httpPort, AgentChildProcess agent) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/status"))
                .timeout(Duration.ofSeconds(5)).build();
        Await.until(() -> {
            try {
                String body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                assertFalse(body.contains(KEY), "stream key in full on /status: " + body);
                JsonNode session = JSON.readTree(body).path("sessions").path(0);
                return session.path("state").asInt() == 3 && session.path("metrics").path("total_frames").asLong() >= 25;
            } catch (java.io.IOException | InterruptedException e) {
                return false;
            }
        }, DEADLINE, () -> "/status of the child shows 25 frames streamed; log:\n" + agent.log());
    }

    /** The camera, started once the agent is connected to the broker, so every case stops a connected agent. */
    private static SimulatedCamera cameraOnceOnline(MqttTestClient mqtt, String gatewayId, Path clip, int cameraPort)
            throws java.io.IOException {
        mqtt.await("gateways/" + gatewayId + "/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                "agent connected to the broker");
        return SimulatedCamera.start(new CameraOptions(DEVICE, Clip.load(clip), 25, "127.0.0.1", cameraPort, true),
                null);
    }

    /** 25 frames of 320x240 noise at QP 1: about 128 KB per frame, 3 MB/s at 25 fps, to fill socket buffers. */
    private static Path noiseClip(Path dir) {
        Path ffmpeg = Peers.require("ffmpeg");
        Path out = dir.resolve("noise.h264");
        Processes.run(List.of(ffmpeg.toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "nullsrc=s=320x240:r=25,geq=lum='random(1)*255':cb=128:cr=128", "-frames:v", "25",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "1", "-g", "25",
                out.toString())).requireSuccess();
        return out;
    }

    private static String config(String gatewayId, String brokerUrl, int cameraPort, String rtmpUrl, int httpPort) {
        return """
                {"gateway_id": "%s", "mqtt": {"broker_url": "%s"},
                 "ingest": {"tcp_listen": "127.0.0.1:%d", "serial_ports": []},
                 "streaming": {"metrics_interval_sec": 1},
                 "cameras": [{"device_id": "%s", "camera_id": 0, "streams": [{"stream_id": 0, "stream_name": "main",
                   "quality": "low", "trigger": "always_on", "rtmp": {"urls": ["%s"]}}]}],
                 "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:%d"}}
                """.formatted(gatewayId, brokerUrl, cameraPort, DEVICE, rtmpUrl, httpPort);
    }
}
