package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Peers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5, against mosquitto with the cloud played by a plain MQTT client: a response whose publish URL
 * cannot be used ({@code file://}, {@code javascript:}, {@code http://}, a 1 MB stream key) is reported as
 * {@code connection_error} {@code ENDPOINT_INVALID} without the key, and the session asks again only when its
 * retry planner says so: one request per failed attempt, never a loop. A response matching no request changes
 * nothing. The camera's HELLO starts the always_on stream.
 */
class HostileEndpointResponseTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "HOSTILE_CAM";
    private static final String REQUEST = "devices/" + DEVICE + "/stream/request";
    private static final String RESPONSE = "devices/" + DEVICE + "/stream/response";
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String PRESENCE = "gateways/hostile-gw/status";

    @Test
    void unusableEndpointsAreEndpointInvalidAndRetriedByThePlannerNotInALoop() throws Exception {
        Peers.require("mosquitto");
        try (Mosquitto broker = Mosquitto.start();
             MqttTestClient cloud = MqttTestClient.connect(broker.url(), "hostile-cloud").subscribe(REQUEST);
             MqttTestClient observer = MqttTestClient.connect(broker.url(), "hostile-observer").subscribe(STATUS)
                     .subscribe(PRESENCE);
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "hostile-gw", "mqtt": {"broker_url": "%s", "request_timeout_ms": 30000},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "streaming": {"initial_retry_delay_ms": 200, "max_retry_delay_ms": 1000},
                      "cameras": [{"device_id": "%s", "camera_id": 0,
                        "streams": [{"stream_name": "main", "quality": "low", "trigger": "always_on"}]}],
                      "accept_unknown_cameras": false, "http": {"listen": null}}
                     """.formatted(broker.url(), DEVICE)))) {
            // The camera comes once the agent's MQTT link is up, so its first request can be sent.
            observer.await(PRESENCE, j -> j.path("state").asText().equals("online"), DEADLINE, "gateway online");
            try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                    Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true), null)) {
                answerWithUnusableEndpoints(cloud, observer);
            }
        }
    }

    private static void answerWithUnusableEndpoints(MqttTestClient cloud, MqttTestClient observer) throws Exception {
        String hugeKey = "K".repeat(1 << 20);
        List<String[]> answers = List.of(new String[]{"file:///etc/", "passwd"},
                new String[]{"javascript:alert(1)//", "x"}, new String[]{"http://127.0.0.1/live/", "key_http"},
                new String[]{"rtmp://127.0.0.1/live/", hugeKey});
        for (int i = 0; i < answers.size(); i++) {
            JsonNode request = cloud.next(DEADLINE).json();
            String id = request.path("request_id").asText();
            // A stray answer first: another request id, then this one from another device's topic.
            cloud.publish(RESPONSE, response("stream_ffffffff", "rtmp://127.0.0.1:1/live/", "stray"));
            cloud.publish("devices/OTHER_CAM/stream/response", response(id, "rtmp://127.0.0.1:1/live/", "x"));
            cloud.publish(RESPONSE, response(id, answers.get(i)[0], answers.get(i)[1]));
            int attempt = i + 1;
            JsonNode error = observer.await(STATUS, j -> j.path("event").asText().equals("connection_error")
                            && j.path("reconnect_attempts").asInt() == attempt, DEADLINE,
                    "connection_error of attempt " + attempt).json();
            assertEquals("ENDPOINT_INVALID", error.path("error_code").asText(), error.toString());
            assertEquals(4, error.path("state").asInt(), "reconnecting, not given up: " + error);
            assertTrue(error.toString().length() < 1000, "no 1 MB key in the event: "
                    + error.toString().length() + " chars");
            // One request per failed attempt: the next one comes from the planner, after its delay.
            assertTrue(cloud.all().size() <= attempt + 1, "requests after " + attempt + " failures: "
                    + cloud.all().size());
        }
        assertFalse(observer.all().stream().anyMatch(r -> r.payload().contains("KKKKKKKK")), "the key leaked");
        assertEquals(0, observer.findAll(STATUS, j -> j.path("event").asText().equals("connection_error")
                && j.path("error_code").asText().equals("BAD_RESPONSE")).size(), "strays changed nothing");
    }

    private static String response(String requestId, String url, String key) {
        return "{\"success\":true,\"request_id\":\"" + requestId + "\",\"rtmp_url\":\"" + url + "\",\"stream_key\":\""
                + key + "\",\"expires_at\":0}";
    }
}
