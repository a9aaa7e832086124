package io.edgepush.agent.gateway;

import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.mqtt.StatusPublisher;
import io.edgepush.agent.session.SessionListener;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.session.SessionStatus;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.Triggers;
import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraLinkStats;
import io.edgepush.bridge.ControlSender;
import io.edgepush.bridge.StreamSequenceStats;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns session events into the MQTT status events of DESIGN.md section 3 (stream_started,
 * stream_metrics, stream_stopped, connection_error), plus {@code state_changed} for every move of a session's state
 * machine, {@code endpoint_refreshed} when a stream moved to a fresh endpoint before {@code expires_at}, and
 * {@code control_failed} for CONTROLs the camera never acknowledged, {@code motion_detected} / {@code motion_ended}
 * for motion_based streams. stream_metrics carries, while the camera is
 * connected, a {@code bridge} object with the firmware-bridge input counters
 * ({@link StatusEvents#streamMetrics(String, String, StatusEvents.Metrics, StatusEvents.BridgeCounters)}). The
 * stream key travels only masked.
 */
final class StatusReporter implements SessionListener, LinkCameraControl.ControlFailures, Triggers.Listener {
    private final StatusPublisher publisher;
    private final StatusEvents events;
    private final Consumer<StreamSession> encoderChanged;
    /** stream_stopped publishes not yet acknowledged by the broker (the shutdown waits for them). */
    private final Set<CompletableFuture<Void>> stopsInFlight = ConcurrentHashMap.newKeySet();

    /** @param encoderChanged told after each quality_changed (the stream's bitstream motion detector re-baselines) */
    StatusReporter(StatusPublisher publisher, StatusEvents events, Consumer<StreamSession> encoderChanged) {
        this.publisher = publisher;
        this.events = events;
        this.encoderChanged = encoderChanged;
    }

    @Override
    public void stateChanged(StreamSession session, SessionState from, SessionState to, String reason) {
        publisher.publish(session.deviceId(), events.stateChanged(session.deviceId(), session.streamName(),
                to.code(), to.label(), from.code(), reason));
    }

    @Override
    public void endpointRefreshed(StreamSession session, String publishUrl, long expiresAtEpochSec) {
        int slash = publishUrl.lastIndexOf('/');
        publisher.publish(session.deviceId(), events.endpointRefreshed(session.deviceId(), session.streamName(),
                publishUrl.substring(0, slash + 1), publishUrl.substring(slash + 1), expiresAtEpochSec));
    }

    @Override
    public void qualityChanged(StreamSession session, EncoderSettings previous, EncoderSettings next, String reason) {
        publisher.publish(session.deviceId(), events.qualityChanged(session.deviceId(), session.streamName(),
                session.quality(), previous, next, reason));
        encoderChanged.accept(session);
    }

    @Override
    public void motionDetected(StreamSession session, String source, int preRollSec) {
        publisher.publish(session.deviceId(), events.motionDetected(session.deviceId(), session.streamName(), source,
                preRollSec));
    }

    @Override
    public void motionEnded(StreamSession session, String source, int stopsInSec) {
        publisher.publish(session.deviceId(), events.motionEnded(session.deviceId(), session.streamName(), source,
                stopsInSec));
    }

    @Override
    public void streamStarted(StreamSession session, String publishUrl) {
        int slash = publishUrl.lastIndexOf('/');
        String serverUrl = publishUrl.substring(0, slash + 1);
        String streamKey = publishUrl.substring(slash + 1);
        QualityPreset preset = preset(session);
        com.fasterxml.jackson.databind.node.ObjectNode event = events.streamStarted(session.deviceId(),
                session.streamName(), serverUrl, streamKey, preset, preset.fps(), preset.bitrateBps() / 1000.0, true);
        long preRollMs = session.preRollSentMs();
        if (preRollMs >= 0) {
            event.put("pre_roll_ms", preRollMs); // a motion start: video from before the motion sent first
        }
        publisher.publish(session.deviceId(), event);
    }

    @Override
    public void streamStopped(StreamSession session, SessionMetrics.Snapshot m) {
        CompletableFuture<Void> sent = publisher.publish(session.deviceId(), events.streamStopped(session.deviceId(),
                session.streamName(), new StatusEvents.FinalMetrics(m.totalFrames(), m.totalBytes(), m.durationMs(),
                        m.averageFps(), m.averageBitrateKbps(), m.droppedFrames())));
        stopsInFlight.add(sent);
        sent.whenComplete((v, e) -> stopsInFlight.remove(sent));
    }

    /**
     * Completes when every stream_stopped published so far has been acknowledged by the broker (QoS 1) or has
     * failed; never completes exceptionally. The agent's shutdown waits for it before disconnecting.
     */
    CompletableFuture<Void> stopEventsDelivered() {
        return CompletableFuture.allOf(stopsInFlight.stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void connectionError(StreamSession session, String errorCode, String message, int reconnectAttempts,
                                long nextRetryInSec) {
        publisher.publish(session.deviceId(), events.connectionError(session.deviceId(), session.streamName(),
                message, errorCode, reconnectAttempts, nextRetryInSec, session.state().code()));
    }

    /**
     * Publishes stream_metrics for every session that is streaming, from {@link StreamSession#sampleStatus()}: the
     * same reading {@code /status} and {@code /metrics} show (their fps and bitrate are this interval's).
     */
    void publishMetrics(Collection<StreamSession> sessions) {
        for (StreamSession s : sessions) {
            if (s.state() != SessionState.STREAMING) {
                continue;
            }
            SessionStatus status = s.sampleStatus(); // the reading /status and /metrics show until the next one
            SessionMetrics.Snapshot m = status.metrics();
            StreamOutput.Backlog backlog = status.backlog();
            publisher.publish(s.deviceId(), events.streamMetrics(s.deviceId(), s.streamName(),
                    new StatusEvents.Metrics(m.fps(), m.bitrateKbps(), m.totalFrames(), m.droppedFrames(),
                            backlog.ms(), backlog.bytes(), status.networkQuality(), m.durationMs(),
                            status.encoder().asked().bitrateKbps(), m.droppedByReason()),
                    bridgeCounters(s)));
        }
    }

    /** The bridge counters of the session's camera link, or null when the camera is not connected. */
    static StatusEvents.BridgeCounters bridgeCounters(StreamSession s) {
        if (!(s.camera() instanceof LinkCameraControl control)) {
            return null;
        }
        CameraLink link = control.link();
        CameraLinkStats l = link.stats();
        StreamSequenceStats q = link.streamStats(control.streamId());
        return new StatusEvents.BridgeCounters(l.bytesSkipped(), l.crcErrors(), l.oversizeFrames(),
                l.malformedMessages(), q.sequenceGaps(), q.framesLost(), l.keyframeFlagMismatches());
    }

    @Override
    public void controlFailed(String deviceId, String streamName, ControlSender.Outcome o) {
        publisher.publish(deviceId, events.controlFailed(deviceId, streamName, o.control().op().name(),
                o.control().value(), o.control().controlId(), o.attempts(),
                o.ack() != null ? "refused: ACK status " + io.edgepush.bridge.wire.Ack.statusName(o.ack().status())
                        : o.failure() == null ? "no ACK" : o.failure().getMessage()));
    }

    private static QualityPreset preset(StreamSession session) {
        return QualityPreset.fromWireName(session.quality());
    }
}
