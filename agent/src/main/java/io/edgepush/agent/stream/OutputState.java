package io.edgepush.agent.stream;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The states of one {@link StreamOutput}: where the frames of a stream go right now. {@link StreamOutput} is the
 * only place that changes it, through one transition function that refuses a move this table does not allow.
 */
public enum OutputState {
    /** No publish is attached: frames only fill the GOP buffer (and their parameter sets are tracked). */
    NOT_PUBLISHING,
    /** A publish is attached and nothing usable was buffered: waiting for the camera's next keyframe. */
    AWAITING_KEYFRAME,
    /**
     * A publish started from the GOP buffer, written in one burst: every frame goes out and none is dropped until
     * the connection has taken the burst (is writable again), then LIVE.
     */
    CATCHING_UP,
    /** Every frame goes to the publish. */
    LIVE,
    /**
     * The uplink fell behind (backlog above the target latency, or the write queue full): frames are dropped until a
     * keyframe finds the backlog under half the target latency and the write queue open.
     */
        DROPPING_TO_KEYFRAME,
    /**
     * Frames still go to the current publish; at the next keyframe they move to the pending one. (A handover asked
     * for while awaiting or dropping up to a keyframe waits in that state: its keyframe switches.)
     */
    HANDOVER_PENDING,
    /** Closed for good: frames are released on arrival. */
    CLOSED;

    /** The states this one may move to. */
    public Set<OutputState> next() {
        return switch (this) {
            case NOT_PUBLISHING -> EnumSet.of(AWAITING_KEYFRAME, CATCHING_UP, CLOSED);
            case AWAITING_KEYFRAME -> EnumSet.of(LIVE, NOT_PUBLISHING, CLOSED);
            case CATCHING_UP -> EnumSet.of(LIVE, HANDOVER_PENDING, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED);
            case LIVE -> EnumSet.of(DROPPING_TO_KEYFRAME, HANDOVER_PENDING, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED);
            case DROPPING_TO_KEYFRAME -> EnumSet.of(LIVE, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED);
            case HANDOVER_PENDING -> EnumSet.of(LIVE, DROPPING_TO_KEYFRAME, AWAITING_KEYFRAME, NOT_PUBLISHING,
                    CLOSED);
            case CLOSED -> EnumSet.noneOf(OutputState.class);
        };
    }

    /** True when an output in this state may move to {@code target}. */
    public boolean canMoveTo(OutputState target) {
        return next().contains(target);
    }

    /** True while a publish is attached (frames may go out). */
    public boolean publishing() {
        return this != NOT_PUBLISHING && this != CLOSED;
    }

    /** Lower-case name for logs and JSON, e.g. {@code awaiting_keyframe}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
