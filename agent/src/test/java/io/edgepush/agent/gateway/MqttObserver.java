package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A test client that records every message on the broker and can publish commands. */
final class MqttObserver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message seen, with the MQTT 5 request/response properties. */
    record Seen(String topic, String payload, boolean retained, String responseTopic, byte[] correlationData) {
        JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (Exception e) {
                return JSON.nullNode();
            }
        }
    }

    private final MqttClient client;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    MqttObserver(String brokerUrl) throws MqttException {
        client = new MqttClient(brokerUrl, "it-observer-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                MqttProperties p = message.getProperties();
                seen.add(new Seen(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained(),
                        p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData()));
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reason, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
        client.subscribe(new MqttSubscription[]{new MqttSubscription("#", 1)});
    }

    void publish(String topic, String payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        client.publish(topic, m);
    }

    List<Seen> all() {
        return List.copyOf(seen);
    }

    Optional<Seen> find(String topic, Predicate<JsonNode> match) {
        return seen.stream().filter(s -> s.topic().equals(topic) && match.test(s.json())).findFirst();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
