package io.edgepush.agent.mqtt;

/**
 * The cloud did not give an RTMP endpoint. {@link #errorCode()} is the response's {@code error_code}
 * (e.g. {@code UNAUTHORIZED}) or one of ours: {@code TIMEOUT} (no response within mqtt.request_timeout_ms),
 * {@code BAD_RESPONSE} (a matching response lacks required fields or has mistyped ones), {@code ENDPOINT_INVALID}
 * (the publish URL cannot be used: not rtmp/rtmps, no host, too long; see {@link EndpointResponseParser}),
 * {@code PUBLISH_FAILED}, {@code CLOSED}.
 */
final class EndpointException extends Exception {
    private final String errorCode;

    public EndpointException(String errorCode, String message) {
        super(errorCode + ": " + message);
        this.errorCode = errorCode;
    }

    /** Machine-readable code, never null. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * True when the cloud was not reached or did not answer ({@code TIMEOUT}, {@code PUBLISH_FAILED},
     * {@code CLOSED}), false when the cloud answered (a refusal such as {@code UNAUTHORIZED}, or
     * {@code BAD_RESPONSE}).
     */
    public boolean cloudUnreachable() {
        return errorCode.equals("TIMEOUT") || errorCode.equals("PUBLISH_FAILED") || errorCode.equals("CLOSED");
    }
}
