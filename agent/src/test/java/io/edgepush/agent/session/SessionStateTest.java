package io.edgepush.agent.session;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static io.edgepush.agent.session.SessionState.*;
import static org.junit.jupiter.api.Assertions.*;

class SessionStateTest {

    @Test
    void codesMatchTheMqttContract() {
        // DESIGN.md section 3: 0 idle, 1 requesting endpoint, 2 connecting, 3 streaming, 4 reconnecting,
        // 5 stopping, 6 error.
        assertEquals(0, IDLE.code());
        assertEquals(1, REQUESTING_ENDPOINT.code());
        assertEquals(2, CONNECTING.code());
        assertEquals(3, STREAMING.code());
        assertEquals(4, RECONNECTING.code());
        assertEquals(5, STOPPING.code());
        assertEquals(6, ERROR.code());
    }

    @Test
    void legalTransitionsAreExactlyTheTable() {
        assertAllowed(IDLE, REQUESTING_ENDPOINT, CONNECTING);
        assertAllowed(REQUESTING_ENDPOINT, CONNECTING, RECONNECTING, STOPPING, ERROR);
        assertAllowed(CONNECTING, STREAMING, RECONNECTING, STOPPING, ERROR);
        assertAllowed(STREAMING, RECONNECTING, STOPPING, ERROR);
        assertAllowed(RECONNECTING, REQUESTING_ENDPOINT, CONNECTING, STOPPING, ERROR);
        assertAllowed(STOPPING, IDLE);
        assertAllowed(ERROR, REQUESTING_ENDPOINT, CONNECTING, IDLE);
    }

    @Test
    void streamingCannotBeReachedWithoutConnecting() {
        for (SessionState s : SessionState.values()) {
            assertEquals(s == CONNECTING, s.canMoveTo(STREAMING), s + " -> STREAMING");
        }
    }

    @Test
    void activeStatesAreTheOnesBetweenStartAndStop() {
        assertEquals(EnumSet.of(REQUESTING_ENDPOINT, CONNECTING, STREAMING, RECONNECTING),
                EnumSet.copyOf(java.util.Arrays.stream(values()).filter(SessionState::isActive).toList()));
    }

    private static void assertAllowed(SessionState from, SessionState... allowed) {
        Set<SessionState> expected = EnumSet.noneOf(SessionState.class);
        expected.addAll(java.util.List.of(allowed));
        for (SessionState to : SessionState.values()) {
            assertEquals(expected.contains(to), from.canMoveTo(to), from + " -> " + to);
        }
    }
}
