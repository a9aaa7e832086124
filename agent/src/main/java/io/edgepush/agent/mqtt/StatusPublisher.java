package io.edgepush.agent.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes status events to {@code devices/{device_id}/stream/status} (QoS 1, not retained) and device
 * presence to {@code devices/{device_id}/status} (QoS 1, retained {@code {"state":"online"|"offline",...}})
 * (DESIGN.md section 3). Failures are logged, never thrown.
 */
public final class StatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MqttLink link;
    private final Clock clock;

    public StatusPublisher(MqttLink link, Clock clock) {
        this.link = link;
        this.clock = clock;
    }

    /** Status topic of a device. */
    public static String statusTopic(String deviceId) {
        return "devices/" + deviceId + "/stream/status";
    }

    /** Presence topic of a device. */
    public static String presenceTopic(String deviceId) {
        return "devices/" + deviceId + "/status";
    }

    /** Publishes one event built by {@link StatusEvents}; the future completes when acknowledged. */
    public CompletableFuture<Void> publish(String deviceId, ObjectNode event) {
        return logFailure(link.publish(statusTopic(deviceId), event, 1, false), deviceId, event.path("event").asText());
    }

    /** Publishes retained device presence: online while the camera's link to the gateway is up. */
    public CompletableFuture<Void> devicePresence(String deviceId, boolean online) {
        ObjectNode n = JSON.createObjectNode().put("state", online ? "online" : "offline").put("device_id", deviceId)
                .put("timestamp", clock.instant().getEpochSecond());
        return logFailure(link.publish(presenceTopic(deviceId), n, 1, true), deviceId, "presence");
    }

    private static CompletableFuture<Void> logFailure(CompletableFuture<Void> f, String deviceId, String what) {
        return f.whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("mqtt: publishing {} for device_id={} failed: {}", what, deviceId, e.getMessage());
            }
        });
    }
}
