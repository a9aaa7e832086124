package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Mosquitto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MqttLink and StatusPublisher against a real mosquitto (started per test where the test restarts it). */
class MqttLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ObjectMapper json = new ObjectMapper();

    private static MqttLink link(Mosquitto broker, String gatewayId) {
        return new MqttLink(new MqttConfig(broker.url(), gatewayId, null, null, TlsConfig.NONE, 5000), gatewayId,
                100, 500);
    }

    @Test
    void presenceIsRetainedOnlineThenOfflineOnClose() throws Exception {
        try (Mosquitto broker = Mosquitto.start()) {
            MqttLink link = link(broker, "gw-presence");
            link.start().get(10, TimeUnit.SECONDS);
            assertTrue(link.isConnected());
            try (MqttTestClient watcher = MqttTestClient.connect(broker.url(), "watcher")) {
                watcher.subscribe("gateways/gw-presence/status");
                MqttTestClient.Received online = watcher.next(WAIT);
                assertTrue(online.retained());
                JsonNode body = json.readTree(online.payload());
                assertEquals("online", body.get("state").asText());
                assertEquals("gw-presence", body.get("gateway_id").asText());
                assertTrue(body.get("timestamp").isIntegralNumber());
                link.close();
                assertFalse(link.isConnected());
                assertEquals(json.readTree("{\"state\":\"offline\"}"), json.readTree(watcher.next(WAIT).payload()));
            }
            try (MqttTestClient late = MqttTestClient.connect(broker.url(), "late")) {
                MqttTestClient.Received retained = late.subscribe("gateways/gw-presence/status").next(WAIT);
                assertTrue(retained.retained());
                assertEquals("offline", json.readTree(retained.payload()).get("state").asText());
            }
        }
    }

    @Test
    void firstConnectIsRetriedUntilTheBrokerComesUp() throws Exception {
        try (Mosquitto broker = Mosquitto.prepare()) {
            MqttLink link = link(broker, "gw-retry");
            try {
                List<String> got = new CopyOnWriteArrayList<>();
                link.subscribe("test/retry", (topic, m) -> got.add(m.payloadUtf8()));
                var started = link.start();
                assertFalse(started.isDone());
                broker.launch();
                started.get(20, TimeUnit.SECONDS);
                try (MqttTestClient sender = MqttTestClient.connect(broker.url(), "sender")) {
                    publishUntilReceived(sender, "test/retry", got);
                }
            } finally {
                link.close();
            }
        }
    }

    @Test
    void subscriptionsSurviveABrokerRestartAndAFailingHandler() throws Exception {
        try (Mosquitto broker = Mosquitto.start()) {
            MqttLink link = link(broker, "gw-restart");
            try {
                List<String> got = new CopyOnWriteArrayList<>();
                link.subscribe("devices/+/stream/command", (topic, m) -> {
                    throw new IllegalStateException("handler bug");
                });
                link.subscribe("devices/+/stream/command", (topic, m) -> got.add(topic + " " + m.payloadUtf8()));
                link.start().get(10, TimeUnit.SECONDS);
                try (MqttTestClient sender = MqttTestClient.connect(broker.url(), "sender1")) {
                    publishUntilReceived(sender, "devices/CAM1/stream/command", got);
                }
                assertTrue(got.get(0).startsWith("devices/CAM1/stream/command "), got.get(0));
                broker.stop();
                Await.until(() -> !link.isConnected(), WAIT, "link to notice the broker went away");
                broker.launch();
                Await.until(link::isConnected, Duration.ofSeconds(30), "automatic reconnect");
                got.clear();
                try (MqttTestClient sender = MqttTestClient.connect(broker.url(), "sender2")) {
                    publishUntilReceived(sender, "devices/CAM2/stream/command", got);
                }
            } finally {
                link.close();
            }
        }
    }

    @Test
    void statusPublisherUsesStatusAndPresenceTopics() throws Exception {
        try (Mosquitto broker = Mosquitto.start(); MqttTestClient watcher = MqttTestClient.connect(broker.url(), "w")) {
            watcher.subscribe("devices/#");
            MqttLink link = link(broker, "gw-status");
            try {
                link.start().get(10, TimeUnit.SECONDS);
                Clock clock = Clock.fixed(Instant.ofEpochSecond(1691234567), ZoneOffset.UTC);
                StatusPublisher publisher = new StatusPublisher(link, clock);
                publisher.publish("CAM1", new StatusEvents(clock).commandAck("CAM1", "main", "c-1", true, null))
                        .get(10, TimeUnit.SECONDS);
                MqttTestClient.Received status = watcher.next(WAIT);
                assertEquals("devices/CAM1/stream/status", status.topic());
                assertFalse(status.retained());
                assertEquals("command_ack", json.readTree(status.payload()).get("event").asText());
                publisher.devicePresence("CAM1", true).get(10, TimeUnit.SECONDS);
                MqttTestClient.Received presence = watcher.next(WAIT);
                assertEquals("devices/CAM1/status", presence.topic());
                assertEquals(json.readTree("{\"state\":\"online\",\"device_id\":\"CAM1\",\"timestamp\":1691234567}"),
                        json.readTree(presence.payload()));
            } finally {
                link.close();
            }
        }
    }

    @Test
    void statusEventsAndPresenceWaitForTheFirstConnectThenArriveInOrderWithTheDropCount() throws Exception {
        try (Mosquitto broker = Mosquitto.startPersistent();
             MqttTestClient watcher = MqttTestClient.connectPersistent(broker.url(), "w").subscribe("devices/#")) {
            broker.stop();
            MqttLink link = link(broker, "gw-outbox");
            try {
                Clock clock = Clock.fixed(Instant.ofEpochSecond(1691234567), ZoneOffset.UTC);
                StatusPublisher publisher = new StatusPublisher(link, clock, 3);
                StatusEvents events = new StatusEvents(clock);
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    acks.add(publisher.publish("CAM1", events.commandAck("CAM1", "main", "c-" + i, true, null)));
                }
                publisher.devicePresence("CAM1", true);
                publisher.devicePresence("CAM1", false);
                CompletableFuture<Void> started = link.start();
                broker.launch();
                started.get(20, TimeUnit.SECONDS);
                watcher.reconnect();
                String status = "devices/CAM1/stream/status";
                Await.until(() -> watcher.findAll(status, j -> true).size() >= 4, WAIT, "flushed status events");
                List<String> got = watcher.findAll(status, j -> true).stream()
                        .map(r -> r.json().path("event").asText() + ":" + r.json().path("command_id").asText(""))
                        .toList();
                assertEquals(List.of("command_ack:c-3", "command_ack:c-4", "command_ack:c-5",
                        "status_events_dropped:"), got);
                assertEquals(json.readTree("{\"event\":\"status_events_dropped\",\"timestamp\":1691234567,"
                        + "\"device_id\":\"CAM1\",\"dropped\":2,\"message\":\"2 status events dropped: more "
                        + "were waiting for the MQTT broker than the agent keeps\"}"),
                        watcher.findAll(status, j -> true).get(3).json());
                assertTrue(acks.get(0).isCompletedExceptionally() && acks.get(1).isCompletedExceptionally());
                CompletableFuture.allOf(acks.subList(2, 5).toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                MqttTestClient.Received presence = watcher.await("devices/CAM1/status", j -> true, WAIT, "presence");
                assertEquals("offline", presence.json().path("state").asText(), "only the latest presence is sent");
                assertEquals(1, watcher.findAll("devices/CAM1/status", j -> true).size());
            } finally {
                link.close();
            }
        }
    }

    /** Publishes repeatedly (QoS 1) until the link's handler saw a message: the resubscribe may lag the connect. */
    private static void publishUntilReceived(MqttTestClient sender, String topic, List<String> got) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (got.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no message on " + topic + " reached the handler");
            sender.publish(topic, "{\"command\":\"get_status\"}");
            long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (got.isEmpty() && System.nanoTime() < retryAt) {
                Thread.sleep(20);
            }
        }
    }
}
