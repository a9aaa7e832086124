package io.edgepush.protocol.rtmp;

/**
 * What a publisher's owner should do after an {@link RtmpException}: the server's answer (Adobe RTMP spec 7.2.1.1
 * _error, 7.2.2 onStatus) or the failure mode, reduced to three actions an agent can take without understanding
 * RTMP. The mapping is made by {@link ServerAnswers} for server answers and by {@link #defaultFor} otherwise.
 */
public enum RetryPolicy {
    /**
     * A transient condition (network, timeout, a server-side hiccup such as NetStream.Publish.Failed or a
     * createStream _error): reconnect with the usual backoff.
     */
    RETRY_NOW,
    /**
     * The server still holds a publish of this stream name, most often our own previous connection that died
     * half-open (NetStream.Publish.BadName "Already publishing", or a bare close right after publish, which is
     * what several servers do for a name in use). Retrying at once fails the same way; wait until the server's
     * idle-publisher timeout has dropped the stale publish (nginx-rtmp: {@code drop_idle_publisher}, off by
     * default, so the stale one only goes when its TCP connection dies), or try another URL.
     */
    RETRY_AFTER_IDLE_TIMEOUT,
    /**
     * The server refused us for a reason retrying cannot fix: unknown application or connect rejected
     * (NetConnection.Connect.Rejected / connect _error), credentials refused (auth failures, NetStream.Publish.
     * Denied/Rejected), or a TLS certificate that does not verify. Needs an operator: stop and report.
     */
    DO_NOT_RETRY;

    /**
     * The policy for a failure that carries no server answer.
     *
     * @return DO_NOT_RETRY for RTMP_CONNECT_REJECTED, RTMP_AUTH_FAILED and RTMP_TLS_ERROR (a certificate that
     *         failed verification fails again), RETRY_NOW for every other code
     */
    public static RetryPolicy defaultFor(RtmpErrorCode code) {
        return switch (code) {
            case RTMP_CONNECT_REJECTED, RTMP_AUTH_FAILED, RTMP_TLS_ERROR -> DO_NOT_RETRY;
            default -> RETRY_NOW;
        };
    }
}
