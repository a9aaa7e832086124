package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.mqtt.MqttLink;
import io.edgepush.agent.mqtt.MqttMessageView;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.mqtt.StatusPublisher;
import io.edgepush.agent.session.RecordingSessionListener;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.Triggers;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that cannot be executed (DESIGN.md section 3, devices/{device_id}/stream/command): the handler
 * never throws, acknowledges with {@code ok: false} and an error when the command_id could be read, and
 * stays silent when it could not. The acks are observed on a real broker (mosquitto) by a separate client.
 */
class CommandHandlerErrorsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String TOPIC = "devices/CAM_A/stream/command";
    private static final String STATUS_FILTER = "devices/+/stream/status";

    private Mosquitto broker;
    private MqttLink link;
    private MqttTestClient observer;
    private ScheduledExecutorService control;
    private SessionRegistry sessions;
    private CommandHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        broker = Mosquitto.start();
        AgentConfig config = ConfigLoader.parse("{\"gateway_id\": \"gw-cmd\", \"mqtt\": {\"broker_url\": \""
                + broker.url() + "\"}, \"accept_unknown_cameras\": false, \"cameras\": [{\"device_id\": \"CAM_A\","
                + " \"streams\": [{\"stream_name\": \"main\", \"rtmp\": {\"urls\": [\"rtmp://127.0.0.1:1/live/key1\"]}}]}]}");
        observer = MqttTestClient.connect(broker.url(), "status-observer").subscribe(STATUS_FILTER);
        link = new MqttLink(config.mqtt(), config.gatewayId(), 50, 200);
        link.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        control = Executors.newSingleThreadScheduledExecutor();
        // No command here may start a stream, so nothing is ever published with these options.
        sessions = new SessionRegistry(config, RtmpPublisherOptions.defaults(), control, new RecordingSessionListener(),
                deviceId -> {
                    throw new AssertionError("every configured stream has static URLs");
                });
        Clock clock = Clock.systemUTC();
        Triggers triggers = new Triggers(sessions, control, clock, new Triggers.Listener() {
            @Override
            public void motionDetected(StreamSession session, String source, int preRollSec) {
            }

            @Override
            public void motionEnded(StreamSession session, String source, int stopsInSec) {
            }
        }, 2, 10);
        handler = new CommandHandler(sessions, triggers, new StatusPublisher(link, clock), new StatusEvents(clock));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (sessions != null) {
                sessions.closeAll();
            }
            if (control != null) {
                control.shutdownNow();
            }
            if (link != null) {
                link.close();
            }
            if (observer != null) {
                observer.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void malformedPayloadsNeverThrowAndAreAckedOnlyWhenTheirCommandIdIsReadable() {
        send(TOPIC, "{not json");
        send(TOPIC, "[]");
        send(TOPIC, "");
        send(TOPIC, "{\"command\": \"start\", \"command_id\": {\"nested\": true}}");
        send(TOPIC, "{\"command\": \"fly\", \"command_id\": \"c-fly\"}");
        send(TOPIC, "{\"command\": \"start\", \"stream_name\": 5, \"command_id\": \"c-name\"}");
        send(TOPIC, "{\"command\": \"set_quality\", \"quality\": \"8k\", \"command_id\": \"c-quality\"}");
        send(TOPIC, "{\"command_id\": \"c-missing\"}");
        send(TOPIC, "{\"command\": \"fly\"}");
        send(TOPIC, "{\"command\": \"stop\", \"command_id\": \"c-last\"}");

        Await.until(() -> acks().stream().anyMatch(a -> "c-last".equals(a.path("command_id").asText())),
                TIMEOUT, () -> "the ack of c-last; got " + observer.all());
        List<JsonNode> acks = acks();
        assertEquals(List.of("c-fly", "c-name", "c-quality", "c-missing", "c-last"),
                acks.stream().map(a -> a.path("command_id").asText()).toList(),
                () -> "acks in order: " + acks);
        assertNotOk(acks.get(0), "fly");
        assertNotOk(acks.get(1), "stream_name");
        assertNotOk(acks.get(2), "8k");
        assertNotOk(acks.get(3), "command");
        assertTrue(acks.get(4).path("ok").asBoolean(), () -> "stop of an idle stream is fine: " + acks.get(4));
        assertEquals("CAM_A", acks.get(0).path("device_id").asText());
        assertEquals(SessionState.IDLE, sessions.find("CAM_A", "main").orElseThrow().state(), "no command started the stream");
    }

    @Test
    void commandsForAnUnknownDeviceOrStreamAreAckedNotOk() {
        send("devices/CAM_X/stream/command", "{\"command\": \"start\", \"command_id\": \"c-device\"}");
        send(TOPIC, "{\"command\": \"start\", \"stream_name\": \"side\", \"command_id\": \"c-stream\"}");
        Await.until(() -> acks().size() >= 2, TIMEOUT, () -> "two acks; got " + observer.all());
        List<JsonNode> acks = acks();
        assertEquals("c-device", acks.get(0).path("command_id").asText());
        assertNotOk(acks.get(0), "CAM_X");
        assertEquals("c-stream", acks.get(1).path("command_id").asText());
        assertNotOk(acks.get(1), "side");
        assertTrue(sessions.find("CAM_X", "main").isEmpty(), "an unknown camera got a session from a command");
    }

    /** The command_ack events received so far, in arrival order. */
    private List<JsonNode> acks() {
        return observer.findAll(STATUS_FILTER, e -> "command_ack".equals(e.path("event").asText())).stream()
                .map(MqttTestClient.Received::json).toList();
    }

    private void send(String topic, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> handler.onMessage(topic, new MqttMessageView(topic, bytes, 1, false, null, null)),
                () -> "handler threw for payload " + payload);
    }

    private static void assertNotOk(JsonNode ack, String errorMentions) {
        assertFalse(ack.path("ok").asBoolean(true), () -> "ok=false expected: " + ack);
        assertTrue(ack.path("error").asText().contains(errorMentions), () -> "error should mention " + errorMentions + ": " + ack);
    }
}
