package io.edgepush.agent.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one session's {@link SessionState} and moves it only along {@link SessionState#canMoveTo}: every move is
 * logged (one line, {@code event=state}) and reported to the observer, with the time it happened and why. A move
 * the table refuses is a bug and throws. Written on the session's control thread only; read from anywhere.
 */
final class SessionStateMachine {
    private static final Logger log = LoggerFactory.getLogger(SessionStateMachine.class);

    /** Told about every move, after it happened. */
    interface Observer {
        void moved(SessionState from, SessionState to, String reason);
    }

    /** A state together with when and why the session entered it. */
    record Reading(SessionState state, long sinceEpochMs, String reason) {
    }

    private final String deviceId;
    private final String streamName;
    private final Observer observer;
    private volatile Reading current = new Reading(SessionState.IDLE, System.currentTimeMillis(), "created");

    SessionStateMachine(String deviceId, String streamName, Observer observer) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.observer = observer;
    }

    SessionState state() {
        return current.state();
    }

    Reading reading() {
        return current;
    }

    /**
     * Moves to {@code to}; staying in the same state is a no-op (not logged, not reported).
     *
     * @param reason why, in words or as an error code (logged and published)
     * @throws IllegalStateException when the transition table does not allow {@code from -> to}
     */
    void move(SessionState to, String reason) {
        SessionState from = current.state();
        if (from == to) {
            return;
        }
        if (!from.canMoveTo(to)) {
            log.error("event=illegal_transition device_id={} stream_name={} from={} to={} reason=\"{}\"",
                    deviceId, streamName, from.label(), to.label(), reason);
            throw new IllegalStateException("illegal session transition " + from + " -> " + to + " for "
                    + deviceId + "/" + streamName);
        }
        current = new Reading(to, System.currentTimeMillis(), reason);
        log.info("event=state device_id={} stream_name={} from={} to={} reason=\"{}\"",
                deviceId, streamName, from.label(), to.label(), reason);
        observer.moved(from, to, reason);
    }
}
