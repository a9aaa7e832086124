package io.edgepush.agent.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.session.EndpointSource;
import io.edgepush.protocol.rtmp.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cloud for an RTMP endpoint over MQTT 5 request/response (DESIGN.md section 3, MQTT 5.0 4.10):
 * subscribes to {@code devices/{id}/stream/response} (once per device, before the first request), publishes
 * the request at QoS 1 to {@code devices/{id}/stream/request} with Response Topic and Correlation Data = UTF-8
 * of request_id, and matches responses by request_id (and correlation data when present). Retrying after a
 * TIMEOUT, with backoff, is the caller's job. Futures complete on the MQTT dispatch thread (or the timer
 * thread for TIMEOUT): do not block in their continuations. Thread-safe.
 */
public final class EndpointExchange implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointExchange.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MqttLink link;
    private final long requestTimeoutMs;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> subscribed = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-endpoint-timeout");
        t.setDaemon(true);
        return t;
    });

    private record Pending(String deviceId, CompletableFuture<EndpointResponse> future) {
    }

    /**
     * @param requestTimeoutMs how long to wait for a response ({@code mqtt.request_timeout_ms})
     * @param clock            source of the request {@code timestamp}
     */
    public EndpointExchange(MqttLink link, long requestTimeoutMs, Clock clock) {
        this.link = link;
        this.requestTimeoutMs = requestTimeoutMs;
        this.clock = clock;
    }

    /**
     * The endpoint source of one device: every resolve is a request over this exchange (see
     * {@link MqttEndpointSource}: failure reports, reuse of the last endpoint while the cloud is unreachable).
     */
    public EndpointSource endpointSource(String deviceId) {
        return new MqttEndpointSource(this, deviceId);
    }

    /** {@code devices/{id}/stream/request}. */
    static String requestTopic(String deviceId) {
        return "devices/" + deviceId + "/stream/request";
    }

    /** {@code devices/{id}/stream/response}. */
    static String responseTopic(String deviceId) {
        return "devices/" + deviceId + "/stream/response";
    }

    /**
     * Requests an endpoint for a device.
     *
     * @param maxBitrateBps   {@code max_bitrate}, bits per second
     * @param preferredRegion nullable; omitted from the request when null
     * @return the endpoint; fails with {@link EndpointException}: the cloud's error_code on
     *         {@code success:false}, {@code TIMEOUT}, {@code BAD_RESPONSE}, {@code ENDPOINT_INVALID}, {@code PUBLISH_FAILED},
     *         {@code CLOSED}
     */
    CompletableFuture<EndpointResponse> requestEndpoint(String deviceId, QualityPreset quality, long maxBitrateBps,
                                                        String preferredRegion) {
        return requestEndpoint(deviceId, quality, maxBitrateBps, false, preferredRegion, null);
    }

    /**
     * As {@link #requestEndpoint(String, QualityPreset, long, String)}, reporting the endpoint that failed last:
     * the request then carries {@code "failed_endpoint": {"rtmp_url", "error_code", "message"}} (fields that are
     * null left out) so the cloud can hand out another server.
     *
     * @param supportsAdaptive {@code supports_adaptive}: the stream adapts its bitrate to the uplink
     * @param failed nullable; must not contain a stream key or token (see {@link EndpointFailureReport})
     */
    CompletableFuture<EndpointResponse> requestEndpoint(String deviceId, QualityPreset quality, long maxBitrateBps,
                                                        boolean supportsAdaptive, String preferredRegion,
                                                        EndpointFailureReport failed) {
        String requestId = String.format("stream_%08x", RANDOM.nextInt());
        ObjectNode req = JSON.createObjectNode().put("request_id", requestId).put("device_id", deviceId)
                .put("stream_type", "rtmp").put("quality", quality.wireName());
        if (preferredRegion != null) {
            req.put("preferred_region", preferredRegion);
        }
        req.put("max_bitrate", maxBitrateBps).put("supports_adaptive", supportsAdaptive)
                .put("timestamp", clock.instant().getEpochSecond());
        if (failed != null) {
            ObjectNode f = req.putObject("failed_endpoint").put("rtmp_url", failed.rtmpUrl());
            if (failed.errorCode() != null) {
                f.put("error_code", failed.errorCode());
            }
            if (failed.message() != null) {
                f.put("message", failed.message());
            }
        }
        CompletableFuture<EndpointResponse> result = new CompletableFuture<>();
        pending.put(requestId, new Pending(deviceId, result));
        try {
            timer.schedule(() -> fail(requestId, new EndpointException("TIMEOUT",
                    "no endpoint response for " + requestId + " within " + requestTimeoutMs + " ms")),
                    requestTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
        if (closed) {
            fail(requestId, new EndpointException("CLOSED", "endpoint exchange closed"));
            return result;
        }
        ensureSubscribed(deviceId)
                .thenCompose(v -> link.publishRequest(requestTopic(deviceId), MqttLink.toBytes(req), 1,
                        responseTopic(deviceId), requestId.getBytes(StandardCharsets.UTF_8)))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        fail(requestId, new EndpointException("PUBLISH_FAILED", String.valueOf(e.getMessage())));
                    }
                });
        LOG.info("mqtt: endpoint request {} sent for device_id={} quality={}{}", requestId, deviceId,
                quality.wireName(), failed == null ? "" : " failed_endpoint=" + failed.rtmpUrl() + " error_code="
                        + failed.errorCode());
        return result;
    }

    private CompletableFuture<Void> ensureSubscribed(String deviceId) {
        // The handler stays registered in the link even if this SUBSCRIBE fails; the link re-sends it on reconnect.
        return subscribed.computeIfAbsent(deviceId,
                id -> link.subscribe(responseTopic(id), 1, (topic, msg) -> onResponse(id, msg)).exceptionally(e -> {
                    LOG.warn("mqtt: subscribe to {} failed: {}", responseTopic(id), e.getMessage());
                    return null;
                }));
    }

    private void fail(String requestId, EndpointException e) {
        Pending p = pending.remove(requestId);
        if (p != null) {
            LOG.warn("mqtt: endpoint request {} for device_id={} failed: {}", requestId, p.deviceId(), e.getMessage());
            p.future().completeExceptionally(e);
        }
    }

    /**
     * One payload on a response topic, parsed by {@link EndpointResponseParser}: an unreadable one and one that
     * matches no pending request of this device are ignored with one log line; a usable endpoint completes the
     * request, anything else fails it (BAD_RESPONSE, ENDPOINT_INVALID, the cloud's error_code).
     */
    private void onResponse(String deviceId, MqttMessageView msg) {
        EndpointResponseParser.Answer answer;
        try {
            answer = EndpointResponseParser.parse(msg.payload());
        } catch (EndpointResponseParser.Unreadable e) {
            // never the payload itself: it may hold a key, a token or control bytes; only its size and why
            LOG.warn("event=endpoint_response_malformed device_id={} topic={} bytes={} reason=\"{}\"",
                    deviceId, msg.topic(), msg.payload().length, e.getMessage());
            return;
        }
        String requestId = answer.requestId();
        byte[] cd = msg.correlationData();
        if (cd != null && !Arrays.equals(cd, requestId.getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("mqtt: endpoint response {} with non-matching correlation data ignored",
                    EndpointResponseParser.cut(requestId));
            return;
        }
        Pending p = pending.get(requestId);
        if (p == null || !p.deviceId().equals(deviceId)) {
            LOG.info("mqtt: endpoint response {} on {} matches no pending request, ignored",
                    EndpointResponseParser.cut(requestId), msg.topic());
            return;
        }
        if (answer.failure() != null) {
            fail(requestId, answer.failure());
            return;
        }
        EndpointResponse r = answer.endpoint();
        if (pending.remove(requestId) != null) {
            LOG.info("mqtt: endpoint for device_id={}: {} key {}", LogText.cut(deviceId), LogText.serverUrl(r.rtmpUrl()),
                    Secrets.mask(r.streamKey()));
            p.future().complete(r);
        }
    }

    /**
     * Fails every pending request, and every later one, with {@code CLOSED} and stops the timer. Does not close
     * the link.
     */
    @Override
    public void close() {
        closed = true;
        for (String id : pending.keySet()) {
            fail(id, new EndpointException("CLOSED", "endpoint exchange closed"));
        }
        timer.shutdownNow();
    }
}
