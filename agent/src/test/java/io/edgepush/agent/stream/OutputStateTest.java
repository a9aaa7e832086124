package io.edgepush.agent.stream;

import static io.edgepush.agent.stream.OutputState.AWAITING_KEYFRAME;
import static io.edgepush.agent.stream.OutputState.CLOSED;
import static io.edgepush.agent.stream.OutputState.DROPPING_TO_KEYFRAME;
import static io.edgepush.agent.stream.OutputState.HANDOVER_PENDING;
import static io.edgepush.agent.stream.OutputState.CATCHING_UP;
import static io.edgepush.agent.stream.OutputState.LIVE;
import static io.edgepush.agent.stream.OutputState.NOT_PUBLISHING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputState}'s transition table, written out here from what each state means (and from the moves
 * {@link StreamOutput} documents: attach, detach, handover at a keyframe, cancel, drop on a stalled uplink, source
 * restart or codec change back to awaiting a keyframe, end of sequence, close), then checked pair by pair.
 */
class OutputStateTest {
    private static final Map<OutputState, Set<OutputState>> EXPECTED = Map.of(
            // attach: from the buffered keyframe (CATCHING_UP) or waiting for one; close
            NOT_PUBLISHING, EnumSet.of(AWAITING_KEYFRAME, CATCHING_UP, CLOSED),
            // the connection took the burst (or a handover switch); source restart or codec change; detach/end; close
            CATCHING_UP, EnumSet.of(LIVE, HANDOVER_PENDING, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED),
            // the keyframe came; detach/end; close
            AWAITING_KEYFRAME, EnumSet.of(LIVE, NOT_PUBLISHING, CLOSED),
            // uplink behind; handover asked; source restart or codec change; detach/end; close
            LIVE, EnumSet.of(DROPPING_TO_KEYFRAME, HANDOVER_PENDING, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED),
            // a keyframe with the uplink writable (or a handover switch); source restart; detach/end; close
            DROPPING_TO_KEYFRAME, EnumSet.of(LIVE, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED),
            // switched or cancelled; uplink behind; source restart; detach/end; close
            HANDOVER_PENDING, EnumSet.of(LIVE, DROPPING_TO_KEYFRAME, AWAITING_KEYFRAME, NOT_PUBLISHING, CLOSED),
            CLOSED, EnumSet.noneOf(OutputState.class));

    @Test
    void everyPairIsAllowedExactlyWhenTheTableSaysSo() {
        assertEquals(7, OutputState.values().length, "a new state needs a row here");
        for (OutputState from : OutputState.values()) {
            for (OutputState to : OutputState.values()) {
                assertEquals(EXPECTED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
            assertEquals(EXPECTED.get(from), from.next(), "moves out of " + from);
        }
    }

    @Test
    void illegalMovesAreRefused() {
        assertFalse(NOT_PUBLISHING.canMoveTo(DROPPING_TO_KEYFRAME), "nothing to drop without a publish");
        assertFalse(NOT_PUBLISHING.canMoveTo(HANDOVER_PENDING), "nothing to hand over without a publish");
        assertFalse(AWAITING_KEYFRAME.canMoveTo(HANDOVER_PENDING), "a handover while awaiting waits in that state");
        assertFalse(AWAITING_KEYFRAME.canMoveTo(DROPPING_TO_KEYFRAME), "nothing sent yet: nothing to drop");
        assertFalse(DROPPING_TO_KEYFRAME.canMoveTo(HANDOVER_PENDING), "a handover while dropping waits in it");
        for (OutputState to : OutputState.values()) {
            assertFalse(CLOSED.canMoveTo(to), "CLOSED -> " + to);
        }
    }

    @Test
    void noStateMovesToItself() {
        for (OutputState s : OutputState.values()) {
            assertFalse(s.canMoveTo(s), s + " -> " + s);
        }
    }

    @Test
    void everyStateButClosedCanCloseAndEveryPublishingStateCanStopPublishing() {
        for (OutputState s : OutputState.values()) {
            assertEquals(s != CLOSED, s.canMoveTo(CLOSED), s + " -> CLOSED");
            if (s.publishing()) {
                assertTrue(s.canMoveTo(NOT_PUBLISHING), s + " -> NOT_PUBLISHING (detach, end of sequence)");
            }
        }
    }

    @Test
    void publishingIsTrueExactlyWhileAPublishIsAttached() {
        assertFalse(NOT_PUBLISHING.publishing());
        assertTrue(AWAITING_KEYFRAME.publishing());
        assertTrue(LIVE.publishing());
        assertTrue(DROPPING_TO_KEYFRAME.publishing());
        assertTrue(HANDOVER_PENDING.publishing());
        assertFalse(CLOSED.publishing());
    }

    @Test
    void labelsAreLowerCaseNames() {
        assertEquals("not_publishing", NOT_PUBLISHING.label());
        assertEquals("awaiting_keyframe", AWAITING_KEYFRAME.label());
        assertEquals("dropping_to_keyframe", DROPPING_TO_KEYFRAME.label());
        assertEquals("handover_pending", HANDOVER_PENDING.label());
        assertEquals("live", LIVE.label());
        assertEquals("closed", CLOSED.label());
    }
}
