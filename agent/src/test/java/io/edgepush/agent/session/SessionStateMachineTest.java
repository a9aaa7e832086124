package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drives a {@link SessionStateMachine} through every transition of the table, each reached from IDLE along legal
 * moves only, and checks that every other move is refused without changing the state or telling anyone.
 */
class SessionStateMachineTest {
    private final List<String> seen = new ArrayList<>();

    private SessionStateMachine machine() {
        seen.clear();
        return new SessionStateMachine("CAM_S", "main", (from, to, reason) -> seen.add(from + ">" + to + ":" + reason));
    }

    /** The shortest legal path from IDLE to each state. */
    private static Map<SessionState, List<SessionState>> pathsFromIdle() {
        Map<SessionState, List<SessionState>> paths = new EnumMap<>(SessionState.class);
        paths.put(SessionState.IDLE, List.of());
        ArrayDeque<SessionState> queue = new ArrayDeque<>(List.of(SessionState.IDLE));
        while (!queue.isEmpty()) {
            SessionState s = queue.poll();
            for (SessionState next : s.next()) {
                if (!paths.containsKey(next)) {
                    List<SessionState> path = new ArrayList<>(paths.get(s));
                    path.add(next);
                    paths.put(next, path);
                    queue.add(next);
                }
            }
        }
        return paths;
    }

    private SessionStateMachine at(SessionState state) {
        SessionStateMachine m = machine();
        for (SessionState step : pathsFromIdle().get(state)) {
            m.move(step, "setup");
        }
        seen.clear();
        return m;
    }

    @Test
    void everyStateIsReachableFromIdle() {
        assertEquals(SessionState.values().length, pathsFromIdle().size(), pathsFromIdle().toString());
    }

    @Test
    void everyLegalTransitionMovesAndIsReported() {
        int legal = 0;
        for (SessionState from : SessionState.values()) {
            for (SessionState to : from.next()) {
                SessionStateMachine m = at(from);
                long before = System.currentTimeMillis();
                m.move(to, "because");
                assertEquals(to, m.state(), from + " -> " + to);
                assertEquals(List.of(from + ">" + to + ":because"), seen);
                assertEquals("because", m.reading().reason());
                assertTrue(m.reading().sinceEpochMs() >= before, "the time of the move is kept");
                legal++;
            }
        }
        assertEquals(21, legal, "the table in SessionState has 21 transitions");
    }

    @Test
    void everyIllegalTransitionIsRefusedAndChangesNothing() {
        for (SessionState from : SessionState.values()) {
            for (SessionState to : SessionState.values()) {
                if (to == from || from.canMoveTo(to)) {
                    continue;
                }
                SessionStateMachine m = at(from);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.move(to, "bug"),
                        from + " -> " + to);
                assertTrue(e.getMessage().contains(from + " -> " + to) && e.getMessage().contains("CAM_S/main"),
                        e.getMessage());
                assertEquals(from, m.state());
                assertEquals(List.of(), seen, "nobody is told about a refused move");
            }
        }
    }

    @Test
    void stayingInTheSameStateIsNotAMove() {
        SessionStateMachine m = at(SessionState.RECONNECTING);
        long since = m.reading().sinceEpochMs();
        m.move(SessionState.RECONNECTING, "again");
        assertEquals(List.of(), seen);
        assertEquals(since, m.reading().sinceEpochMs());
        assertEquals("setup", m.reading().reason());
    }
}
