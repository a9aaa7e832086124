package io.edgepush.agent.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic filters {@link MqttLink} is subscribed to and their handlers (package-private): what is re-sent in
 * one SUBSCRIBE after every (re)connect (MQTT 5.0 3.8), and who gets an arrived message (filters matched per
 * MQTT 5.0 4.7). Thread-safe.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private record Entry(int qos, List<BiConsumer<String, MqttMessageView>> handlers) {
    }

    private final Map<String, Entry> byFilter = new ConcurrentHashMap<>();

    /** Adds a handler of {@code filter}; the first one fixes the filter's QoS. */
    void add(String filter, int qos, BiConsumer<String, MqttMessageView> handler) {
        byFilter.computeIfAbsent(filter, f -> new Entry(qos, new CopyOnWriteArrayList<>())).handlers().add(handler);
    }

    /** Removes every handler of {@code filter}; true if there were any. */
    boolean remove(String filter) {
        return byFilter.remove(filter) != null;
    }

    /** Every filter with its QoS, for one SUBSCRIBE packet; empty when there are none. */
    MqttSubscription[] all() {
        return byFilter.entrySet().stream().map(e -> new MqttSubscription(e.getKey(), e.getValue().qos()))
                .toArray(MqttSubscription[]::new);
    }

    /** Calls every handler whose filter matches {@code topic}; a handler that throws is logged and skipped. */
    void deliver(String topic, MqttMessageView view) {
        for (Map.Entry<String, Entry> e : byFilter.entrySet()) {
            if (!TopicFilter.matches(e.getKey(), topic)) {
                continue;
            }
            for (BiConsumer<String, MqttMessageView> h : e.getValue().handlers()) {
                try {
                    h.accept(topic, view);
                } catch (RuntimeException ex) {
                    LOG.error("mqtt: handler for {} failed on {}: {}", e.getKey(), topic, ex.toString(), ex);
                }
            }
        }
    }
}
