package io.edgepush.agent.gateway;

import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.mqtt.EndpointException;
import io.edgepush.agent.mqtt.EndpointExchange;
import io.edgepush.agent.mqtt.EndpointResponse;
import io.edgepush.agent.session.Endpoint;
import io.edgepush.agent.session.EndpointSource;
import io.edgepush.agent.session.FailedEndpoint;
import io.edgepush.agent.session.EndpointUnavailableException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Endpoint from the cloud over MQTT 5 (DESIGN.md section 3): a request on
 * {@code devices/{device_id}/stream/request}, answered on the response topic. The publish URL is
 * {@code rtmp_url} joined with {@code stream_key}.
 */
final class MqttEndpointSource implements EndpointSource {
    private final EndpointExchange exchange;
    private final String deviceId;

    MqttEndpointSource(EndpointExchange exchange, String deviceId) {
        this.exchange = exchange;
        this.deviceId = deviceId;
    }

    @Override
    public CompletableFuture<Endpoint> resolve(String quality, FailedEndpoint previousFailure) {
        QualityPreset preset = QualityPreset.fromWireName(quality);
        long maxBitrateBps = preset.bitrateBps() > 0 ? preset.bitrateBps() : QualityPreset.ULTRA.bitrateBps();
        return exchange.requestEndpoint(deviceId, preset, maxBitrateBps, null)
                .handle((response, err) -> {
                    if (err != null) {
                        throw new CompletionException(unavailable(err));
                    }
                    return toEndpoint(response);
                });
    }

    @Override
    public boolean asksCloud() {
        return true;
    }

    private static Endpoint toEndpoint(EndpointResponse response) {
        return new Endpoint(List.of(response.publishUrl()), response.serverName(), response.expiresAt());
    }

    private static EndpointUnavailableException unavailable(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof EndpointException e) {
            boolean retryable = !"UNAUTHORIZED".equals(e.errorCode()) && !"FORBIDDEN".equals(e.errorCode());
            return new EndpointUnavailableException(e.errorCode(), e.getMessage(), retryable);
        }
        return new EndpointUnavailableException("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), true);
    }
}
