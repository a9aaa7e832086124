package io.edgepush.agent.session;

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
