package io.edgepush.agent.mqtt;

import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.EndpointUnavailableException;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.agent.session.EndpointSource;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.protocol.rtmp.Secrets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint from the cloud over MQTT 5 (DESIGN.md section 3): a request on
 * {@code devices/{device_id}/stream/request}, answered on the response topic. The publish URL is
 * {@code rtmp_url} joined with {@code stream_key}.
 *
 * <p>Every resolve sends a fresh request. After a failure the request carries {@code failed_endpoint}
 * ({@link EndpointFailureReport}): the server URL without the stream key, the error code, and the message with
 * the key and token masked. When the cloud cannot be reached ({@link EndpointException#cloudUnreachable()}:
 * TIMEOUT, PUBLISH_FAILED, CLOSED) and the last endpoint the cloud handed out has not expired
 * ({@code expires_at} 0 = never), that endpoint is used again (logged as {@code event=endpoint_reused}); a cloud
 * refusal (for example UNAUTHORIZED) or a bad response still fails. Thread-safe.
 */
final class MqttEndpointSource implements EndpointSource {
    private static final Logger LOG = LoggerFactory.getLogger(MqttEndpointSource.class);

    private final EndpointExchange exchange;
    private final String deviceId;
    private final Clock clock;
    private volatile EndpointResponse lastGood;

    MqttEndpointSource(EndpointExchange exchange, String deviceId) {
        this(exchange, deviceId, Clock.systemUTC());
    }

    /** @param clock decides whether the last good endpoint has expired */
    MqttEndpointSource(EndpointExchange exchange, String deviceId, Clock clock) {
        this.exchange = exchange;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive,
                                               FailedEndpoint previousFailure) {
        QualityPreset preset = QualityPreset.fromWireName(quality);
        long maxBitrateBps = preset.bitrateBps() > 0 ? preset.bitrateBps() : QualityPreset.ULTRA.bitrateBps();
        EndpointFailureReport report = previousFailure == null ? null : report(previousFailure, lastGood);
        return exchange.requestEndpoint(deviceId, preset, maxBitrateBps, supportsAdaptive, null, report)
                .handle((response, err) -> {
                    if (err == null) {
                        lastGood = response;
                        return toEndpoint(response);
                    }
                    EndpointResponse reusable = reusable(err);
                    if (reusable == null) {
                        throw new CompletionException(unavailable(err));
                    }
                    LOG.info("event=endpoint_reused device_id={} error_code={} server_url={} stream_key={} "
                                    + "expires_at={}", deviceId, cause(err) instanceof EndpointException e
                                    ? e.errorCode() : "ENDPOINT_ERROR", reusable.rtmpUrl(),
                            Secrets.mask(reusable.streamKey()), reusable.expiresAt());
                    return toEndpoint(reusable);
                });
    }

    @Override
    public boolean asksCloud() {
        return true;
    }

    /** The last good endpoint if the cloud was unreachable and it has not expired, else null. */
    private EndpointResponse reusable(Throwable err) {
        EndpointResponse last = lastGood;
        boolean unreachable = cause(err) instanceof EndpointException e && e.cloudUnreachable();
        if (!unreachable || last == null) {
            return null;
        }
        boolean expired = last.expiresAt() != 0 && clock.instant().getEpochSecond() >= last.expiresAt();
        return expired ? null : last;
    }

    /**
     * What the cloud is told about a failed endpoint: the server URL without the stream key (the cloud's own
     * {@code rtmp_url} when the failed URL is the last one it handed out, else the URL's tcUrl + "/", or "***" if
     * the URL cannot be parsed), and the message with the publish URL, stream key and token masked.
     */
    static EndpointFailureReport report(FailedEndpoint failed, EndpointResponse last) {
        String publishUrl = failed.publishUrl();
        String serverUrl;
        String key;
        if (last != null && last.publishUrl().equals(publishUrl)) {
            serverUrl = last.rtmpUrl();
            key = last.streamKey();
        } else {
            RtmpUrl parsed = parseOrNull(publishUrl);
            serverUrl = parsed == null ? "***" : parsed.tcUrl() + "/";
            key = parsed == null ? null : parsed.streamName();
        }
        String message = failed.message();
        if (message != null && publishUrl != null && !publishUrl.isEmpty()) {
            message = message.replace(publishUrl, key == null ? "***" : serverUrl + Secrets.mask(key));
        }
        message = Secrets.maskIn(message, key);
        message = Secrets.maskIn(message, last == null ? null : last.token());
        return new EndpointFailureReport(serverUrl, failed.errorCode(), message);
    }

    private static RtmpUrl parseOrNull(String url) {
        try {
            return RtmpUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Endpoint toEndpoint(EndpointResponse response) {
        return new Endpoint(List.of(response.publishUrl()), response.serverName(), response.expiresAt(),
                response.maxBitrateBps(), response.recommendedFps());
    }

    private static Throwable cause(Throwable err) {
        return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    }

    private static EndpointUnavailableException unavailable(Throwable err) {
        Throwable cause = cause(err);
        if (cause instanceof EndpointException e) {
            boolean retryable = !"UNAUTHORIZED".equals(e.errorCode()) && !"FORBIDDEN".equals(e.errorCode());
            return new EndpointUnavailableException(e.errorCode(), e.getMessage(), retryable);
        }
        return new EndpointUnavailableException("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), true);
    }
}
