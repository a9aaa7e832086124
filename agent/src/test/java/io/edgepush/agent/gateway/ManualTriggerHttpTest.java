package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code manual} trigger over the local HTTP (DESIGN.md 6b): POST {@code /streams/{device_id}/{stream_name}/start}
 * streams a manual stream to nginx, {@code /stop} stops it; 404 for an unknown device or stream, 409 for a stream
 * whose trigger is not manual and for a start or stop that does not apply, 405 for another method.
 */
class ManualTriggerHttpTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void postStartStreamsAManualStreamAndPostStopStopsIt(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "manual-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "cameras": [{"device_id": "MAN_CAM",
                       "streams": [
                         {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "manual",
                          "rtmp": {"urls": ["%s"]}},
                         {"stream_id": 1, "stream_name": "sub", "quality": "low", "trigger": "on_demand",
                          "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                    """.formatted(FreePorts.tcp(), nginx.rtmpUrl("MAN_CAM_main"), nginx.rtmpUrl("MAN_CAM_sub")));
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                String base = "http://127.0.0.1:" + agent.httpPort();
                StreamSession main = agent.sessions().get(0);
                CameraOptions options = new CameraOptions("MAN_CAM", Clip.load(Fixtures.repoFixture("small.h264")),
                        25, "127.0.0.1", agent.cameraPort(), true);
                try (SimulatedCamera camera = SimulatedCamera.start(options, null)) {
                    HttpResponse<String> started = post(base + "/streams/MAN_CAM/main/start");
                    assertEquals(200, started.statusCode(), started.body());
                    JsonNode body = JSON.readTree(started.body());
                    assertTrue(body.path("ok").asBoolean(), started.body());
                    assertEquals("manual", body.path("trigger").asText());
                    Await.until(() -> main.state() == SessionState.STREAMING, DEADLINE, "manual stream streaming");
                    Await.until(() -> main.metrics().framesSent() >= 50, DEADLINE, "50 frames sent");

                    JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                            .GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("sessions").get(0);
                    assertEquals("manual", status.path("trigger").asText(), status.toString());
                    assertEquals("held_on", status.path("trigger_state").asText(), status.toString());

                    HttpResponse<String> again = post(base + "/streams/MAN_CAM/main/start");
                    assertEquals(409, again.statusCode(), again.body());
                    assertEquals("streaming", JSON.readTree(again.body()).path("state").asText(), again.body());

                    HttpResponse<String> notManual = post(base + "/streams/MAN_CAM/sub/start");
                    assertEquals(409, notManual.statusCode(), notManual.body());
                    assertTrue(notManual.body().contains("on_demand"), notManual.body());
                    assertEquals(SessionState.IDLE, agent.sessions().get(1).state(), "on_demand untouched");

                    assertEquals(404, post(base + "/streams/NO_SUCH_CAM/main/start").statusCode());
                    assertEquals(404, post(base + "/streams/MAN_CAM/nope/stop").statusCode());
                    assertEquals(404, post(base + "/streams/MAN_CAM/main/pause").statusCode());
                    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(
                            base + "/streams/MAN_CAM/main/start")).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(405, get.statusCode(), get.body());
                    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));

                    HttpResponse<String> stopped = post(base + "/streams/MAN%5FCAM/main/stop"); // percent-encoded
                    assertEquals(200, stopped.statusCode(), stopped.body());
                    Await.until(() -> main.state() == SessionState.IDLE, DEADLINE, "manual stream stopped");
                    assertEquals(409, post(base + "/streams/MAN_CAM/main/stop").statusCode(), "stop of a stopped one");
                }
            }
            Path recording = Files.copy(nginx.awaitRecordingClosed("MAN_CAM_main", DEADLINE),
                    dir.resolve("manual.flv"));
            assertEquals("", Ffprobe.decodeErrors(recording), "the recording decodes without errors");
            assertTrue(Ffprobe.countFrames(recording) >= 50, "the manual stream's pictures arrived");
        }
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
