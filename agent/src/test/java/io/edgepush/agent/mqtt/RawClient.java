package io.edgepush.agent.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Assertions;

/**
 * The "cloud" side in tests: an independent plain Paho client that queues what arrives (callback never
 * blocks) and publishes responses with MQTT 5 properties.
 */
final class RawClient implements AutoCloseable {
    private final MqttAsyncClient client;
    private final BlockingQueue<MqttMessageView> received = new LinkedBlockingQueue<>();

    RawClient(String brokerUrl, String clientId) throws MqttException {
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                MqttProperties p = m.getProperties();
                received.add(new MqttMessageView(topic, m.getPayload(), m.getQos(), m.isRetained(),
                        p.getResponseTopic(), p.getCorrelationData()));
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
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o).waitForCompletion(10_000);
    }

    RawClient subscribe(String filter) throws MqttException {
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}).waitForCompletion(10_000);
        return this;
    }

    /** Next message, or a test failure after {@code timeout}. */
    MqttMessageView next(Duration timeout) throws InterruptedException {
        MqttMessageView m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Assertions.assertNotNull(m, "no MQTT message within " + timeout);
        return m;
    }

    /** Next message or null after {@code timeout} (for "nothing arrives" checks that poll briefly). */
    MqttMessageView poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void publish(String topic, String payload, byte[] correlationData, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(retained);
        if (correlationData != null) {
            MqttProperties p = new MqttProperties();
            p.setCorrelationData(correlationData);
            m.setProperties(p);
        }
        client.publish(topic, m).waitForCompletion(10_000);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5000);
        }
        client.close(true);
    }
}
