package io.edgepush.agent.session;

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
