package io.edgepush.agent.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes status events to {@code devices/{device_id}/stream/status} (QoS 1, not retained) and device
 * presence to {@code devices/{device_id}/status} (QoS 1, retained {@code {"state":"online"|"offline",...}})
 * (DESIGN.md section 3). Failures are logged, never thrown.
 *
 * <p>Status events go through a {@link StatusOutbox}: while the broker is unreachable (before the first connect
 * too) they wait, in order, bounded (oldest dropped and counted), and are sent after every (re)connect; a device
 * whose events were dropped then gets one {@code status_events_dropped} event ({@link
 * StatusEvents#statusEventsDropped}). Presence is state, not events: only the latest presence of a device that
 * could not be sent is kept, and it is published again after the next (re)connect.
 */
public final class StatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MqttLink link;
    private final Clock clock;
    private final StatusOutbox outbox;
    private final Map<String, ObjectNode> unsentPresence = new ConcurrentHashMap<>();

    /** A publisher whose outbox holds up to {@link StatusOutbox#DEFAULT_CAPACITY} waiting events. */
    public StatusPublisher(MqttLink link, Clock clock) {
        this(link, clock, StatusOutbox.DEFAULT_CAPACITY);
    }

    /**
     * @param outboxCapacity how many status events may wait for the broker, at least 1
     * @throws IllegalArgumentException if outboxCapacity is below 1
     */
    public StatusPublisher(MqttLink link, Clock clock, int outboxCapacity) {
        this.link = link;
        this.clock = clock;
        StatusEvents events = new StatusEvents(clock);
        this.outbox = new StatusOutbox(transport(link), outboxCapacity,
                (deviceId, dropped) -> MqttLink.toBytes(events.statusEventsDropped(deviceId, dropped)));
        link.onConnected(this::onConnected);
    }

    /** Status topic of a device. */
    public static String statusTopic(String deviceId) {
        return "devices/" + deviceId + "/stream/status";
    }

    /** Presence topic of a device. */
    public static String presenceTopic(String deviceId) {
        return "devices/" + deviceId + "/status";
    }

    /**
     * Publishes one event built by {@link StatusEvents}, through the outbox; the future completes when
     * acknowledged and fails if the event was dropped or refused.
     */
    public CompletableFuture<Void> publish(String deviceId, ObjectNode event) {
        return logFailure(outbox.publish(deviceId, MqttLink.toBytes(event)), deviceId, event.path("event").asText());
    }

    /** Publishes retained device presence: online while the camera's link to the gateway is up. */
    public CompletableFuture<Void> devicePresence(String deviceId, boolean online) {
        ObjectNode n = JSON.createObjectNode().put("state", online ? "online" : "offline").put("device_id", deviceId)
                .put("timestamp", clock.instant().getEpochSecond());
        unsentPresence.put(deviceId, n);
        return sendPresence(deviceId, n);
    }

    /** Status events waiting in the outbox for the broker ({@code /metrics}). */
    public int eventsWaiting() {
        return outbox.waiting();
    }

    /** Status events dropped from the full outbox since this publisher was made ({@code /metrics}). */
    public long eventsDropped() {
        return outbox.droppedTotal();
    }

    /** The outbox of status events (for tests). */
    StatusOutbox outbox() {
        return outbox;
    }

    /** The link as the outbox's transport: QoS 1, not retained. */
    private static StatusOutbox.Transport transport(MqttLink link) {
        return new StatusOutbox.Transport() {
            @Override
            public boolean isConnected() {
                return link.isConnected();
            }

            @Override
            public CompletableFuture<Void> publish(String topic, byte[] payload) {
                return link.publish(topic, payload, 1, false);
            }

            @Override
            public boolean retryLater(Throwable error) {
                return PahoSupport.notTakenForNow(error);
            }
        };
    }

    private CompletableFuture<Void> sendPresence(String deviceId, ObjectNode n) {
        return logFailure(link.publish(presenceTopic(deviceId), n, 1, true)
                .thenRun(() -> unsentPresence.remove(deviceId, n)), deviceId, "presence");
    }

    private void onConnected() {
        unsentPresence.forEach(this::sendPresence);
        outbox.onConnected();
    }

    private static CompletableFuture<Void> logFailure(CompletableFuture<Void> f, String deviceId, String what) {
        return f.whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("mqtt: publishing {} for device_id={} failed: {}", what, deviceId, e.getMessage());
            }
        });
    }
}
