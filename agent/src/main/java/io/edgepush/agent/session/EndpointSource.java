package io.edgepush.agent.session;

import java.util.concurrent.CompletableFuture;

/**
 * Finds the endpoint for a session: static URLs or a URL template from the config, or a request to the
 * cloud over MQTT (DESIGN.md section 3, devices/{device_id}/stream/request).
 */
public interface EndpointSource {
    /**
     * Resolves an endpoint. The future fails with {@link EndpointUnavailableException} carrying an error
     * code (for example {@code UNAUTHORIZED} or {@code TIMEOUT}) when none can be had.
     *
     * @param quality         the session's quality preset name (DESIGN.md section 4), sent with a cloud request
     * @param previousFailure the endpoint that just failed, reported to the cloud with a fresh request; null on a
     *                        first request or a scheduled refresh
     */
    CompletableFuture<Endpoint> resolve(String quality, FailedEndpoint previousFailure);

    /** True when resolving asks the cloud (the session then passes through requesting_endpoint). */
    boolean asksCloud();
}
