package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The README's trigger rules for the MQTT commands, against mosquitto and nginx: a {@code stop} on a motion stream
 * stops it until the next motion (the motion's end and post-roll do not restart it; the next MOTION_START does, in
 * a new publish), and a {@code start} on a scheduled stream outside its window streams until {@code stop}; each
 * motion is reported with {@code motion_detected} and {@code motion_ended}.
 */
class TriggerCommandsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void stopHoldsAMotionStreamOffUntilTheNextMotionAndStartRunsAScheduledStreamOutsideItsWindow() throws Exception {
        Peers.requireNginxRtmp();
        // A Wednesday noon: the scheduled stream's only window (Sunday 03:00-04:00 UTC) is far away.
        Clock clock = Clock.fixed(Instant.parse("2026-12-09T12:00:00Z"), ZoneOffset.UTC);
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start();
             MqttTestClient mqtt = MqttTestClient.connect(broker.url(), "trigger-observer")
                     .subscribe("devices/+/stream/status")) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "trig-gw", "mqtt": {"broker_url": "%s"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"pre_roll_sec": 1, "post_roll_sec": 30},
                     "cameras": [
                       {"device_id": "MOVE_CAM", "camera_id": 1, "streams": [{"stream_name": "main", "quality": "low",
                         "trigger": "motion_based", "rtmp": {"urls": ["%s"]}}]},
                       {"device_id": "SCHED_CAM", "camera_id": 2, "streams": [{"stream_name": "main",
                         "quality": "low", "trigger": "scheduled",
                         "schedule": [{"days": "sun", "start": "03:00", "end": "04:00", "tz": "UTC"}],
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(broker.url(), nginx.rtmpUrl("MOVE"), nginx.rtmpUrl("SCHED")));
            try (GatewayAgent agent = GatewayAgent.start(config, clock)) {
                StreamSession move = agent.sessions().get(0);
                StreamSession sched = agent.sessions().get(1);
                Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
                // MOTION_START at 2 s and 10 s of camera time, each ending 2 s later.
                try (SimulatedCamera a = SimulatedCamera.start(new CameraOptions("MOVE_CAM", clip, 25, "127.0.0.1",
                        agent.cameraPort(), true, List.of(2.0, 10.0)), null);
                     SimulatedCamera b = SimulatedCamera.start(new CameraOptions("SCHED_CAM", clip, 25, "127.0.0.1",
                             agent.cameraPort(), true), null)) {
                    JsonNode detected = mqtt.await("devices/MOVE_CAM/stream/status", event("motion_detected"),
                            DEADLINE, "motion_detected").json();
                    assertEquals("camera", detected.path("source").asText());
                    assertEquals(1, detected.path("pre_roll_sec").asInt());
                    Await.until(() -> move.state() == SessionState.STREAMING, DEADLINE, "streaming on motion");
                    command(mqtt, "MOVE_CAM", "stop", "m-stop");
                    Await.until(() -> move.state() == SessionState.IDLE, DEADLINE, "stopped by the command");
                    JsonNode ended = mqtt.await("devices/MOVE_CAM/stream/status", event("motion_ended"), DEADLINE,
                            "motion_ended").json();
                    assertEquals(0, ended.path("stops_in_sec").asInt(-2),
                            "stopped by the command: nothing left to stop, the event still reports the motion's end");
                    assertEquals(SessionState.IDLE, move.state(), "the motion's end does not restart it");

                    command(mqtt, "SCHED_CAM", "start", "s-start");
                    Await.until(() -> sched.state() == SessionState.STREAMING, DEADLINE,
                            "a start outside the window streams");
                    Await.until(() -> sched.metrics().framesSent() >= 25, DEADLINE, "frames sent");

                    Await.until(() -> move.state() == SessionState.STREAMING, DEADLINE,
                            "the next motion (10 s) starts it again");
                    assertEquals(2, mqtt.findAll("devices/MOVE_CAM/stream/status", event("motion_detected")).size());
                    assertEquals(SessionState.STREAMING, sched.state(), "still streaming until stop");
                    command(mqtt, "SCHED_CAM", "stop", "s-stop");
                    Await.until(() -> sched.state() == SessionState.IDLE, DEADLINE, "stopped by the command");
                }
            }
            assertEquals(2, nginx.publishCount("MOVE"), "one publish per motion after the stop");
            assertEquals(1, nginx.publishCount("SCHED"));
        }
    }

    private static Predicate<JsonNode> event(String name) {
        return j -> name.equals(j.path("event").asText());
    }

    private static void command(MqttTestClient mqtt, String deviceId, String command, String id) throws Exception {
        mqtt.publish("devices/" + deviceId + "/stream/command",
                "{\"command\": \"" + command + "\", \"command_id\": \"" + id + "\"}");
    }
}
