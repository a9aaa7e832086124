package io.edgepush.protocol.rtmp;

/**
 * Why an RTMP publish failed or ended. The names are reported as {@code error_code} in the
 * {@code connection_error} MQTT event (DESIGN.md section 3), so they are part of the external contract.
 */
public enum RtmpErrorCode {
    /** TCP connect, or the whole publish sequence, did not finish within the connect timeout. */
    RTMP_CONNECT_TIMEOUT,
    /** The server host refused the TCP connection (nothing listening) or could not be resolved/reached. */
    RTMP_CONNECT_REFUSED,
    /** The RTMP handshake (Adobe RTMP spec 5.2) failed, e.g. wrong version byte in S0. */
    RTMP_HANDSHAKE_FAILED,
    /** The server answered {@code connect} with {@code _error} (e.g. NetConnection.Connect.Rejected). */
    RTMP_CONNECT_REJECTED,
    /**
     * The server refused our credentials: a connect/publish answer whose description names an authentication
     * failure ("authentication failed", "[ AccessManager.Reject ]", "code=403", "unauthorized").
     */
    RTMP_AUTH_FAILED,
    /** The server refused the stream name/key (NetStream.Publish.BadName). */
    RTMP_PUBLISH_BAD_NAME,
    /** Any other onStatus with level "error", or createStream failing. */
    RTMP_PUBLISH_FAILED,
    /** The connection closed unexpectedly (before NetStream.Publish.Start or while publishing). */
    RTMP_CONNECTION_CLOSED,
    /** The peer violated the RTMP chunk/message format (bad chunk size, oversized message, ...). */
    RTMP_PROTOCOL_ERROR,
    /** TLS handshake or certificate/hostname verification failed (rtmps://). */
    RTMP_TLS_ERROR,
    /**
     * Half-open connection: writes to the server did not drain within the write timeout, or the server stopped
     * acknowledging (more than two acknowledgement windows unacknowledged for the write timeout).
     */
    RTMP_WRITE_TIMEOUT
}
