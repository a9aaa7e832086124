package io.edgepush.agent.mqtt;

import java.util.Objects;

/**
 * The endpoint the agent could not use, sent to the cloud inside the next endpoint request as
 * {@code "failed_endpoint": {"rtmp_url": ..., "error_code": ..., "message": ...}} (issue 5 item 4; an extra
 * request field, allowed by DESIGN.md section 3 "unknown fields are ignored"). It must never carry a stream key
 * or token: the caller strips the key from the URL and masks it in the message.
 *
 * @param rtmpUrl   the server URL without the stream key, e.g. {@code rtmp://live.example.com/live/}
 * @param errorCode why it failed, e.g. {@code RTMP_CONNECT_REFUSED}; null leaves the field out
 * @param message   what happened, for people; null leaves the field out
 */
record EndpointFailureReport(String rtmpUrl, String errorCode, String message) {
    public EndpointFailureReport {
        Objects.requireNonNull(rtmpUrl, "rtmpUrl");
    }
}
