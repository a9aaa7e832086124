package io.edgepush.protocol.rtmp;

import java.util.List;
import java.util.Locale;

/**
 * Classifies a refusal from the server (a {@code _error} answer to connect/createStream/publish, Adobe RTMP spec
 * 7.2.1.1 and 7.2.1.3, or an onStatus with level "error", 7.2.2) into an {@link RtmpErrorCode} and a
 * {@link RetryPolicy}. Status codes and descriptions seen from nginx-rtmp, FFmpeg, Wowza, Red5 and CDN ingests:
 *
 * <ul>
 *   <li>authentication failures, recognised by the description ("authentication failed", "[ AccessManager.Reject ]
 *       : [ code=403 need auth; authmod=adobe ]", "unauthorized", "forbidden"), whatever the status code:
 *       RTMP_AUTH_FAILED, DO_NOT_RETRY (the same credentials fail again);</li>
 *   <li>connect _error (NetConnection.Connect.Rejected, InvalidApp, ...): RTMP_CONNECT_REJECTED, DO_NOT_RETRY (the
 *       application does not exist or refuses us), except NetConnection.Connect.Failed (server-side failure):
 *       RETRY_NOW;</li>
 *   <li>createStream _error: RTMP_PUBLISH_FAILED, RETRY_NOW (server out of streams, transient);</li>
 *   <li>NetStream.Publish.BadName whose description says the name is already publishing (nginx-rtmp "Already
 *       publishing"): RTMP_PUBLISH_BAD_NAME, RETRY_AFTER_IDLE_TIMEOUT (usually our own stale publish that the
 *       server has not dropped yet); any other BadName (name refused as such): DO_NOT_RETRY;</li>
 *   <li>NetStream.Publish.Denied, NetStream.Publish.Rejected, NetStream.Publish.Unauthorized: RTMP_PUBLISH_FAILED,
 *       DO_NOT_RETRY (a policy decision of the server);</li>
 *   <li>NetConnection.Connect.Rejected sent as onStatus: RTMP_CONNECT_REJECTED, DO_NOT_RETRY;</li>
 *   <li>NetStream.Publish.Failed and any other error: RTMP_PUBLISH_FAILED, RETRY_NOW.</li>
 * </ul>
 * The bare close right after publish is not an answer; {@link RtmpPublisher} maps it (RETRY_AFTER_IDLE_TIMEOUT).
 */
final class ServerAnswers {
    /** Which request the server refused. */
    enum Request { CONNECT, CREATE_STREAM, PUBLISH }

    static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    static final String CONNECT_FAILED = "NetConnection.Connect.Failed";
    private static final List<String> POLICY_REFUSALS = List.of("NetStream.Publish.Denied",
            "NetStream.Publish.Rejected", "NetStream.Publish.Unauthorized");
    private static final List<String> AUTH_MARKERS = List.of("auth", "accessmanager.reject", "code=403",
            "forbidden");

    private ServerAnswers() {
    }

    /**
     * @param request      what was refused
     * @param serverCode   the info object's "code" (nullable)
     * @param description  the info object's "description" as sent (nullable), used for matching only
     * @param message      the text for the exception (stream key already masked)
     * @return the classified exception
     */
    static RtmpException classify(Request request, String serverCode, String description, String message) {
        if (isAuthFailure(description)) {
            return new RtmpException(RtmpErrorCode.RTMP_AUTH_FAILED, serverCode, message, null,
                    RetryPolicy.DO_NOT_RETRY);
        }
        return switch (request) {
            case CONNECT -> new RtmpException(RtmpErrorCode.RTMP_CONNECT_REJECTED, serverCode, message, null,
                    CONNECT_FAILED.equals(serverCode) ? RetryPolicy.RETRY_NOW : RetryPolicy.DO_NOT_RETRY);
            case CREATE_STREAM -> new RtmpException(RtmpErrorCode.RTMP_PUBLISH_FAILED, serverCode, message, null,
                    RetryPolicy.RETRY_NOW);
            case PUBLISH -> publishRefusal(serverCode, description, message);
        };
    }

    private static RtmpException publishRefusal(String serverCode, String description, String message) {
        if (PUBLISH_BAD_NAME.equals(serverCode)) {
            boolean inUse = description != null && description.toLowerCase(Locale.ROOT).contains("already");
            return new RtmpException(RtmpErrorCode.RTMP_PUBLISH_BAD_NAME, serverCode, message, null,
                    inUse ? RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT : RetryPolicy.DO_NOT_RETRY);
        }
        if (CONNECT_REJECTED.equals(serverCode)) {
            return new RtmpException(RtmpErrorCode.RTMP_CONNECT_REJECTED, serverCode, message, null,
                    RetryPolicy.DO_NOT_RETRY);
        }
        RetryPolicy policy = POLICY_REFUSALS.contains(serverCode) ? RetryPolicy.DO_NOT_RETRY : RetryPolicy.RETRY_NOW;
        return new RtmpException(RtmpErrorCode.RTMP_PUBLISH_FAILED, serverCode, message, null, policy);
    }

    /** True when the description names an authentication failure (case-insensitive markers). */
    static boolean isAuthFailure(String description) {
        if (description == null) {
            return false;
        }
        String d = description.toLowerCase(Locale.ROOT);
        return AUTH_MARKERS.stream().anyMatch(d::contains);
    }
}
