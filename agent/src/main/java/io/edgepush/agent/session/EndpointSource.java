package io.edgepush.agent.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the endpoint for a session: static URLs or a URL template from the config, or a request to the
 * cloud over MQTT (DESIGN.md section 3, devices/{device_id}/stream/request). Its vocabulary ({@link Endpoint},
 * {@link FailedEndpoint}, {@link EndpointUnavailableException}) is nested here: implementations (the cloud's, in
 * package mqtt) need nothing else from this package.
 */
public interface EndpointSource {
    /**
     * Resolves an endpoint. The future fails with {@link EndpointUnavailableException} carrying an error
     * code (for example {@code UNAUTHORIZED} or {@code TIMEOUT}) when none can be had.
     *
     * @param quality          the session's quality preset name (DESIGN.md section 4), sent with a cloud request
     * @param supportsAdaptive the stream will adapt its bitrate to the uplink ({@code supports_adaptive} of the
     *                         request): adaptive bitrate is on and the camera can change its bitrate
     * @param previousFailure  the endpoint that just failed, reported to the cloud with a fresh request; null on a
     *                         first request or a scheduled refresh
     */
    CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive, FailedEndpoint previousFailure);

    /** True when resolving asks the cloud (the session then passes through requesting_endpoint). */
    boolean asksCloud();

    /**
     * Where a session publishes.
     *
     * @param publishUrls full RTMP/RTMPS publish URLs (stream key included) in failover order, never empty
     * @param serverName human name of the server for logs (may be null)
     * @param expiresAtEpochSec when the endpoint expires, Unix seconds, or 0 when it does not
     * @param maxBitrateBps the endpoint's {@code max_bitrate}, bits per second: the most the stream may ask of its
     *                      encoder (0 = no cap)
     * @param recommendedFps the endpoint's {@code recommended_fps}: the most fps asked (0 = no cap)
     */
    public record Endpoint(List<String> publishUrls, String serverName, long expiresAtEpochSec, long maxBitrateBps,
                           int recommendedFps) {
        public Endpoint {
            if (publishUrls == null || publishUrls.isEmpty()) {
                throw new IllegalArgumentException("an endpoint needs at least one publish URL");
            }
            publishUrls = List.copyOf(publishUrls);
        }

        /** An endpoint without caps. */
        public Endpoint(List<String> publishUrls, String serverName, long expiresAtEpochSec) {
            this(publishUrls, serverName, expiresAtEpochSec, 0, 0);
        }
    }

    /**
     * The endpoint a session could not use, reported with the next endpoint request so the cloud can hand out
     * another one (issue 5: "a failed endpoint is reported in the next request").
     *
     * @param publishUrl the publish URL that failed (stream key included: mask before showing it)
     * @param errorCode  the failure's code, e.g. {@code RTMP_CONNECT_REFUSED}, {@code RTMP_PUBLISH_BAD_NAME}
     * @param message    what happened, for people
     */
    public record FailedEndpoint(String publishUrl, String errorCode, String message) {
    }

    /** No endpoint could be obtained; {@link #errorCode()} is what the status event reports. */
    public final class EndpointUnavailableException extends RuntimeException {
        private final String errorCode;
        private final boolean retryable;

        /**
         * @param errorCode machine-readable code, e.g. {@code UNAUTHORIZED}, {@code TIMEOUT}
         * @param message what happened, for people
         * @param retryable false when asking again cannot help (for example the device is not authorized)
         */
        public EndpointUnavailableException(String errorCode, String message, boolean retryable) {
            super(message);
            this.errorCode = errorCode;
            this.retryable = retryable;
        }

        public String errorCode() {
            return errorCode;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
