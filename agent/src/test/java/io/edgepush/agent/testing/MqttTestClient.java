package io.edgepush.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * The "cloud" (or any other party) in agent tests: an independent plain Paho MQTT 5 client, clean start, that
 * records every message it receives, in arrival order, and publishes at QoS 1 (MQTT 5.0 3.3), optionally with
 * the request/response properties Response Topic and Correlation Data (MQTT 5.0 4.10).
 *
 * <p>Read what arrived three ways: {@link #next(Duration)} hands out each message once, in order (a cursor over
 * the record); {@link #find} and {@link #await} search the whole record by topic filter and a JSON predicate;
 * {@link #all()} is the record itself. The Paho callback only appends, never blocks. Each broker operation
 * waits at most 10 s and throws {@link MqttException} if it fails.
 */
public final class MqttTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPERATION_TIMEOUT_MS = 10_000;
    private static final long DISCONNECT_TIMEOUT_MS = 5_000;

    /**
     * One message received.
     *
     * @param topic           the topic it was published to
     * @param payload         the payload decoded as UTF-8
     * @param qos             the QoS it was delivered with, 0..2
     * @param retained        whether the broker delivered it as a retained message
     * @param responseTopic   MQTT 5 Response Topic property (3.3.2.3.5), null if absent
     * @param correlationData MQTT 5 Correlation Data property (3.3.2.3.6), null if absent
     */
    public record Received(String topic, String payload, int qos, boolean retained, String responseTopic,
                           byte[] correlationData) {
        /** The payload parsed as JSON; a JSON null node if it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (Exception e) {
                return JSON.nullNode();
            }
        }
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private int nextIndex;

    private MqttTestClient(MqttAsyncClient client, MqttConnectionOptions options) {
        this.client = client;
        this.options = options;
    }

    /**
     * Connects to {@code brokerUrl} (e.g. {@code tcp://127.0.0.1:1883}) with a clean start; subscribes to nothing.
     *
     * @param clientIdPrefix the client id is this plus a unique suffix
     * @throws MqttException if the connect fails or takes more than 10 s
     */
    public static MqttTestClient connect(String brokerUrl, String clientIdPrefix) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        return connect(brokerUrl, clientIdPrefix, options);
    }

    /**
     * Connects with Clean Start 0 and a Session Expiry Interval of 1 h (MQTT 5.0 3.1.2.4, 3.1.2.11.2): on a broker
     * that keeps sessions across a restart ({@code Mosquitto.startPersistent()}) the subscriptions survive and the
     * QoS 1 messages published meanwhile are delivered after {@link #reconnect()}. No automatic reconnect.
     */
    public static MqttTestClient connectPersistent(String brokerUrl, String clientIdPrefix) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        return connect(brokerUrl, clientIdPrefix, options);
    }

    /**
     * Connects with the given options (e.g. a TLS socket factory, a user name and password); see
     * {@link #connect(String, String)}.
     */
    public static MqttTestClient connect(String brokerUrl, String clientIdPrefix, MqttConnectionOptions options)
            throws MqttException {
        MqttAsyncClient paho = new MqttAsyncClient(brokerUrl, clientIdPrefix + "-" + System.nanoTime(),
                new MemoryPersistence());
        MqttTestClient c = new MqttTestClient(paho, options);
        paho.setCallback(c.new Recorder());
        try {
            paho.connect(options).waitForCompletion(OPERATION_TIMEOUT_MS);
        } catch (MqttException e) {
            paho.close(true);
            throw e;
        }
        return c;
    }

    /**
     * Connects again with the same client id and options after the connection was lost (e.g. the broker was
     * restarted), waiting up to 10 s; does nothing if connected.
     */
    public void reconnect() throws MqttException {
        if (!client.isConnected()) {
            client.connect(options).waitForCompletion(OPERATION_TIMEOUT_MS);
        }
    }

    /** Whether the connection is up. */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Subscribes to {@code filter} (wildcards allowed) at QoS 1 and waits for the SUBACK; returns this. */
    public MqttTestClient subscribe(String filter) throws MqttException {
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)})
                .waitForCompletion(OPERATION_TIMEOUT_MS);
        return this;
    }

    /** Publishes {@code payload} (UTF-8) to {@code topic} at QoS 1, not retained, and waits for the PUBACK. */
    public void publish(String topic, String payload) throws MqttException {
        publish(topic, payload, null, null);
    }

    /**
     * Publishes {@code payload} (UTF-8) to {@code topic} at QoS 1, not retained, with the MQTT 5 Response Topic
     * and Correlation Data properties (each left out when null), and waits for the PUBACK.
     */
    public void publish(String topic, String payload, String responseTopic, byte[] correlationData)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        if (responseTopic != null || correlationData != null) {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(responseTopic);
            p.setCorrelationData(correlationData);
            m.setProperties(p);
        }
        client.publish(topic, m).waitForCompletion(OPERATION_TIMEOUT_MS);
    }

    /**
     * The oldest message not yet handed out by this method, waiting up to {@code timeout} for one.
     *
     * @throws org.opentest4j.AssertionFailedError if none arrives in time
     */
    public Received next(Duration timeout) {
        Await.until(() -> received.size() > nextIndex, timeout, () -> "an MQTT message; received so far: " + received);
        return received.get(nextIndex++);
    }

    /** Every message received so far, in arrival order. */
    public List<Received> all() {
        return List.copyOf(received);
    }

    /** The messages so far whose topic matches {@code topicFilter} (wildcards allowed) and whose JSON matches. */
    public List<Received> findAll(String topicFilter, Predicate<JsonNode> match) {
        return received.stream()
                .filter(r -> MqttTopicValidator.isMatched(topicFilter, r.topic()) && match.test(r.json()))
                .toList();
    }

    /** The first message so far whose topic matches {@code topicFilter} and whose JSON matches, if any. */
    public Optional<Received> find(String topicFilter, Predicate<JsonNode> match) {
        return findAll(topicFilter, match).stream().findFirst();
    }

    /**
     * Waits up to {@code timeout} for a message as in {@link #find} and returns the first one.
     *
     * @param what what is awaited, for the failure message (which also lists everything received)
     * @throws org.opentest4j.AssertionFailedError if none arrives in time
     */
    public Received await(String topicFilter, Predicate<JsonNode> match, Duration timeout, String what) {
        Await.until(() -> find(topicFilter, match).isPresent(), timeout,
                () -> what + " on " + topicFilter + "; received: " + received);
        return find(topicFilter, match).orElseThrow();
    }

    /** Disconnects (if connected, waiting up to 5 s) and releases the client. */
    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(DISCONNECT_TIMEOUT_MS);
            }
        } finally {
            client.close(true);
        }
    }

    /** Paho callback: records arrivals; everything else is of no interest to the tests. */
    private final class Recorder implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage m) {
            MqttProperties p = m.getProperties();
            received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(),
                    m.isRetained(), p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
