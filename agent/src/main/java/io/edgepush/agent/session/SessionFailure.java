package io.edgepush.agent.session;

import io.edgepush.agent.session.EndpointSource.FailedEndpoint;

/**
 * A {@link StreamSession}'s last failure, as {@code /status} shows it and the next endpoint request reports it.
 *
 * @param publishUrl the publish URL at fault, or null when it was not a publish URL's fault (endpoint errors)
 */
record SessionFailure(String errorCode, String message, String publishUrl) {
    /** The failure as the next endpoint request reports it; null when no publish URL was at fault. */
    FailedEndpoint report() {
        return publishUrl == null ? null : new FailedEndpoint(publishUrl, errorCode, message);
    }
}
