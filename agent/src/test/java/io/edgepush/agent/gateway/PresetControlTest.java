package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.TinyLadder;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipLadder;
import io.edgepush.simulator.camera.LadderRung;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presets reach the camera as CONTROL messages (README "When the uplink falls behind", DESIGN.md sections 3, 4, 7),
 * with real peers: mosquitto, the simulated cloud ({@link StreamService}, answering {@code max_bitrate} 800 kbit/s
 * and {@code recommended_fps} 15, below the stream's {@code medium} preset of 1280x720, 20 fps, 1 Mbit/s), nginx-rtmp,
 * the agent in process with one on_demand stream that asks the cloud for its endpoint, and a simulated camera.
 * <ul>
 *   <li>A ladder camera (a tiny clip ladder: it declares SET_BITRATE, SET_FPS and SET_RESOLUTION, answers each
 *       control with the applied value of the rung it chooses, and moves to that rung at the next GOP boundary):
 *       the configured preset on connect, the whole ask again on start, only what the endpoint's caps changed
 *       (reason {@code endpoint_cap}), the new preset on {@code set_quality} (reason {@code command}), and the
 *       whole current ask to a camera that connects again. What the camera's ACKs applied shows as
 *       {@code encoder().confirmed()} and in {@code GET /status}.</li>
 *   <li>{@code supports_adaptive} in the endpoint request: true with adaptive bitrate on and a camera that declares
 *       SET_BITRATE; false with adaptive bitrate off, and false for a plain clip camera, which gets no SET_* control
 *       at all.</li>
 * </ul>
 */
class PresetControlTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "PRESET_CAM";
    private static final String STREAM_KEY = "preset_cam_key_0123456789abcdef";
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String COMMAND = "devices/" + DEVICE + "/stream/command";
    private static final String REQUEST = "devices/" + DEVICE + "/stream/request";
    private static final long ENDPOINT_MAX_BITRATE = 800_000;
    private static final int ENDPOINT_FPS = 15;
    /** The ladder: the camera starts on TOP; rungs far apart so that what it chooses is plain to see. */
    private static final LadderRung TOP = new LadderRung(192, 144, 20, 700_000);
    private static final LadderRung MID = new LadderRung(160, 120, 15, 450_000);
    private static final LadderRung LOW = new LadderRung(128, 96, 10, 150_000);
    private static final Set<ControlOp> SETTINGS = Set.of(ControlOp.SET_BITRATE, ControlOp.SET_FPS,
            ControlOp.SET_RESOLUTION, ControlOp.SET_PRESET);

    private MqttTestClient observer;

    /** One SET_* control as the camera received it: {@code SET_FPS=15}, {@code SET_RESOLUTION=640x480}. */
    record Ask(ControlOp op, long value) {
        static Ask resolution(int width, int height) {
            return new Ask(ControlOp.SET_RESOLUTION, Control.resolution(width, height));
        }

        static Ask fps(int fps) {
            return new Ask(ControlOp.SET_FPS, fps);
        }

        static Ask bitrate(long bps) {
            return new Ask(ControlOp.SET_BITRATE, bps);
        }

        @Override
        public String toString() {
            return op + "=" + (op == ControlOp.SET_RESOLUTION ? (value >>> 16) + "x" + (value & 0xFFFF) : value);
        }
    }

    @Test
    void presetsEndpointCapsAndSetQualityReachTheCameraAsControls(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        ClipLadder ladder = ClipLadder.load(TinyLadder.make(dir.resolve("ladder"), 4, TOP, MID, LOW));
        try (Mosquitto broker = Mosquitto.start();
             Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "preset-observer").subscribe("#");
             StreamService cloud = StreamService.start(cloud(broker.url(), nginx));
             GatewayAgent agent = GatewayAgent.start(config(broker.url(), true))) {
            observer = mqtt;
            awaitGatewayOnline();
            StreamSession session = agent.sessions().get(0);
            try (SimulatedCamera camera = SimulatedCamera.start(CameraOptions.ladder(DEVICE, ladder, "127.0.0.1",
                    agent.cameraPort(), true, List.of()), null)) {
                // Idle stream, camera connects: the configured preset (medium), every field.
                assertSettings(camera, 0, List.of(Ask.resolution(1280, 720), Ask.fps(20), Ask.bitrate(1_000_000)),
                        "the configured preset (medium) on connect, stream idle");
                // The ladder camera's ACKs: SET_RESOLUTION 1280x720 -> its only size nearest to it, 192x144 (the top
                // rung, bitrate 700k <= the 700k it was asked so far); SET_FPS 20 -> 20; SET_BITRATE 1M -> 700k.
                awaitConfirmed(session, new EncoderSettings(192, 144, 20, 700_000), "the ACKs of the connect");
                assertEquals(new EncoderSettings(1280, 720, 20, 1_000_000), session.encoder().asked(),
                        "asked while idle: the configured preset");

                int mark = camera.controlsReceived().size();
                mqtt.publish(COMMAND, "{\"command\":\"start\",\"command_id\":\"c-1\"}");
                JsonNode request = mqtt.await(REQUEST, j -> true, DEADLINE, "the endpoint request").json();
                assertTrue(request.path("supports_adaptive").asBoolean(false), "supports_adaptive with adaptive "
                        + "bitrate on and a camera declaring SET_BITRATE: " + request);
                assertEquals("medium", request.path("quality").asText(), "request quality: " + request);
                JsonNode capped = awaitEvent("quality_changed", j -> true);
                assertEquals("endpoint_cap", capped.path("reason").asText(), "the first quality_changed: " + capped);
                assertEquals("medium", capped.path("quality").asText(), "quality_changed quality: " + capped);
                assertSettingsJson(capped.path("old"), 1280, 720, 20, 1000, "old before the endpoint cap");
                assertSettingsJson(capped.path("new"), 1280, 720, ENDPOINT_FPS, ENDPOINT_MAX_BITRATE / 1000,
                        "new under the endpoint's max_bitrate 800 kbit/s and recommended_fps 15");
                // The start sends the whole ask again; the cap then sends only the fields it changed.
                assertSettings(camera, mark, List.of(Ask.resolution(1280, 720), Ask.fps(20), Ask.bitrate(1_000_000),
                        Ask.fps(ENDPOINT_FPS), Ask.bitrate(ENDPOINT_MAX_BITRATE)),
                        "the start's whole ask, then the endpoint cap's fps and bitrate");
                assertTrue(awaitEvent("command_ack", j -> j.path("command_id").asText().equals("c-1"))
                        .path("ok").asBoolean(), "start acknowledged ok");
                Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE,
                        () -> "streaming: " + session.status());
                assertEquals(new EncoderSettings(1280, 720, ENDPOINT_FPS, ENDPOINT_MAX_BITRATE),
                        session.encoder().asked(), "asked once the endpoint answered");
                // SET_FPS 15 -> still the 192x144 20 fps rung: 20; SET_BITRATE 800k -> 700k. The resolution was not
                // sent again: the camera keeps the 192x144 it confirmed before.
                awaitConfirmed(session, new EncoderSettings(192, 144, 20, 700_000),
                        "after the endpoint cap's ACKs (resolution unchanged, not asked again)");

                mark = camera.controlsReceived().size();
                mqtt.publish(COMMAND, "{\"command\":\"set_quality\",\"quality\":\"low\",\"command_id\":\"c-2\"}");
                JsonNode lowered = awaitEvent("quality_changed", j -> j.path("reason").asText().equals("command"));
                assertEquals("low", lowered.path("quality").asText(), "set_quality's quality_changed: " + lowered);
                assertSettingsJson(lowered.path("old"), 1280, 720, ENDPOINT_FPS, ENDPOINT_MAX_BITRATE / 1000,
                        "old before set_quality low");
                assertSettingsJson(lowered.path("new"), 640, 480, 15, 500, "new: the low preset");
                assertTrue(awaitEvent("command_ack", j -> j.path("command_id").asText().equals("c-2"))
                        .path("ok").asBoolean(), "set_quality acknowledged ok");
                assertSettings(camera, mark, List.of(Ask.resolution(640, 480), Ask.fps(15), Ask.bitrate(500_000)),
                        "set_quality low: the whole new ask");
                // SET_RESOLUTION 640x480 (bitrate still 800k) -> 192x144; SET_FPS 15 -> 20 (still that rung);
                // SET_BITRATE 500k -> the 160x120 15 fps 450 kbit/s rung, the largest not above 500k.
                EncoderSettings confirmedLow = new EncoderSettings(192, 144, 20, 450_000);
                awaitConfirmed(session, confirmedLow, "the ACKs of set_quality low");
                Await.until(() -> MID.equals(camera.currentRung()), DEADLINE,
                        () -> "the camera moved to " + MID.name() + "; plays " + camera.currentRung().name());
                assertEquals(List.of(), mqtt.findAll(STATUS, j -> j.path("event").asText().startsWith("abr")
                        || j.path("reason").asText().startsWith("abr")), "no adaptive bitrate step on an "
                        + "unthrottled link");
            }

            // The camera goes away and comes back (a new board, same device id): it gets the whole current ask.
            Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE, "the camera is offline");
            try (SimulatedCamera again = SimulatedCamera.start(CameraOptions.ladder(DEVICE, ladder, "127.0.0.1",
                    agent.cameraPort(), true, List.of()), null)) {
                assertSettings(again, 0, List.of(Ask.resolution(640, 480), Ask.fps(15), Ask.bitrate(500_000)),
                        "the current ask (low, capped) to the camera that connected again");
                awaitConfirmed(session, new EncoderSettings(192, 144, 20, 450_000),
                        "the ACKs of the camera that connected again");
                Await.until(() -> MID.equals(again.currentRung()), DEADLINE,
                        () -> "the new camera moved to " + MID.name() + "; plays " + again.currentRung().name());
                long sent = session.metrics().framesSent();
                Await.until(() -> session.metrics().framesSent() > sent + 20, DEADLINE,
                        () -> "the stream goes on with the new camera: " + session.status());
                JsonNode status = getStatus(agent);
                JsonNode encoder = status.path("sessions").path(0).path("encoder");
                assertSettingsJson(encoder.path("asked"), 640, 480, 15, 500, "/status encoder.asked: " + status);
                assertSettingsJson(encoder.path("confirmed"), 192, 144, 20, 450,
                        "/status encoder.confirmed: the camera's applied values");
            }
        }
    }

    @Test
    void supportsAdaptiveIsFalseWithAdaptiveBitrateOff(@TempDir Path dir) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        ClipLadder ladder = ClipLadder.load(TinyLadder.make(dir.resolve("ladder"), 4, TOP, MID, LOW));
        try (Mosquitto broker = Mosquitto.start();
             Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "preset-observer").subscribe("#");
             StreamService cloud = StreamService.start(cloud(broker.url(), nginx));
             GatewayAgent agent = GatewayAgent.start(config(broker.url(), false));
             SimulatedCamera camera = SimulatedCamera.start(CameraOptions.ladder(DEVICE, ladder, "127.0.0.1",
                     agent.cameraPort(), true, List.of()), null)) {
            observer = mqtt;
            awaitGatewayOnline();
            // Presets drive the encoder whether or not the bitrate adapts.
            assertSettings(camera, 0, List.of(Ask.resolution(1280, 720), Ask.fps(20), Ask.bitrate(1_000_000)),
                    "the configured preset on connect");
            mqtt.publish(COMMAND, "{\"command\":\"start\",\"command_id\":\"c-1\"}");
            JsonNode request = mqtt.await(REQUEST, j -> true, DEADLINE, "the endpoint request").json();
            assertFalse(request.path("supports_adaptive").asBoolean(true),
                    "supports_adaptive with enable_adaptive_bitrate false: " + request);
            JsonNode capped = awaitEvent("quality_changed", j -> j.path("reason").asText().equals("endpoint_cap"));
            assertSettingsJson(capped.path("new"), 1280, 720, ENDPOINT_FPS, ENDPOINT_MAX_BITRATE / 1000,
                    "the endpoint's caps hold with adaptive bitrate off");
            assertFalse(agent.sessions().get(0).encoder().adaptive(), "encoder reading: adaptive off");
        }
    }

    @Test
    void aPlainClipCameraGetsNoSettingControlsAndTheRequestIsNotAdaptive() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Mosquitto broker = Mosquitto.start();
             Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "preset-observer").subscribe("#");
             StreamService cloud = StreamService.start(cloud(broker.url(), nginx));
             GatewayAgent agent = GatewayAgent.start(config(broker.url(), true));
             SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE, clip, 25, "127.0.0.1",
                     agent.cameraPort(), true), null)) {
            observer = mqtt;
            awaitGatewayOnline();
            StreamSession session = agent.sessions().get(0);
            assertEquals(0, camera.hello().capabilities() & (Hello.CAP_SET_BITRATE
                    | Hello.CAP_SET_FPS | Hello.CAP_SET_RESOLUTION),
                    "test premise: a single-clip camera declares no SET_* capability");
            Await.until(() -> session.camera() != CameraControl.OFFLINE, DEADLINE, "the camera is attached");
            mqtt.publish(COMMAND, "{\"command\":\"start\",\"command_id\":\"c-1\"}");
            JsonNode request = mqtt.await(REQUEST, j -> true, DEADLINE, "the endpoint request").json();
            assertFalse(request.path("supports_adaptive").asBoolean(true),
                    "supports_adaptive with a camera that cannot set its bitrate: " + request);
            awaitEvent("quality_changed", j -> j.path("reason").asText().equals("endpoint_cap"));
            Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE,
                    () -> "streaming: " + session.status());
            mqtt.publish(COMMAND, "{\"command\":\"set_quality\",\"quality\":\"low\",\"command_id\":\"c-2\"}");
            awaitEvent("quality_changed", j -> j.path("reason").asText().equals("command"));
            // A FORCE_IDR (declared) goes down the same link after everything asked before it: once the camera
            // has it, any SET_* the agent had sent would be there too.
            mqtt.publish(COMMAND, "{\"command\":\"request_keyframe\",\"command_id\":\"c-3\"}");
            Await.until(() -> camera.controlsReceived().stream().anyMatch(c -> c.op() == ControlOp.FORCE_IDR),
                    DEADLINE, () -> "FORCE_IDR at the camera; controls: " + camera.controlsReceived());
            List<Control> settings = camera.controlsReceived().stream().filter(c -> SETTINGS.contains(c.op()))
                    .toList();
            assertEquals(List.of(), settings, "SET_* controls sent to a camera that declared none");
            assertNull(session.encoder().confirmed(), "nothing confirmed by a camera that was asked nothing");
        }
    }

    /** {@code GET /status} of the agent's status page, parsed. */
    private static JsonNode getStatus(GatewayAgent agent) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                + "/status")).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET /status: " + r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private static StreamServiceOptions cloud(String brokerUrl, Nginx nginx) {
        StreamServiceOptions o = StreamServiceOptions.of(brokerUrl, "rtmp://127.0.0.1:" + nginx.port() + "/live/")
                .withStreamKey(STREAM_KEY);
        return new StreamServiceOptions(o.brokerUrl(), o.clientId(), o.rtmpUrls(), o.streamKey(), o.deniedDeviceIds(),
                o.serverName(), o.serverRegion(), ENDPOINT_MAX_BITRATE, ENDPOINT_FPS, o.endpointLifetimeSec(),
                o.clock());
    }

    private static AgentConfig config(String brokerUrl, boolean adaptive) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "preset-gw",
                 "mqtt": {"broker_url": "%s", "client_id": "preset-gw", "request_timeout_ms": 5000},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "streaming": {"enable_adaptive_bitrate": %s, "metrics_interval_sec": 1,
                               "initial_retry_delay_ms": 200, "max_retry_delay_ms": 1000},
                 "cameras": [{"device_id": "%s", "camera_id": 0,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "medium", "trigger": "on_demand"}]}],
                 "accept_unknown_cameras": false,
                 "http": {"listen": "127.0.0.1:0"}}
                """.formatted(brokerUrl, adaptive, DEVICE));
    }

    /** The SET_* controls the camera received from index {@code from} of its record on. */
    private static List<Ask> settingsSince(SimulatedCamera camera, int from) {
        List<Control> all = camera.controlsReceived();
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(c -> SETTINGS.contains(c.op()))
                .map(c -> new Ask(c.op(), c.value())).toList();
    }

    /** Waits for as many SET_* controls as expected from index {@code from} on, then requires exactly those. */
    private static void assertSettings(SimulatedCamera camera, int from, List<Ask> expected, String what) {
        Await.until(() -> settingsSince(camera, from).size() >= expected.size(), DEADLINE,
                () -> what + ": expected " + expected + ", the camera got " + settingsSince(camera, from));
        assertEquals(expected, settingsSince(camera, from), what);
    }

    private static void awaitConfirmed(StreamSession session, EncoderSettings expected, String what) {
        Await.until(() -> expected.equals(session.encoder().confirmed()), DEADLINE,
                () -> "encoder().confirmed() " + what + ": expected " + expected + ", got "
                        + session.encoder().confirmed());
    }

    /** The agent's MQTT link is up and subscribed (it publishes its presence after subscribing): commands work. */
    private void awaitGatewayOnline() {
        observer.await("gateways/preset-gw/status", j -> j.path("state").asText().equals("online"), DEADLINE,
                "gateway presence online");
    }

    private JsonNode awaitEvent(String event, Predicate<JsonNode> match) {
        return observer.await(STATUS, j -> j.path("event").asText().equals(event) && match.test(j), DEADLINE, event)
                .json();
    }

    private static void assertSettingsJson(JsonNode s, int width, int height, int fps, long kbps, String what) {
        assertEquals(width, s.path("width").asInt(-1), what + " width: " + s);
        assertEquals(height, s.path("height").asInt(-1), what + " height: " + s);
        assertEquals(fps, s.path("fps").asInt(-1), what + " fps: " + s);
        assertEquals(kbps, s.path("bitrate_kbps").asLong(-1), what + " bitrate_kbps: " + s);
    }
}
