package io.edgepush.agent.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.List;

/**
 * The status events of one camera as the cloud sees them ({@code devices/{device_id}/stream/status}, DESIGN.md
 * section 3), read from an {@link MqttTestClient} that subscribed to that topic: the events of one kind in
 * arrival order, and waiting for the n-th of a kind.
 */
final class StatusWatch {
    private final MqttTestClient mqtt;
    private final String topic;

    StatusWatch(MqttTestClient mqtt, String deviceId) {
        this.mqtt = mqtt;
        this.topic = "devices/" + deviceId + "/stream/status";
    }

    /**
     * A client watching as the cloud does: subscribed to {@code topicFilter} (e.g. the device's status topic) and
     * to the gateway's presence {@code gateways/{gateway_id}/status}.
     */
    static MqttTestClient observer(String brokerUrl, String clientId, String topicFilter, String gatewayId)
            throws org.eclipse.paho.mqttv5.common.MqttException {
        return MqttTestClient.connect(brokerUrl, clientId).subscribe(topicFilter)
                .subscribe("gateways/" + gatewayId + "/status");
    }

    /** Waits for the gateway's retained {@code {"state":"online"}} presence on an {@link #observer}. */
    static void awaitGatewayOnline(MqttTestClient mqtt, String gatewayId, Duration timeout) {
        mqtt.await("gateways/" + gatewayId + "/status", j -> j.path("state").asText().equals("online"), timeout,
                "gateway online");
    }

    /** Every {@code event} event received so far, oldest first. */
    List<JsonNode> events(String event) {
        return mqtt.findAll(topic, j -> j.path("event").asText().equals(event)).stream()
                .map(MqttTestClient.Received::json).toList();
    }

    /** How many {@code event} events arrived so far. */
    int count(String event) {
        return events(event).size();
    }

    /**
     * Waits until at least {@code n} {@code event} events arrived and returns the n-th (1-based).
     *
     * @throws org.opentest4j.AssertionFailedError on timeout, listing every status event received
     */
    JsonNode awaitNth(String event, int n, Duration timeout) {
        Await.until(() -> count(event) >= n, timeout, () -> event + " #" + n + "; status events so far:\n"
                + transcript());
        return events(event).get(n - 1);
    }

    /** Every status event so far, one JSON per line (for failure messages). */
    String transcript() {
        return String.join("\n", mqtt.findAll(topic, j -> true).stream().map(MqttTestClient.Received::payload)
                .toList());
    }
}
