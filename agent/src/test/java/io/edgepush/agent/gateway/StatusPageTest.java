package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.cli.StdStreams;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local status page of a running agent, read with a real HTTP client ({@link HttpClient}): one camera with a
 * main stream publishing to a scripted RTMP server and a sub stream whose server refuses connections, so the page
 * shows a streaming and a reconnecting session; the MQTT {@code get_status} answer carries the same fields; the
 * stream key never appears in full. Errors: other paths 404, other methods 405; a port in use is one ERROR line
 * and the agent streams without the page; {@code "listen": null} disables it.
 */
class StatusPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "STATUS_CAM";
    private static final String MAIN_KEY = "status_main_key_0123456789";
    private static final String SUB_KEY = "status_sub_key_9876543210";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void statusShowsEverySessionAndGetStatusCarriesTheSameFields() throws Exception {
        Peers.require("mosquitto");
        int refusedPort = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.start();
             ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
             });
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "status-observer").subscribe("#");
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "status-gw", "mqtt": {"broker_url": "%s"},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "streaming": {"initial_retry_delay_ms": 2000, "max_retry_delay_ms": 4000},
                      "cameras": [{"device_id": "%s", "camera_id": 5, "streams": [
                        {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                         "rtmp": {"urls": ["%s"]}},
                        {"stream_id": 1, "stream_name": "sub", "quality": "low", "trigger": "always_on",
                         "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/%s"]}}]}],
                      "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                     """.formatted(broker.url(), DEVICE, rtmp.urlText(MAIN_KEY), refusedPort, SUB_KEY)))) {
            mqtt.await("gateways/status-gw/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                    "gateway online");
            assertTrue(agent.httpPort() > 0, "bound port reported: " + agent.httpPort());
            try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                    Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true), null)) {
                Await.until(() -> {
                    JsonNode page = get(agent, "/status").json;
                    return session(page, "main").path("metrics").path("total_frames").asLong() >= 25
                            && session(page, "sub").path("reconnect_attempts").asInt() >= 1;
                }, DEADLINE, "main streaming and sub failing, on /status");
                Response response = get(agent, "/status");
                assertEquals(200, response.status);
                assertEquals("application/json; charset=utf-8", response.contentType);
                assertFalse(response.body.contains(MAIN_KEY) || response.body.contains(SUB_KEY),
                        "stream keys masked: " + response.body);
                JsonNode page = response.json;
                assertEquals("status-gw", page.path("gateway_id").asText());
                assertTrue(page.path("mqtt_connected").asBoolean());
                long nowSec = System.currentTimeMillis() / 1000;
                assertTrue(Math.abs(page.path("timestamp").asLong() - nowSec) <= 60, "Unix seconds: " + page);
                assertEquals(2, page.path("sessions").size());

                JsonNode main = session(page, "main");
                assertEquals(DEVICE, main.path("device_id").asText());
                assertEquals(5, main.path("camera_id").asInt());
                assertEquals(0, main.path("stream_id").asInt());
                assertEquals(3, main.path("state").asInt());
                assertEquals("streaming", main.path("state_name").asText());
                assertEquals("low", main.path("quality").asText());
                assertEquals("rtmp://127.0.0.1:" + rtmp.port() + "/live/stat***", main.path("server_url").asText());
                assertEquals(0, main.path("reconnect_attempts").asInt());
                assertTrue(main.path("state_since").asLong() > 1_600_000_000_000L, "Unix ms: " + main);
                assertTrue(main.path("metrics").path("total_bytes").asLong() > 0, main.toString());

                JsonNode sub = session(page, "sub");
                assertEquals(1, sub.path("stream_id").asInt());
                assertEquals("RTMP_CONNECT_REFUSED", sub.path("last_error_code").asText(), sub.toString());
                assertFalse(sub.path("last_error_message").asText().isEmpty(), sub.toString());
                assertTrue(sub.path("reconnect_attempts").asInt() >= 1, sub.toString());
                int subState = sub.path("state").asInt();
                assertTrue(List.of(2, 4).contains(subState), "connecting or reconnecting: " + sub);
                if (subState == 4) {
                    long nextRetry = sub.path("next_retry_in_sec").asLong();
                    assertTrue(nextRetry >= 0 && nextRetry <= 4, "within max_retry_delay_ms 4000: " + sub);
                }
                assertTrue(sub.path("server_url").isNull(), "nothing published on sub: " + sub);

                mqtt.publish("devices/" + DEVICE + "/stream/command",
                        "{\"command\": \"get_status\", \"stream_name\": \"main\", \"command_id\": \"g-1\"}");
                MqttTestClient.Received answer = mqtt.await("devices/" + DEVICE + "/stream/status",
                        j -> j.path("event").asText().equals("status"), DEADLINE, "get_status answer");
                assertFalse(answer.payload().contains(MAIN_KEY), answer.payload());
                JsonNode status = answer.json();
                JsonNode mainNow = session(get(agent, "/status").json, "main");
                for (Iterator<String> names = mainNow.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    assertTrue(status.has(name), "get_status has /status field " + name + ": " + status);
                }
                for (String stable : List.of("device_id", "camera_id", "stream_id", "stream_name", "state",
                        "state_name", "state_since", "quality", "server_url", "reconnect_attempts")) {
                    assertEquals(mainNow.get(stable), status.get(stable), stable);
                }
            }
        }
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        try (GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                {"gateway_id": "status-err-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []}, "cameras": [],
                 "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                """.formatted(FreePorts.tcp())))) {
            Response ok = get(agent, "/status");
            assertEquals(200, ok.status);
            assertFalse(ok.json.path("mqtt_connected").asBoolean(true), "no broker: " + ok.body);
            assertEquals(0, ok.json.path("sessions").size());

            for (String path : List.of("/index.html", "/status/", "/status/extra", "/metrics/", "/healthz",
                    "/statusx")) {
                Response missing = get(agent, path);
                assertEquals(404, missing.status, path);
                assertEquals("application/json; charset=utf-8", missing.contentType, path);
                assertTrue(missing.json.path("error").asText().contains("GET /status"), missing.body);
            }
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> refused = http.send(request(agent, "/status")
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(405, refused.statusCode(), method);
                assertEquals("GET, HEAD", refused.headers().firstValue("Allow").orElse(null), method);
            }
            HttpResponse<String> head = http.send(request(agent, "/status")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
        }
    }

    @Test
    void nullListenDisablesThePage() throws Exception {
        try (GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                {"gateway_id": "status-off-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []}, "cameras": [],
                 "http": {"listen": null}}
                """.formatted(FreePorts.tcp())))) {
            assertEquals(-1, agent.httpPort());
        }
    }

    @Test
    void portInUseIsLoggedAndTheAgentStreamsWithoutThePage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
             })) {
            String config = """
                    {"gateway_id": "status-busy-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "cameras": [{"device_id": "BUSY_CAM", "streams": [{"stream_name": "main", "trigger": "always_on",
                       "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:%d"}}
                    """.formatted(FreePorts.tcp(), rtmp.urlText(MAIN_KEY), taken.getLocalPort());
            GatewayAgent[] started = new GatewayAgent[1];
            StdStreams log = StdStreams.capture(() -> {
                try {
                    started[0] = GatewayAgent.start(ConfigLoader.parse(config));
                    return 0;
                } catch (Exception e) {
                    throw new AssertionError("the agent must start without its status page", e);
                }
            });
            try (GatewayAgent agent = started[0]) {
                List<String> lines = log.stderr().lines().filter(l -> l.contains("event=http_unavailable")).toList();
                assertEquals(1, lines.size(), "one line: " + log.stderr());
                assertTrue(lines.get(0).contains("ERROR") && lines.get(0).contains("127.0.0.1:" + taken.getLocalPort()),
                        lines.get(0));
                assertEquals(-1, agent.httpPort());
                try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions("BUSY_CAM",
                        Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true),
                        null)) {
                    Await.until(() -> agent.sessions().get(0).metrics().framesSent() >= 25, DEADLINE,
                            "streaming without the status page");
                }
            }
        }
    }

    private record Response(int status, String contentType, String body, JsonNode json) {
    }

    private Response get(GatewayAgent agent, String path) {
        try {
            HttpResponse<String> r = http.send(request(agent, path).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(),
                    JSON.readTree(r.body()));
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    private static HttpRequest.Builder request(GatewayAgent agent, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static JsonNode session(JsonNode page, String streamName) {
        for (JsonNode s : page.path("sessions")) {
            if (s.path("stream_name").asText().equals(streamName)) {
                return s;
            }
        }
        throw new AssertionError("no session " + streamName + " on " + page);
    }
}
