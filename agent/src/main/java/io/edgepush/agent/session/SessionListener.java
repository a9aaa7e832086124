package io.edgepush.agent.session;

import io.edgepush.agent.quality.EncoderSettings;

/**
 * Observes a session; the agent turns these calls into MQTT status events (DESIGN.md section 3).
 * Called on the agent's control thread; implementations must not block.
 */
public interface SessionListener {
    /** Every state change, with the reason in words. */
    void stateChanged(StreamSession session, SessionState from, SessionState to, String reason);

    /** The server accepted the publish (NetStream.Publish.Start); {@code publishUrl} holds the key. */
    void streamStarted(StreamSession session, String publishUrl);

    /** The session stopped on request; {@code finalMetrics} covers the whole stream. */
    void streamStopped(StreamSession session, SessionMetrics.Snapshot finalMetrics);

    /**
     * A connect, publish or endpoint request failed, or a live connection broke.
     *
     * @param errorCode e.g. {@code RTMP_CONNECT_REFUSED}, {@code RTMP_PUBLISH_BAD_NAME}, {@code TIMEOUT}
     * @param reconnectAttempts failed rounds of the URL list in this outage (0 for a broken live publish or a
     *                          failover inside the first round)
     * @param nextRetryInSec seconds until the next try (or probe, once the budget is used up); 0 when the session
     *                       gave up
     */
    void connectionError(StreamSession session, String errorCode, String message, int reconnectAttempts,
                         long nextRetryInSec);

    /**
     * The stream moved to a fresh endpoint before the old one expired ({@code expires_at}): the new publish took
     * over at a keyframe and the old one was unpublished. Default: nothing.
     *
     * @param publishUrl        the new publish URL, stream key included (mask before showing)
     * @param expiresAtEpochSec the new endpoint's {@code expires_at}, Unix seconds (0 = none)
     */
    default void endpointRefreshed(StreamSession session, String publishUrl, long expiresAtEpochSec) {
    }

    /**
     * What the camera's encoder is asked changed. Called with the session's quality lock held: must not call back
     * into the session. Default: nothing.
     *
     * @param previous what was asked before (null: nothing yet)
     * @param next     what is asked now
     * @param reason   {@code command}, {@code abr_down}, {@code abr_up} or {@code endpoint_cap}
     */
    default void qualityChanged(StreamSession session, EncoderSettings previous, EncoderSettings next,
                                String reason) {
    }
}
