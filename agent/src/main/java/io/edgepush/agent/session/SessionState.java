package io.edgepush.agent.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of one stream session, numbered as in the MQTT contract (DESIGN.md section 3, field
 * {@code state}): 0 idle, 1 requesting endpoint, 2 connecting, 3 streaming, 4 reconnecting, 5 stopping,
 * 6 error. {@link #canMoveTo} is the one transition table; a move it refuses is a bug.
 */
public enum SessionState {
    IDLE(0),
    REQUESTING_ENDPOINT(1),
    CONNECTING(2),
    STREAMING(3),
    RECONNECTING(4),
    STOPPING(5),
    ERROR(6);

    private final int code;

    SessionState(int code) {
        this.code = code;
    }

    /** The number published in status events. */
    public int code() {
        return code;
    }

    /** The states this one may move to. */
    public Set<SessionState> next() {
        return switch (this) {
            case IDLE -> EnumSet.of(REQUESTING_ENDPOINT, CONNECTING);
            case ERROR -> EnumSet.of(REQUESTING_ENDPOINT, CONNECTING, IDLE);
            case REQUESTING_ENDPOINT -> EnumSet.of(CONNECTING, RECONNECTING, STOPPING, ERROR);
            case CONNECTING -> EnumSet.of(STREAMING, RECONNECTING, STOPPING, ERROR);
            case STREAMING -> EnumSet.of(RECONNECTING, STOPPING, ERROR);
            case RECONNECTING -> EnumSet.of(REQUESTING_ENDPOINT, CONNECTING, STOPPING, ERROR);
            case STOPPING -> EnumSet.of(IDLE);
        };
    }

    /** True when a session in this state may move to {@code target}. */
    public boolean canMoveTo(SessionState target) {
        return next().contains(target);
    }

    /** True while the session wants to be on air (anything between a start and a stop or error). */
    public boolean isActive() {
        return this == REQUESTING_ENDPOINT || this == CONNECTING || this == STREAMING || this == RECONNECTING;
    }

    /** Lower-case name for logs and JSON, e.g. {@code requesting_endpoint}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
