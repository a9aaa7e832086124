package io.edgepush.agent.session;

import java.util.List;

/**
 * Where a session publishes.
 *
 * @param publishUrls full RTMP/RTMPS publish URLs (stream key included) in failover order, never empty
 * @param serverName human name of the server for logs (may be null)
 * @param expiresAtEpochSec when the endpoint expires, Unix seconds, or 0 when it does not
 */
public record Endpoint(List<String> publishUrls, String serverName, long expiresAtEpochSec) {
    public Endpoint {
        if (publishUrls == null || publishUrls.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs at least one publish URL");
        }
        publishUrls = List.copyOf(publishUrls);
    }
}
