package io.edgepush.simulator.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Paho MQTT 5 client for tests: every message on any subscribed topic lands in one queue. Uses the client-wide
 * callback and {@code subscribe(String, int)} (the listener overloads of Paho 1.2.5 recurse forever).
 */
public final class TestMqttClient implements AutoCloseable {
    /** A received message with its topic. */
    public record Received(String topic, MqttMessage message) {
        public String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    public TestMqttClient(String brokerUrl, String clientId) throws MqttException {
        client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void messageArrived(String topic, MqttMessage m) { received.add(new Received(topic, m)); }
            @Override public void deliveryComplete(IMqttToken token) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int reasonCode, MqttProperties p) { }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
    }

    public void subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1);
    }

    /** Publishes at QoS 1 with optional Response Topic / Correlation Data (null = absent). */
    public void publish(String topic, String payload, String responseTopic, byte[] correlationData)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        MqttProperties p = new MqttProperties();
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        if (correlationData != null) {
            p.setCorrelationData(correlationData);
        }
        m.setProperties(p);
        client.publish(topic, m);
    }

    /** Next received message, or null after the deadline. */
    public Received next(Duration deadline) throws InterruptedException {
        return received.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
