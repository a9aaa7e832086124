package io.edgepush.agent.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that touches Eclipse Paho MQTTv5 1.2.5. One MQTT 5 connection per gateway with:
 * <ul>
 * <li>in-memory persistence, Clean Start 0 with a Session Expiry Interval of {@value #SESSION_EXPIRY_SEC} s
 *     (MQTT 5.0 3.1.2.4, 3.1.2.11.2);</li>
 * <li>Last Will {@code gateways/{gateway_id}/status} retained {@code {"state":"offline"}}, sent by the broker
 *     {@code will_delay_sec} after the connection is lost unless the agent is back by then, and, on every
 *     connect, retained {@code {"state":"online","gateway_id":...,"timestamp":...}} (DESIGN.md section 3);</li>
 * <li>our own retry loop with exponential backoff, for the first connect and after every lost connection (Paho's
 *     automatic reconnect is off: it logs nothing per attempt). Each failed attempt logs one line,
 *     {@code event=mqtt_connect_failed broker=... attempt=N cause=... detail="..." retry_in_ms=...}, with the cause
 *     classified by {@link ConnectFailure};</li>
 * <li>all subscriptions re-sent after every (re)connect, from Paho's {@code connectComplete};</li>
 * <li>no buffering while disconnected: a publish then fails at once. Paho's disconnected buffer is off on
 *     purpose: status events wait in {@link StatusOutbox} (bounded, counted, in order), endpoint requests fail
 *     fast so the caller can reuse an endpoint, and presence is re-published after a connect. Messages Paho had
 *     already sent and not yet seen acknowledged are sent again by Paho after a reconnect (Clean Start 0).</li>
 * <li>every arrived message copied into a {@link MqttMessageView} and handed to ONE dispatch thread, which
 *     calls the handlers whose filter matches the topic. Paho's callback thread never blocks. Handlers run
 *     on that dispatch thread in arrival order and must not block for long either. The backlog is bounded
 *     ({@link DispatchQueue}): a message arriving while it is full is dropped and counted.</li>
 * </ul>
 * Thread-safe.
 */
public final class MqttLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    static final long SESSION_EXPIRY_SEC = 3600;
    /** Part of a {@link #close(long)} budget kept for closing the socket, milliseconds. */
    static final long FORCED_CLOSE_RESERVE_MS = 200;
    /** Most arrived messages waiting for the dispatch thread; more are dropped and counted. */
    public static final int MAX_QUEUED_MESSAGES = DispatchQueue.MAX_QUEUED_MESSAGES;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttConfig config;
    private final String gatewayId;
    private final String presenceTopic;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final Subscriptions subscriptions = new Subscriptions();
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private final DispatchQueue dispatch = new DispatchQueue();
    private final ScheduledExecutorService connector =
            Executors.newSingleThreadScheduledExecutor(r -> PahoSupport.daemon(r, "mqtt-connect"));
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final long initialRetryDelayMs;
    private final long maxRetryDelayMs;
    private volatile boolean started;
    private volatile boolean closed;

    /** Longest wait for one connect attempt; Paho's own connection timeout (10 s) ends it before. */
    private static final long CONNECT_WAIT_MS = 15_000;

    /** A link with connect retry delays of 1 s doubling to 30 s. */
    public MqttLink(MqttConfig config, String gatewayId) {
        this(config, gatewayId, 1000, 30_000);
    }

    /**
     * @param initialRetryDelayMs connect retry delay, doubled per failed attempt; also the wait before the first
     *                            reconnect attempt after a lost connection
     * @param maxRetryDelayMs     cap of that delay
     * @throws IllegalArgumentException if the broker URL or client id is rejected by the client library
     */
    public MqttLink(MqttConfig config, String gatewayId, long initialRetryDelayMs, long maxRetryDelayMs) {
        this.config = config;
        this.gatewayId = gatewayId;
        this.presenceTopic = "gateways/" + gatewayId + "/status";
        this.initialRetryDelayMs = initialRetryDelayMs;
        this.maxRetryDelayMs = maxRetryDelayMs;
        try {
            client = new MqttAsyncClient(config.brokerUrl(), config.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad MQTT broker URL or client id: " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        options = MqttOptions.build(config, presenceTopic, SESSION_EXPIRY_SEC);
    }

    /**
     * Starts connecting in the background and returns at once. The first connect is retried with
     * exponential backoff (each failure logged with its cause) until it succeeds or {@link #close()}; a lost
     * connection is retried the same way. The returned future completes when the first connection is up
     * (presence published, subscriptions sent); it fails only if the link is closed first.
     */
    public CompletableFuture<Void> start() {
        synchronized (this) {
            if (!started && !closed) {
                started = true;
                connector.execute(() -> attemptConnect(1, initialRetryDelayMs));
            }
        }
        return firstConnect;
    }

    /** One connect attempt on the connector thread; on failure logs the cause and schedules the next one. */
    private void attemptConnect(int attempt, long delayMs) {
        if (closed) {
            return;
        }
        LOG.info("mqtt: connecting to {} as {} (attempt {})", config.brokerUrl(), config.clientId(), attempt);
        try {
            client.connect(options).waitForCompletion(CONNECT_WAIT_MS);
            return;
        } catch (MqttException | RuntimeException e) {
            if (closed) {
                return;
            }
            ConnectFailure failure = ConnectFailure.classify(e, config.username() != null);
            LOG.warn("event=mqtt_connect_failed broker={} client_id={} attempt={} cause={} detail=\"{}\" retry_in_ms={}",
                    config.brokerUrl(), config.clientId(), attempt, failure.cause(), failure.detail(), delayMs);
        }
        try {
            connector.schedule(() -> attemptConnect(attempt + 1, Math.min(delayMs * 2, maxRetryDelayMs)),
                    delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** After a lost connection: the first attempt in {@code initialRetryDelayMs}, then backoff as on start. */
    private void reconnectLater() {
        try {
            connector.schedule(() -> attemptConnect(1, initialRetryDelayMs), initialRetryDelayMs,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Whether the connection to the broker is up right now. */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** The gateway presence topic {@code gateways/{gateway_id}/status}. */
    public String presenceTopic() {
        return presenceTopic;
    }

    /** Publishes a JSON object as UTF-8; see {@link #publish(String, byte[], int, boolean)}. */
    public CompletableFuture<Void> publish(String topic, ObjectNode json, int qos, boolean retained) {
        return publish(topic, toBytes(json), qos, retained);
    }

    /**
     * Publishes a message (MQTT 5.0 3.3). Never blocks and never buffers: see the class comment.
     *
     * @return completes when delivered (QoS 1/2: acknowledged; QoS 0: written); fails at once when not connected
     *         or when too many messages are in flight (Paho reason codes 32104, 32202), or on a client error
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        return send(topic, m);
    }

    /**
     * Publishes a request with the MQTT 5 Response Topic and Correlation Data properties (MQTT 5.0 4.10).
     *
     * @param correlationData copied; nullable
     */
    public CompletableFuture<Void> publishRequest(String topic, byte[] payload, int qos, String responseTopic,
                                                  byte[] correlationData) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(responseTopic);
        if (correlationData != null) {
            props.setCorrelationData(correlationData.clone());
        }
        m.setProperties(props);
        return send(topic, m);
    }

    private CompletableFuture<Void> send(String topic, MqttMessage m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, m, null, PahoSupport.listener(done));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(new IllegalStateException("mqtt publish to " + topic + " failed: " + e, e));
        }
        return done;
    }

    /** Subscribes with QoS 1; see {@link #subscribe(String, int, BiConsumer)}. */
    public CompletableFuture<Void> subscribe(String topicFilter, BiConsumer<String, MqttMessageView> handler) {
        return subscribe(topicFilter, 1, handler);
    }

    /**
     * Registers {@code handler(topic, message)} for messages matching {@code topicFilter} and subscribes
     * (now if connected, and again after every reconnect). Several handlers may share a filter.
     *
     * @return completes when the broker acknowledged the subscription, or at once when not yet connected
     *         (it is then sent on connect)
     */
    public CompletableFuture<Void> subscribe(String topicFilter, int qos, BiConsumer<String, MqttMessageView> handler) {
        subscriptions.add(topicFilter, qos, handler);
        if (!client.isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        return sendSubscribe(new MqttSubscription[] {new MqttSubscription(topicFilter, qos)});
    }

    /** Removes every handler of {@code topicFilter} and unsubscribes from it. */
    public void unsubscribe(String topicFilter) {
        if (subscriptions.remove(topicFilter) && client.isConnected()) {
            try {
                client.unsubscribe(topicFilter);
            } catch (MqttException e) {
                LOG.warn("mqtt: unsubscribe {} failed: {}", topicFilter, e.getMessage());
            }
        }
    }

    /** Uses subscribe(MqttSubscription[], ...) only: the per-filter listener overloads recurse in 1.2.5. */
    private CompletableFuture<Void> sendSubscribe(MqttSubscription[] subs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.subscribe(subs, null, PahoSupport.listener(done), new MqttProperties());
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(new IllegalStateException("mqtt subscribe failed: " + e, e));
        }
        return done;
    }

    private void resubscribeAll() {
        MqttSubscription[] subs = subscriptions.all();
        if (subs.length > 0) {
            sendSubscribe(subs).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("mqtt: resubscribe failed: {}", e.getMessage());
                } else {
                    LOG.info("mqtt: subscribed to {} topic filter(s)", subs.length);
                }
            });
        }
    }

    private void afterConnect() {
        boolean reconnect = firstConnect.isDone();
        LOG.info("mqtt: {} to {}", reconnect ? "reconnected" : "connected", config.brokerUrl());
        resubscribeAll();
        ObjectNode online = JSON.createObjectNode().put("state", "online").put("gateway_id", gatewayId)
                .put("timestamp", Instant.now().getEpochSecond());
        publish(presenceTopic, online, 1, true);
        for (Runnable r : connectedListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("mqtt: on-connect listener failed: {}", e.toString(), e);
            }
        }
        firstConnect.complete(null);
    }

    /**
     * Runs {@code listener} after every (re)connect, once subscriptions are re-sent and the gateway's
     * presence is published, on the dispatch thread (so it must not block). Use it to re-publish retained
     * state that a broker may have lost or that could not be sent while disconnected.
     */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    /**
     * Publishes retained offline presence (waiting up to 2 s), disconnects and releases the client.
     * Idempotent. A pending {@link #start()} future fails. Same as {@link #close(long)} with 6 s.
     */
    @Override
    public void close() {
        close(6000);
    }

    /**
     * Like {@link #close()}, within about {@code budgetMs} milliseconds: the offline presence and the DISCONNECT
     * (MQTT 5.0 3.14) get what is left of the budget after {@value #FORCED_CLOSE_RESERVE_MS} ms kept for closing the
     * socket, which also ends the client's reader thread when the broker stopped answering.
     */
    public void close(long budgetMs) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        firstConnect.completeExceptionally(new IllegalStateException("mqtt link closed"));
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                publish(presenceTopic, "{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8), 1, true)
                        .get(Math.min(2000, msLeft(deadlineNanos, FORCED_CLOSE_RESERVE_MS)), TimeUnit.MILLISECONDS);
                long disconnectMs = msLeft(deadlineNanos, FORCED_CLOSE_RESERVE_MS);
                client.disconnect(disconnectMs).waitForCompletion(disconnectMs);
            }
        } catch (Exception e) {
            LOG.warn("mqtt: clean disconnect failed: {}", e.toString());
        }
        try {
            client.disconnectForcibly(0, Math.min(1000, msLeft(deadlineNanos, 0)), false);
        } catch (MqttException e) {
            LOG.debug("mqtt: forced disconnect: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("mqtt: close: {}", e.getMessage());
        }
        dispatch.shutdown();
    }

    /** Milliseconds until {@code reserveMs} before the deadline, at least 1. */
    private static long msLeft(long deadlineNanos, long reserveMs) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) - reserveMs;
        return Math.max(1, left);
    }

    /** Arrived messages dropped so far because the dispatch backlog was full ({@link DispatchQueue}). */
    public long droppedMessages() {
        return dispatch.dropped();
    }

    /** The most arrived messages that have waited for the dispatch thread at once. */
    public int dispatchHighWater() {
        return dispatch.highWater();
    }

    static byte[] toBytes(ObjectNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Paho callbacks: copy and hand off, never block. */
    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage m) {
            MqttProperties p = m.getProperties();
            MqttMessageView view = new MqttMessageView(topic, m.getPayload().clone(), m.getQos(), m.isRetained(),
                    p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData());
            if (!closed) {
                dispatch.offerMessage(topic, view.payload().length, () -> subscriptions.deliver(topic, view));
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (!closed) {
                dispatch.execute(MqttLink.this::afterConnect);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (closed) {
                return;
            }
            MqttException e = response.getException();
            LOG.warn("mqtt: disconnected from {}: {}; reconnecting in {} ms", config.brokerUrl(),
                    e != null ? e.getMessage() : "reason code " + response.getReturnCode()
                            + (response.getReasonString() == null ? "" : " " + response.getReasonString()),
                    initialRetryDelayMs);
            reconnectLater();
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("mqtt: error: {}", e.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
