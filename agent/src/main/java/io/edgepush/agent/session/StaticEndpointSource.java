package io.edgepush.agent.session;

import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import java.util.concurrent.CompletableFuture;

/**
 * Endpoint from the config (DESIGN.md section 5): the expanded {@code url_template}, or {@code urls}
 * followed by {@code fallback_urls}, in that failover order. No MQTT request is made.
 */
final class StaticEndpointSource implements EndpointSource {
    private final Endpoint endpoint;

    StaticEndpointSource(CameraConfig camera, StreamConfig stream) {
        this.endpoint = new Endpoint(stream.rtmp().publishUrls(camera, stream), null, 0);
    }

    @Override
    public CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive, FailedEndpoint previousFailure) {
        return CompletableFuture.completedFuture(endpoint);
    }

    @Override
    public boolean asksCloud() {
        return false;
    }
}
