package io.edgepush.protocol.rtmp;

/**
 * A failed or ended RTMP publish: a stable {@link RtmpErrorCode}, the server's status code when the server
 * sent one (e.g. "NetStream.Publish.BadName", nullable) and a human readable message. Messages never contain
 * a full stream key.
 */
public final class RtmpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RtmpErrorCode code;
    private final String serverCode;

    /** An error without a server status code. */
    public RtmpException(RtmpErrorCode code, String message) {
        this(code, null, message, null);
    }

    /** An error caused by a lower level exception (socket, TLS, ...). */
    public RtmpException(RtmpErrorCode code, String message, Throwable cause) {
        this(code, null, message, cause);
    }

    /** An error reported by the server with its status code (e.g. from onStatus or _error). */
    public RtmpException(RtmpErrorCode code, String serverCode, String message, Throwable cause) {
        super(code + ": " + message, cause);
        if (code == null) {
            throw new IllegalArgumentException("RtmpException code must not be null");
        }
        this.code = code;
        this.serverCode = serverCode;
    }

    /** The stable error code. */
    public RtmpErrorCode code() {
        return code;
    }

    /** The server's status code (e.g. "NetConnection.Connect.Rejected"), or null when the server sent none. */
    public String serverCode() {
        return serverCode;
    }
}
