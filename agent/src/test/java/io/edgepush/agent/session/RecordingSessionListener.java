package io.edgepush.agent.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A {@link SessionListener} that records every call, for assertions from the test thread. */
public final class RecordingSessionListener implements SessionListener {
    /** One state change. */
    public record Move(SessionState from, SessionState to) {
    }

    /** One connection_error, with the session's state when it was reported. */
    public record ConnectionError(String errorCode, String message, int attempts, long nextRetryInSec,
                                  SessionState state) {
    }

    public final List<Move> moves = new CopyOnWriteArrayList<>();
    public final List<ConnectionError> errors = new CopyOnWriteArrayList<>();
    public final List<String> started = new CopyOnWriteArrayList<>();
    public final List<SessionMetrics.Snapshot> stopped = new CopyOnWriteArrayList<>();
    /** endpoint_refreshed calls: the new publish URL and its expiry (Unix seconds). */
    public final List<String> refreshed = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(StreamSession session, SessionState from, SessionState to, String reason) {
        moves.add(new Move(from, to));
    }

    @Override
    public void streamStarted(StreamSession session, String publishUrl) {
        started.add(publishUrl);
    }

    @Override
    public void streamStopped(StreamSession session, SessionMetrics.Snapshot finalMetrics) {
        stopped.add(finalMetrics);
    }

    @Override
    public void connectionError(StreamSession session, String errorCode, String message, int reconnectAttempts,
                                long nextRetryInSec) {
        errors.add(new ConnectionError(errorCode, message, reconnectAttempts, nextRetryInSec, session.state()));
    }

    @Override
    public void endpointRefreshed(StreamSession session, String publishUrl, long expiresAtEpochSec) {
        refreshed.add(publishUrl + "@" + expiresAtEpochSec);
    }

    /** The states moved to, in order, e.g. "connecting streaming stopping idle". */
    public String path() {
        return moves.stream().map(m -> m.to().label()).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return "moves=" + path() + " errors=" + errors + " started=" + started.size() + " stopped=" + stopped;
    }
}
