package io.edgepush.protocol.rtmp;

/**
 * A failed or ended RTMP publish: a stable {@link RtmpErrorCode}, the server's status code when the server
 * sent one (e.g. "NetStream.Publish.BadName", nullable), what to do about it ({@link RetryPolicy}) and a human
 * readable message. Messages never contain a full stream key.
 */
public final class RtmpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RtmpErrorCode code;
    private final String serverCode;
    private final RetryPolicy policy;

    /** An error without a server status code; policy {@link RetryPolicy#defaultFor}. */
    public RtmpException(RtmpErrorCode code, String message) {
        this(code, null, message, null);
    }

    /** An error caused by a lower level exception (socket, TLS, ...); policy {@link RetryPolicy#defaultFor}. */
    public RtmpException(RtmpErrorCode code, String message, Throwable cause) {
        this(code, null, message, cause);
    }

    /** An error reported by the server with its status code; policy {@link RetryPolicy#defaultFor}. */
    public RtmpException(RtmpErrorCode code, String serverCode, String message, Throwable cause) {
        this(code, serverCode, message, cause, code == null ? null : RetryPolicy.defaultFor(code));
    }

    /**
     * An error with an explicit retry policy (server answers classified by {@link ServerAnswers}).
     *
     * @throws IllegalArgumentException when code or policy is null
     */
    public RtmpException(RtmpErrorCode code, String serverCode, String message, Throwable cause, RetryPolicy policy) {
        super(code + ": " + message, cause);
        if (code == null || policy == null) {
            throw new IllegalArgumentException("RtmpException code and policy must not be null");
        }
        this.code = code;
        this.serverCode = serverCode;
        this.policy = policy;
    }

    /** The stable error code. */
    public RtmpErrorCode code() {
        return code;
    }

    /** The server's status code (e.g. "NetConnection.Connect.Rejected"), or null when the server sent none. */
    public String serverCode() {
        return serverCode;
    }

    /** What the owner of the publisher should do next. */
    public RetryPolicy policy() {
        return policy;
    }
}
