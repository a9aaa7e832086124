package io.edgepush.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4 with a real {@code agent run} child process and mosquitto: after {@code kill -9} the broker
 * delivers the retained offline presence (the Last Will) once the will delay has passed, and a restart within the
 * will delay publishes no offline at all (no flapping); after a restart the agent is online again. The agent logs in
 * to a password-protected broker with its user name from {@code {"file": ...}} and its password from
 * {@code {"env": "MQTT_PASSWORD"}} (issue 12 item 3, in a child JVM because a test cannot set its own environment).
 */
class PresenceHardDeathTest {
    private static final String USER = "gw-user";
    private static final String PASSWORD = "hard-death-pass-42";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** The bound of the issue: the offline presence within the will delay plus 5 s. */
    private static final Duration WILL_SLACK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private Mosquitto broker;

    @BeforeEach
    void broker() {
        Path passwd = dir.resolve("passwd");
        Processes.run(List.of(Peers.require("mosquitto_passwd").toString(), "-b", "-c", passwd.toString(), USER,
                PASSWORD)).requireSuccess();
        broker = Mosquitto.startWith("tcp", "password_file " + passwd + "\nallow_anonymous false\n");
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void killMinus9LeavesRetainedOfflineAfterTheWillDelayAndARestartIsOnlineAgain() throws Exception {
        int willDelaySec = 2;
        String topic = "gateways/hard-gw/status";
        try (MqttTestClient observer = observer().subscribe(topic)) {
            int cameraPort = FreePorts.tcp();
            String config = config("hard-gw", cameraPort, willDelaySec);
            try (AgentChildProcess agent = start(config, cameraPort)) {
                awaitAfter(observer, 0, topic, state("online"), DEADLINE, "online presence", agent);
                assertFalse(agent.log().contains("readable by other users"), "no inline secret: " + agent.log());
                int beforeKill = observer.all().size();
                long killNanos = System.nanoTime();
                agent.kill();
                awaitAfter(observer, beforeKill, topic, state("offline"),
                        Duration.ofSeconds(willDelaySec).plus(WILL_SLACK), "offline presence (Last Will)", agent);
                System.out.println("event=will_measured will_delay_sec=" + willDelaySec + " kill_to_offline_ms="
                        + (System.nanoTime() - killNanos) / 1_000_000);
            }
            assertRetained(topic, "offline");
            int beforeRestart = observer.all().size();
            try (AgentChildProcess again = start(config, cameraPort)) {
                awaitAfter(observer, beforeRestart, topic, state("online"), DEADLINE, "online after the restart",
                        again);
            }
        }
    }

    @Test
    void aRestartWithinTheWillDelayPublishesNoOffline() throws Exception {
        int willDelaySec = 30; // far longer than a JVM start on a busy machine
        String topic = "gateways/quick-gw/status";
        try (MqttTestClient observer = observer().subscribe(topic)) {
            int cameraPort = FreePorts.tcp();
            String config = config("quick-gw", cameraPort, willDelaySec);
            int beforeKill;
            try (AgentChildProcess agent = start(config, cameraPort)) {
                awaitAfter(observer, 0, topic, state("online"), DEADLINE, "online presence", agent);
                beforeKill = observer.all().size();
                agent.kill();
            }
            try (AgentChildProcess again = start(config, cameraPort)) {
                int online = awaitAfter(observer, beforeKill, topic, state("online"), DEADLINE,
                        "online after the restart", again);
                List<MqttTestClient.Received> between = observer.all().subList(beforeKill, online);
                assertTrue(between.stream().noneMatch(r -> r.json().path("state").asText().equals("offline")),
                        "no offline between the kill and the new online: " + between);
            }
        }
    }

    private AgentChildProcess start(String config, int cameraPort) {
        return AgentChildProcess.start(dir, config, cameraPort, Map.of("MQTT_PASSWORD", PASSWORD));
    }

    private String config(String gatewayId, int cameraPort, int willDelaySec) throws Exception {
        Path userFile = Files.writeString(dir.resolve("mqtt.user"), USER + "\n");
        return """
                {"gateway_id": "%s",
                 "mqtt": {"broker_url": "%s", "username": {"file": "%s"}, "password": {"env": "MQTT_PASSWORD"},
                          "will_delay_sec": %d},
                 "ingest": {"tcp_listen": "127.0.0.1:%d", "serial_ports": []},
                 "cameras": [], "http": {"listen": "127.0.0.1:%d"}}
                """.formatted(gatewayId, broker.url(), userFile, willDelaySec, cameraPort, FreePorts.tcp());
    }

    private MqttTestClient observer() throws Exception {
        return MqttTestClient.connect(broker.url(), "presence-observer", login());
    }

    private static MqttConnectionOptions login() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(USER);
        o.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        return o;
    }

    private static Predicate<JsonNode> state(String state) {
        return j -> j.path("state").asText().equals(state);
    }

    /**
     * Waits up to {@code timeout} for a message on {@code topic} matching {@code match} among those received from
     * index {@code from} on; returns its index.
     */
    private static int awaitAfter(MqttTestClient observer, int from, String topic, Predicate<JsonNode> match,
                                  Duration timeout, String what, AgentChildProcess agent) {
        int[] found = {-1};
        Await.until(() -> {
            List<MqttTestClient.Received> all = observer.all();
            for (int i = from; i < all.size(); i++) {
                if (all.get(i).topic().equals(topic) && match.test(all.get(i).json())) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        }, timeout, () -> what + " on " + topic + "; received: " + observer.all() + "\nagent log:\n" + agent.log());
        return found[0];
    }

    private void assertRetained(String topic, String state) throws Exception {
        try (MqttTestClient late = MqttTestClient.connect(broker.url(), "late", login()).subscribe(topic)) {
            MqttTestClient.Received r = late.await(topic, state(state), DEADLINE, "retained " + state);
            assertTrue(r.retained(), r.toString());
            assertEquals(state, r.json().path("state").asText());
        }
    }
}
