package io.edgepush.agent.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.config.AgentConfig.Trigger;
import io.edgepush.agent.trigger.StreamTrigger.Action;
import io.edgepush.agent.trigger.StreamTrigger.Input;
import io.edgepush.agent.trigger.StreamTrigger.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trigger rules, one test per row of the README's "Triggers" table (and the rows' corner cases). */
class StreamTriggerTest {

    /** Feeds the inputs and returns the actions taken, each as "ACTION/STATE". */
    private static List<String> run(Trigger kind, Input... inputs) {
        StreamTrigger t = new StreamTrigger(kind);
        List<String> out = new ArrayList<>();
        for (Input in : inputs) {
            StreamTrigger.Step step = t.on(in);
            out.add(step.action() + "/" + step.next());
        }
        return out;
    }

    @Test
    void onDemandStartsAndStopsOnlyOnCommands() {
        assertEquals(List.of("NONE/IDLE", "NONE/IDLE", "START/HELD_ON", "NONE/HELD_ON", "STOP/IDLE"),
                run(Trigger.ON_DEMAND, Input.CAMERA_CONNECTED, Input.MOTION_START, Input.COMMAND_START,
                        Input.MOTION_END, Input.COMMAND_STOP));
    }

    @Test
    void manualStartsAndStopsOnlyOnCommandsHttpOrMqtt() {
        assertEquals(List.of("NONE/IDLE", "NONE/IDLE", "START/HELD_ON", "NONE/HELD_ON", "STOP/IDLE"),
                run(Trigger.MANUAL, Input.WINDOW_OPENED, Input.CAMERA_CONNECTED, Input.COMMAND_START,
                        Input.WINDOW_CLOSED, Input.COMMAND_STOP));
    }

    @Test
    void alwaysOnStartsAtEveryHelloAndAStopHoldsItOffUntilTheNextHello() {
        assertEquals(List.of("START/ON", "START/ON", "STOP/HELD_OFF", "NONE/HELD_OFF", "START/ON"),
                run(Trigger.ALWAYS_ON, Input.CAMERA_CONNECTED, Input.CAMERA_CONNECTED, Input.COMMAND_STOP,
                        Input.MOTION_START, Input.CAMERA_CONNECTED));
    }

    @Test
    void motionStartsWithPreRollEndsAfterThePostRollAndNewMotionInThePostRollExtendsIt() {
        assertEquals(List.of("START_WITH_PRE_ROLL/ON", "NONE/POST_ROLL", "START_WITH_PRE_ROLL/ON", "NONE/POST_ROLL",
                        "STOP/IDLE", "NONE/IDLE"),
                run(Trigger.MOTION_BASED, Input.MOTION_START, Input.MOTION_END, Input.MOTION_START, Input.MOTION_END,
                        Input.POST_ROLL_ELAPSED, Input.MOTION_END));
    }

    @Test
    void aStopOnAMotionStreamHoldsItOffUntilTheNextMotion() {
        assertEquals(List.of("START_WITH_PRE_ROLL/ON", "STOP/HELD_OFF", "NONE/HELD_OFF", "NONE/HELD_OFF",
                        "START_WITH_PRE_ROLL/ON"),
                run(Trigger.MOTION_BASED, Input.MOTION_START, Input.COMMAND_STOP, Input.MOTION_END,
                        Input.POST_ROLL_ELAPSED, Input.MOTION_START));
    }

    @Test
    void aStopDuringThePostRollEndsItAtOnce() {
        assertEquals(List.of("START_WITH_PRE_ROLL/ON", "NONE/POST_ROLL", "STOP/HELD_OFF", "NONE/HELD_OFF"),
                run(Trigger.MOTION_BASED, Input.MOTION_START, Input.MOTION_END, Input.COMMAND_STOP,
                        Input.POST_ROLL_ELAPSED));
    }

    @Test
    void aStartOnAMotionStreamStreamsUntilStopWhateverTheMotionDoes() {
        assertEquals(List.of("START/HELD_ON", "NONE/HELD_ON", "NONE/HELD_ON", "NONE/HELD_ON", "STOP/HELD_OFF"),
                run(Trigger.MOTION_BASED, Input.COMMAND_START, Input.MOTION_START, Input.MOTION_END,
                        Input.POST_ROLL_ELAPSED, Input.COMMAND_STOP));
    }

    @Test
    void scheduledStreamsFollowTheirWindowAndRestartAtAHelloInsideIt() {
        assertEquals(List.of("NONE/IDLE", "START/ON", "START/ON", "STOP/IDLE", "NONE/IDLE"),
                run(Trigger.SCHEDULED, Input.CAMERA_CONNECTED, Input.WINDOW_OPENED, Input.CAMERA_CONNECTED,
                        Input.WINDOW_CLOSED, Input.CAMERA_CONNECTED));
    }

    @Test
    void aStartOnAScheduledStreamOutsideItsWindowStreamsUntilStop() {
        assertEquals(List.of("START/HELD_ON", "NONE/HELD_ON", "NONE/HELD_ON", "STOP/HELD_OFF"),
                run(Trigger.SCHEDULED, Input.COMMAND_START, Input.WINDOW_OPENED, Input.WINDOW_CLOSED,
                        Input.COMMAND_STOP));
    }

    @Test
    void aStopInsideAWindowHoldsTheStreamOffUntilTheNextWindowOpens() {
        assertEquals(List.of("START/ON", "STOP/HELD_OFF", "NONE/HELD_OFF", "NONE/IDLE", "START/ON"),
                run(Trigger.SCHEDULED, Input.WINDOW_OPENED, Input.COMMAND_STOP, Input.CAMERA_CONNECTED,
                        Input.WINDOW_CLOSED, Input.WINDOW_OPENED));
    }

    @Test
    void aHelloRestartsAnAlwaysOnOrScheduledStreamHeldOnButNotAnOnDemandOne() {
        assertEquals(List.of("START/HELD_ON", "START/HELD_ON"),
                run(Trigger.ALWAYS_ON, Input.COMMAND_START, Input.CAMERA_CONNECTED));
        assertEquals(List.of("START/HELD_ON", "START/HELD_ON"),
                run(Trigger.SCHEDULED, Input.COMMAND_START, Input.CAMERA_CONNECTED));
        assertEquals(List.of("START/HELD_ON", "NONE/HELD_ON"),
                run(Trigger.ON_DEMAND, Input.COMMAND_START, Input.CAMERA_CONNECTED));
        assertEquals(List.of("START/HELD_ON", "NONE/HELD_ON"),
                run(Trigger.MOTION_BASED, Input.COMMAND_START, Input.CAMERA_CONNECTED));
    }

    @Test
    void onlyOnPostRollAndHeldOnWantTheStream() {
        for (State s : State.values()) {
            assertEquals(s == State.ON || s == State.POST_ROLL || s == State.HELD_ON, s.wantsStream(), s.name());
        }
        assertEquals(new StreamTrigger.Step(State.HELD_ON, Action.START),
                StreamTrigger.step(Trigger.SCHEDULED, State.HELD_OFF, Input.COMMAND_START));
    }
}
