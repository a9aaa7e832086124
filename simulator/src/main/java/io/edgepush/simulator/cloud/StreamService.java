package io.edgepush.simulator.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.protocol.rtmp.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud stand-in that hands out RTMP endpoints over MQTT 5, following DESIGN.md section 3: subscribes
 * {@code devices/+/stream/request} (QoS 1) and answers each request on its MQTT 5 Response Topic (MQTT 5.0
 * section 4.10; {@code devices/{id}/stream/response} if absent) with the request's Correlation Data echoed and a
 * JSON response (success, request_id, rtmp_url, stream_key, server_name, server_region, max_bitrate,
 * recommended_fps, supports_adaptive, expires_at, token). Denied devices get {@code success:false,
 * error_code:UNAUTHORIZED}. A payload that is not a JSON object, or has no {@code request_id} string, is logged
 * and ignored. Every request seen is recorded ({@link #requests()}), with its {@code failed_endpoint} if any.
 *
 * <p>Several {@code rtmp_url} values ({@link StreamServiceOptions#rtmpUrls()}) are handed out in rotation per
 * device: each answered request of a device gets the next URL of the list, except that a URL equal to the
 * request's {@code failed_endpoint.rtmp_url} (ignoring trailing slashes) is skipped while another URL remains.
 *
 * <p>{@link #setMode} makes the service misbehave for fault injection (the chaos run): {@link Mode#SILENT} records
 * each request (outcome {@link SeenRequest.Outcome#UNANSWERED}) and answers nothing, {@link Mode#GARBAGE} answers
 * each request on its response topic, correlation data echoed, with bytes that are not JSON (outcome
 * {@link SeenRequest.Outcome#GARBAGE}); {@link Mode#ANSWER}, the default, behaves as described above.
 *
 * <p>Threads: Paho's callback only copies the message and hands it to one worker thread, which parses and
 * publishes; the callback never blocks. Reconnects automatically and subscribes again after a reconnect.
 */
public final class StreamService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);
    static final String REQUEST_FILTER = "devices/+/stream/request";
    /** What {@link Mode#GARBAGE} answers: not JSON (a truncated object followed by control bytes). */
    static final byte[] GARBAGE = "{\"success\":tru\u0000\u00ff garbage".getBytes(StandardCharsets.UTF_8);

    /** How the service treats requests (see the class comment); switch with {@link #setMode}. */
    public enum Mode {
        /** Answers every request (the default). */
        ANSWER,
        /** Answers nothing: a cloud that went quiet. */
        SILENT,
        /** Answers with bytes that are not JSON. */
        GARBAGE
    }

    private volatile Mode mode = Mode.ANSWER;

    private final StreamServiceOptions options;
    private final MqttClient client;
    private final ExecutorService worker;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final List<SeenRequest> seen = new CopyOnWriteArrayList<>();
    /** device id -> index of the next rtmp_url; touched only by the worker thread. */
    private final Map<String, Integer> nextUrlIndex = new HashMap<>();

    private StreamService(StreamServiceOptions options) throws MqttException {
        this.options = options;
        this.client = new MqttClient(options.brokerUrl(), options.clientId(), new MemoryPersistence());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stream-service");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the broker, subscribes and starts answering.
     *
     * @throws MqttException if the broker cannot be reached or refuses the connection or subscription
     */
    public static StreamService start(StreamServiceOptions options) throws MqttException {
        StreamService s = new StreamService(options);
        try {
            s.connect();
        } catch (MqttException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void connect() throws MqttException {
        client.setCallback(new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(10);
        client.connect(o);
        client.subscribe(REQUEST_FILTER, 1);
        LOG.info("stream service on {} answering {} with rtmp_url {} (lifetime {} s)", options.brokerUrl(),
                REQUEST_FILTER, options.rtmpUrls(), options.endpointLifetimeSec());
    }

    /** Switches how requests arriving from now on are treated; takes effect for the next request handled. */
    public void setMode(Mode mode) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        LOG.info("stream service mode {}", mode);
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** The requests seen so far, oldest first (a snapshot). */
    public List<SeenRequest> requests() {
        return List.copyOf(seen);
    }

    /** Disconnects from the broker and stops the worker. Idempotent. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            LOG.warn("stream service disconnect: {}", e.toString());
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("stream service close: {}", e.toString());
        }
    }

    /** Handles one request on the worker thread. */
    void handle(String topic, byte[] payload, String responseTopic, byte[] correlationData) {
        String deviceId = deviceIdOf(topic);
        Mode now = mode;
        if (now != Mode.ANSWER) {
            misbehave(now, deviceId, responseTopic, correlationData);
            return;
        }
        JsonNode request;
        try {
            request = json.readTree(payload);
        } catch (IOException | RuntimeException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            LOG.warn("device_id={} ignoring stream request: payload is not a JSON object ({} bytes)", deviceId,
                    payload.length);
            seen.add(new SeenRequest(deviceId, null, responseTopic, SeenRequest.Outcome.IGNORED_MALFORMED, null,
                    null, null));
            return;
        }
        SeenRequest.FailedEndpoint failed = failedEndpointOf(request);
        JsonNode requestId = request.get("request_id");
        if (requestId == null || !requestId.isTextual() || requestId.asText().isEmpty()) {
            LOG.warn("device_id={} ignoring stream request: missing required field request_id (string)", deviceId);
            seen.add(new SeenRequest(deviceId, null, responseTopic, SeenRequest.Outcome.IGNORED_NO_REQUEST_ID,
                    null, failed, null));
            return;
        }
        String id = requestId.asText();
        if (failed != null) {
            LOG.info("device_id={} request_id={} reports failed endpoint rtmp_url={} error_code={}", deviceId, id,
                    failed.rtmpUrl(), failed.errorCode());
        }
        String target = responseTopic != null ? responseTopic : "devices/" + deviceId + "/stream/response";
        Map<String, Object> response;
        SeenRequest record;
        if (options.deniedDeviceIds().contains(deviceId)) {
            response = denied(id);
            record = new SeenRequest(deviceId, id, responseTopic, SeenRequest.Outcome.DENIED, null, failed, null);
        } else {
            String key = options.streamKey() != null ? options.streamKey() : generatedKey(deviceId);
            String url = nextRtmpUrl(deviceId, failed == null ? null : failed.rtmpUrl());
            response = answer(id, url, key);
            record = new SeenRequest(deviceId, id, responseTopic, SeenRequest.Outcome.ANSWERED, key, failed, url);
        }
        seen.add(record);
        publish(target, response, correlationData, record);
    }

    /** {@link Mode#SILENT}: records the request only; {@link Mode#GARBAGE}: answers {@link #GARBAGE}. */
    private void misbehave(Mode now, String deviceId, String responseTopic, byte[] correlationData) {
        if (now == Mode.SILENT) {
            LOG.info("device_id={} stream request left unanswered (silent mode)", deviceId);
            seen.add(new SeenRequest(deviceId, null, responseTopic, SeenRequest.Outcome.UNANSWERED, null, null,
                    null));
            return;
        }
        String target = responseTopic != null ? responseTopic : "devices/" + deviceId + "/stream/response";
        seen.add(new SeenRequest(deviceId, null, responseTopic, SeenRequest.Outcome.GARBAGE, null, null, null));
        try {
            MqttMessage m = new MqttMessage(GARBAGE.clone());
            m.setQos(1);
            MqttProperties p = new MqttProperties();
            if (correlationData != null) {
                p.setCorrelationData(correlationData);
            }
            m.setProperties(p);
            client.publish(target, m);
            LOG.info("device_id={} stream request answered with garbage on {} (garbage mode)", deviceId, target);
        } catch (MqttException e) {
            LOG.warn("device_id={} could not publish garbage on {}: {}", deviceId, target, e.toString());
        }
    }

    /** The request's {@code failed_endpoint} object, or null if absent or not an object. */
    static SeenRequest.FailedEndpoint failedEndpointOf(JsonNode request) {
        JsonNode f = request.get("failed_endpoint");
        if (f == null || !f.isObject()) {
            return null;
        }
        JsonNode url = f.get("rtmp_url");
        JsonNode code = f.get("error_code");
        return new SeenRequest.FailedEndpoint(url != null && url.isTextual() ? url.asText() : null,
                code != null && code.isTextual() ? code.asText() : null);
    }

    /** The next URL of the device's rotation, skipping {@code failedUrl} while another URL remains. */
    private String nextRtmpUrl(String deviceId, String failedUrl) {
        List<String> urls = options.rtmpUrls();
        int start = nextUrlIndex.getOrDefault(deviceId, 0);
        int chosen = start;
        for (int step = 0; step < urls.size(); step++) {
            int i = (start + step) % urls.size();
            if (failedUrl == null || !sameServerUrl(urls.get(i), failedUrl)) {
                chosen = i;
                break;
            }
        }
        nextUrlIndex.put(deviceId, (chosen + 1) % urls.size());
        return urls.get(chosen);
    }

    /** True if the two URLs are equal once trailing slashes are removed. */
    static boolean sameServerUrl(String a, String b) {
        return stripTrailingSlashes(a).equals(stripTrailingSlashes(b));
    }

    private static String stripTrailingSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    private Map<String, Object> answer(String requestId, String rtmpUrl, String key) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("success", true);
        r.put("request_id", requestId);
        r.put("rtmp_url", rtmpUrl);
        r.put("stream_key", key);
        r.put("server_name", options.serverName());
        r.put("server_region", options.serverRegion());
        r.put("max_bitrate", options.maxBitrateBps());
        r.put("recommended_fps", options.recommendedFps());
        r.put("supports_adaptive", true);
        r.put("expires_at", options.clock().instant().getEpochSecond() + options.endpointLifetimeSec());
        r.put("token", randomHex(16));
        return r;
    }

    private static Map<String, Object> denied(String requestId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("success", false);
        r.put("request_id", requestId);
        r.put("error_code", "UNAUTHORIZED");
        r.put("error_message", "Device not authorized for streaming");
        return r;
    }

    private void publish(String topic, Map<String, Object> response, byte[] correlationData, SeenRequest rec) {
        try {
            MqttMessage m = new MqttMessage(json.writeValueAsBytes(response));
            m.setQos(1);
            MqttProperties p = new MqttProperties();
            if (correlationData != null) {
                p.setCorrelationData(correlationData);
            }
            p.setContentType("application/json");
            m.setProperties(p);
            client.publish(topic, m);
            LOG.info("device_id={} request_id={} answered on {}: {} rtmp_url={} stream_key={}", rec.deviceId(),
                    rec.requestId(), topic, rec.outcome(), rec.rtmpUrl(), Secrets.mask(rec.streamKey()));
        } catch (JsonProcessingException | MqttException e) {
            LOG.warn("device_id={} request_id={} could not publish response on {}: {}", rec.deviceId(),
                    rec.requestId(), topic, e.toString());
        }
    }

    private String generatedKey(String deviceId) {
        return deviceId.toLowerCase(Locale.ROOT) + "_" + randomHex(4);
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** "devices/{id}/stream/request" -> id. */
    static String deviceIdOf(String topic) {
        String[] parts = topic.split("/", -1);
        return parts.length == 4 ? parts[1] : topic;
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("stream service closing, message dropped");
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttProperties p = message.getProperties();
            String responseTopic = p == null ? null : p.getResponseTopic();
            byte[] correlation = p == null ? null : p.getCorrelationData();
            byte[] payload = message.getPayload();
            submit(() -> handle(topic, payload, responseTopic, correlation));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                submit(() -> {
                    try {
                        client.subscribe(REQUEST_FILTER, 1);
                        LOG.info("stream service reconnected to {}, subscribed again", serverUri);
                    } catch (MqttException e) {
                        LOG.warn("stream service could not subscribe after reconnect: {}", e.toString());
                    }
                });
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("stream service disconnected from broker: {}", response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("stream service MQTT error: {}", exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
