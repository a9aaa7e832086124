package io.edgepush.agent.session;

import io.edgepush.agent.quality.QualityControl;
import io.edgepush.agent.stream.StreamOutput;

/**
 * A consistent reading of one session for the local {@code /status} page and {@code get_status}: where it is in
 * its state machine (DESIGN.md section 3, {@code state}), why, and what it will do next.
 *
 * @param deviceId              the camera's device_id
 * @param cameraId              {@code cameras[].camera_id}
 * @param streamId              {@code streams[].stream_id} (the bridge's stream id)
 * @param streamName            {@code streams[].stream_name}, e.g. {@code main}
 * @param state                 current state
 * @param stateSinceEpochMs     when the session entered {@code state}, Unix milliseconds
 * @param stateReason           why it moved there, in words (e.g. {@code RTMP_CONNECT_REFUSED})
 * @param quality               quality preset name
 * @param publishUrl            the URL being published to, stream key INCLUDED (mask before showing), or null
 * @param reconnectAttempts     failed rounds of the URL list since the outage began (0 while healthy)
 * @param lastErrorCode         the last failure's error code, or null
 * @param lastErrorMessage      the last failure's message, or null
 * @param nextRetryAtEpochMs    when the next attempt is due (reconnecting, or a probe in error), Unix milliseconds;
 *                              0 when none is scheduled
 * @param endpointExpiresAtSec  the endpoint's {@code expires_at}, Unix seconds; 0 when it does not expire
 * @param metrics               the stream's counters since its start
 * @param backlog               media time and bytes on their way to the server (0 when nothing waits or nothing
 *                              is published)
 * @param encoder               what the camera's encoder is asked and confirmed
 * @param networkQuality        network_quality, 0..1 (README "Adaptive bitrate")
 * @param framesBuffered        frames received while no publish took them, not yet sent nor dropped (read with
 *                              {@code metrics} under the output's lock: received = sent - resent + dropped + this)
 * @param connectionErrors      connection failures by error code and the reconnects they led to, since the session
 *                              was made
 */
public record SessionStatus(String deviceId, int cameraId, int streamId, String streamName, SessionState state,
                            long stateSinceEpochMs, String stateReason, String quality, String publishUrl,
                            int reconnectAttempts, String lastErrorCode, String lastErrorMessage,
                            long nextRetryAtEpochMs, long endpointExpiresAtSec, SessionMetrics.Snapshot metrics,
                            StreamOutput.Backlog backlog, QualityControl.Reading encoder,
                            double networkQuality, long framesBuffered, ConnectionErrors.Reading connectionErrors) {

    /** Without connection errors ({@link ConnectionErrors.Reading#NONE}). */
    public SessionStatus(String deviceId, int cameraId, int streamId, String streamName, SessionState state,
                         long stateSinceEpochMs, String stateReason, String quality, String publishUrl,
                         int reconnectAttempts, String lastErrorCode, String lastErrorMessage,
                         long nextRetryAtEpochMs, long endpointExpiresAtSec, SessionMetrics.Snapshot metrics,
                         StreamOutput.Backlog backlog, QualityControl.Reading encoder, double networkQuality,
                         long framesBuffered) {
        this(deviceId, cameraId, streamId, streamName, state, stateSinceEpochMs, stateReason, quality, publishUrl,
                reconnectAttempts, lastErrorCode, lastErrorMessage, nextRetryAtEpochMs, endpointExpiresAtSec, metrics,
                backlog, encoder, networkQuality, framesBuffered, ConnectionErrors.Reading.NONE);
    }

    /** Without {@code framesBuffered} (0). */
    public SessionStatus(String deviceId, int cameraId, int streamId, String streamName, SessionState state,
                         long stateSinceEpochMs, String stateReason, String quality, String publishUrl,
                         int reconnectAttempts, String lastErrorCode, String lastErrorMessage,
                         long nextRetryAtEpochMs, long endpointExpiresAtSec, SessionMetrics.Snapshot metrics,
                         StreamOutput.Backlog backlog, QualityControl.Reading encoder, double networkQuality) {
        this(deviceId, cameraId, streamId, streamName, state, stateSinceEpochMs, stateReason, quality, publishUrl,
                reconnectAttempts, lastErrorCode, lastErrorMessage, nextRetryAtEpochMs, endpointExpiresAtSec, metrics,
                backlog, encoder, networkQuality, 0);
    }
}
