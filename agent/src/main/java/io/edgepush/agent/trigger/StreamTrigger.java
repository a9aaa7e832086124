package io.edgepush.agent.trigger;

import io.edgepush.agent.config.AgentConfig.Trigger;

/**
 * Whether one stream should be on air, from its trigger ({@code manual}, {@code motion_based}, {@code scheduled},
 * {@code always_on}, {@code on_demand}; DESIGN.md section 4) and the commands it got: one {@link State}, changed only
 * by {@link #on}, whose one table is {@link #step}. The rules (README "Triggers"):
 * <ul>
 *   <li>a command start (MQTT {@code start}, HTTP POST start) holds the stream on until a command stop, whatever
 *       the trigger says afterwards (motion end, window close);</li>
 *   <li>a command stop holds it off until the trigger next fires by itself: the next motion start, the next window
 *       opening, the camera's next HELLO ({@code always_on}); {@code on_demand} and {@code manual} wait for the next
 *       command start;</li>
 *   <li>{@code motion_based}: a motion start turns it on (with the pre-roll), a motion end starts the post-roll, a
 *       motion start during the post-roll cancels it (the same publish goes on), the post-roll's end stops it;</li>
 *   <li>{@code scheduled}: a window opening turns it on, its closing turns it off;</li>
 *   <li>{@code always_on}: every HELLO of the camera turns it on (again, also after an error; so does a HELLO while
 *       a command start holds an always_on or scheduled stream on).</li>
 * </ul>
 * Inputs a trigger does not use (a motion start for a scheduled stream) change nothing. Not thread-safe: the owner
 * ({@link Triggers}) calls it on its control thread.
 */
final class StreamTrigger {

    /** Where the stream stands. */
    enum State {
        /** Nothing wants the stream. */
        IDLE,
        /** The trigger wants it: motion going on, a window open, an always_on camera connected. */
        ON,
        /** motion_based: the motion ended; the stream stops when the post-roll runs out. */
        POST_ROLL,
        /** A command start holds it on until a command stop. */
        HELD_ON,
        /** A command stop holds it off until the trigger next fires by itself. */
        HELD_OFF;

        /** True when the stream should be on air in this state. */
        boolean wantsStream() {
            return this == ON || this == POST_ROLL || this == HELD_ON;
        }

        /** Lower-case name for logs and status. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What can happen to a stream's trigger. */
    enum Input {
        MOTION_START, MOTION_END, POST_ROLL_ELAPSED, WINDOW_OPENED, WINDOW_CLOSED, CAMERA_CONNECTED,
        COMMAND_START, COMMAND_STOP
    }

    /** What the owner does to the session after a step. */
    enum Action {
        /** Nothing. */
        NONE,
        /** Start (a no-op when already on its way). */
        START,
        /** Start, sending the buffered GOPs from up to pre_roll_sec before the motion first. */
        START_WITH_PRE_ROLL,
        /** Stop (unpublish). */
        STOP
    }

    /** The state after an input and what to do. */
    record Step(State next, Action action) {
    }

    private final Trigger kind;
    /** Written on the owner's control thread; read from any (status). */
    private volatile State state = State.IDLE;

    StreamTrigger(Trigger kind) {
        this.kind = kind;
    }

    Trigger kind() {
        return kind;
    }

    State state() {
        return state;
    }

    /** Applies {@code input} and returns what to do. */
    Step on(Input input) {
        Step step = step(kind, state, input);
        state = step.next();
        return step;
    }

    /** The one transition table (see the class comment); pure. */
    static Step step(Trigger kind, State state, Input input) {
        switch (input) {
            case COMMAND_START:
                return new Step(State.HELD_ON, Action.START);
            case COMMAND_STOP:
                return new Step(kind == Trigger.ON_DEMAND || kind == Trigger.MANUAL ? State.IDLE : State.HELD_OFF,
                        Action.STOP);
            default:
                break;
        }
        if (state == State.HELD_ON) { // held on until a command stop
            boolean startsAtHello = kind == Trigger.ALWAYS_ON || kind == Trigger.SCHEDULED;
            return new Step(state, input == Input.CAMERA_CONNECTED && startsAtHello ? Action.START : Action.NONE);
        }
        return switch (kind) {
            case MOTION_BASED -> switch (input) {
                case MOTION_START -> new Step(State.ON, Action.START_WITH_PRE_ROLL);
                case MOTION_END -> new Step(state == State.ON ? State.POST_ROLL : state, Action.NONE);
                case POST_ROLL_ELAPSED -> state == State.POST_ROLL ? new Step(State.IDLE, Action.STOP)
                        : new Step(state, Action.NONE);
                default -> new Step(state, Action.NONE);
            };
            case SCHEDULED -> switch (input) {
                case WINDOW_OPENED -> new Step(State.ON, Action.START);
                case WINDOW_CLOSED -> new Step(State.IDLE, state == State.ON ? Action.STOP : Action.NONE);
                case CAMERA_CONNECTED -> new Step(state, state == State.ON ? Action.START : Action.NONE);
                default -> new Step(state, Action.NONE);
            };
            case ALWAYS_ON -> input == Input.CAMERA_CONNECTED ? new Step(State.ON, Action.START)
                    : new Step(state, Action.NONE);
            case MANUAL, ON_DEMAND -> new Step(state, Action.NONE);
        };
    }
}
