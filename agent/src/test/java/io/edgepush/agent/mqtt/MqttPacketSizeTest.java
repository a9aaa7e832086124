package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Mosquitto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5 (memory bounded) against mosquitto: the link's CONNECT carries a Maximum Packet Size of
 * {@link MqttOptions#MAX_INCOMING_PACKET_BYTES}, so the broker drops a larger message instead of sending it; the
 * link stays connected and the next message arrives.
 */
class MqttPacketSizeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aMessageOverTheMaximumPacketSizeNeverReachesTheLink() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = Mosquitto.start();
             MqttLink link = new MqttLink(new MqttConfig(broker.url(), "gw-size", null, null, TlsConfig.NONE, 5000),
                     "gw-size");
             MqttTestClient cloud = MqttTestClient.connect(broker.url(), "size-cloud")) {
            link.subscribe("devices/+/stream/command", (topic, m) -> sizes.add(m.payload().length));
            link.start().get(10, TimeUnit.SECONDS);
            int over = (int) MqttOptions.MAX_INCOMING_PACKET_BYTES + 1;
            cloud.publish("devices/BIG/stream/command", "x".repeat(over));
            cloud.publish("devices/BIG/stream/command", "after");
            Await.until(() -> sizes.contains(5), WAIT, () -> "the small message after the big one; got " + sizes);
            assertEquals(List.of(5), sizes, "the big one was not delivered");
            cloud.publish("devices/BIG/stream/command", "again");
            Await.until(() -> sizes.size() == 2, WAIT, () -> "still connected; got " + sizes);
        }
    }
}
