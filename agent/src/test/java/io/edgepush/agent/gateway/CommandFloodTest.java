package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.mqtt.MqttLink;
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
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12 item 5, a command flood against mosquitto and nginx-rtmp: 10,000 commands (get_status, garbage, unknown
 * streams and commands) on {@code devices/{id}/stream/command} as fast as one client can publish them, while an
 * always_on stream publishes to nginx. The agent stays up and answers afterwards; the stream keeps its one publish
 * and frames keep going out; every command is either admitted or rate-limited (or, if the dispatch backlog were
 * full, dropped and counted); the rate_limited acks and the status answers are a small fraction of the flood, and
 * the dispatch backlog stays within its bound.
 */
class CommandFloodTest {
    private static final Logger log = LoggerFactory.getLogger(CommandFloodTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String DEVICE = "FLOOD_CAM";
    private static final String COMMAND = "devices/" + DEVICE + "/stream/command";
    private static final String STATUS = "devices/" + DEVICE + "/stream/status";
    private static final String PRESENCE = "gateways/flood-gw/status";
    private static final int FLOOD = 10_000;
    /** Most commands published and not yet handled by the agent. */
    private static final int BROKER_WINDOW = 500;

    @Test
    void tenThousandCommandsAreAnsweredOrRateLimitedAndTheStreamGoesOn() throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        try (Mosquitto broker = Mosquitto.start(); Nginx nginx = Nginx.start();
             MqttTestClient observer = MqttTestClient.connect(broker.url(), "flood-observer").subscribe(STATUS)
                     .subscribe(PRESENCE);
             MqttTestClient cloud = MqttTestClient.connect(broker.url(), "flood-cloud");
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "flood-gw", "mqtt": {"broker_url": "%s"},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "cameras": [{"device_id": "%s", "camera_id": 0, "streams": [{"stream_name": "main",
                        "quality": "low", "trigger": "always_on", "rtmp": {"urls": ["%s"]}}]}],
                      "accept_unknown_cameras": false, "http": {"listen": null}}
                     """.formatted(broker.url(), DEVICE, nginx.rtmpUrl("FLOOD"))));
             SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                     Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true), null)) {
            StreamSession session = agent.sessions().get(0);
            Await.until(() -> session.state() == SessionState.STREAMING && session.metrics().framesSent() >= 25,
                    DEADLINE, () -> "streaming before the flood: " + session.status());
            // Online is published after the SUBSCRIBE on the same connection: the agent now gets every command.
            observer.await(PRESENCE, j -> j.path("state").asText().equals("online"), DEADLINE, "gateway online");
            long framesBefore = session.metrics().framesSent();
            CommandAdmission admission = agent.commandAdmission();
            MqttLink link = agent.mqttLink();
            long startNanos = System.nanoTime();
            for (int i = 0; i < FLOOD; i++) {
                String payload = command(i);
                // At most BROKER_WINDOW commands ahead of the agent: mosquitto drops what does not fit its queue
                // for a slow subscriber (1000 + 20 in flight by default), and on a loaded machine the agent can
                // fall that far behind for a moment. The flood is as fast as the agent takes it.
                int sent = i;
                Await.until(() -> sent - handled(admission, link) < BROKER_WINDOW, DEADLINE, "the agent to catch up");
                // Paho counts a publish in flight a little after its PUBACK: when the test client hits its own
                // in-flight limit, the same command is published again once there is room.
                Await.until(() -> published(cloud, payload), DEADLINE, "room to publish");
            }
            long floodMs = (System.nanoTime() - startNanos) / 1_000_000;
            long framesAfterFlood = session.metrics().framesSent();

            Await.until(() -> handled(admission, link) == FLOOD, DEADLINE,
                    () -> "every command admitted, rejected or dropped: admitted " + admission.admitted()
                            + ", rejected " + admission.rejected() + ", dropped " + link.droppedMessages());
            // Right after the flood the bucket may be empty: ask again every 10th poll (5 a second, under the
            // limit of 20) until one get_status is answered ok.
            int[] polls = {0};
            Await.until(() -> {
                if (polls[0]++ % 10 == 0) {
                    publish(cloud, "{\"command\":\"get_status\",\"command_id\":\"final-" + polls[0] + "\"}");
                }
                return observer.find(STATUS, j -> "command_ack".equals(j.path("event").asText())
                        && j.path("command_id").asText().startsWith("final-") && j.path("ok").asBoolean()).isPresent();
            }, DEADLINE, "a get_status answered ok after the flood");

            Await.until(() -> session.metrics().framesSent() >= framesAfterFlood + 25, DEADLINE,
                    () -> "frames after the flood: " + session.status());
            assertTrue(framesAfterFlood > framesBefore, "frames went out during the flood");
            assertEquals(SessionState.STREAMING, session.state());
            assertEquals(1, nginx.publishCount("FLOOD"), "the publish never broke");

            long rateLimitedAcks = observer.findAll(STATUS, j -> "rate_limited".equals(j.path("error").asText()))
                    .size();
            long statusAnswers = observer.findAll(STATUS, j -> "status".equals(j.path("event").asText())).size();
            log.info("measured: flood of {} commands published in {} ms: admitted {}, rejected {}, dropped by the "
                            + "link {}, rate_limited acks {}, status answers {}, dispatch high water {}, frames {} -> {}",
                    FLOOD, floodMs, admission.admitted(),
                    admission.rejected(), link.droppedMessages(), rateLimitedAcks, statusAnswers,
                    link.dispatchHighWater(), framesBefore, framesAfterFlood);
            assertTrue(admission.rejected() > 0, "the flood was rate limited");
            assertTrue(rateLimitedAcks > 0 && rateLimitedAcks * 10 < admission.rejected(),
                    "rate_limited acks are themselves limited: " + rateLimitedAcks + " for " + admission.rejected());
            assertTrue(statusAnswers <= admission.admitted() && statusAnswers < FLOOD / 10,
                    "status answers " + statusAnswers + " for " + FLOOD * 5 / 10 + " get_status");
            assertTrue(link.dispatchHighWater() <= MqttLink.MAX_QUEUED_MESSAGES,
                    "dispatch backlog bounded: " + link.dispatchHighWater());
        }
    }

    /** Half get_status (every fifth without command_id), the rest garbage, unknown streams and unknown commands. */
    private static String command(int i) {
        return switch (i % 10) {
            case 0, 1, 2, 3 -> "{\"command\":\"get_status\",\"command_id\":\"g-" + i + "\"}";
            case 4 -> "{\"command\":\"get_status\"}";
            case 5, 6 -> "{not json " + i;
            case 7 -> "{\"command\":\"get_status\",\"stream_name\":\"nope\",\"command_id\":\"n-" + i + "\"}";
            default -> "{\"command\":\"self_destruct\",\"command_id\":\"x-" + i + "\"}";
        };
    }

    /** Commands the agent has admitted, rejected or dropped so far. */
    private static long handled(CommandAdmission admission, MqttLink link) {
        return admission.admitted() + admission.rejected() + link.droppedMessages();
    }

    /** Publishes one command; false when the client has too many publishes in flight. */
    private static boolean published(MqttTestClient client, String payload) {
        try {
            client.publish(COMMAND, payload);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            throw new AssertionError(e);
        }
    }

    private static void publish(MqttTestClient client, String payload) {
        try {
            client.publish(COMMAND, payload);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
