package io.edgepush.agent.session;

import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session behaviour without a working server: retries with backoff after a refused connection until the
 * attempts run out (state 4 reconnecting, then 6 error with next_retry_in_sec 0, DESIGN.md section 3), and
 * requests that do not fit the current state are refused without throwing.
 */
class StreamSessionErrorsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void refusedConnectionRetriesWithBackoffThenGivesUpInErrorState() throws Exception {
        String url = "rtmp://127.0.0.1:" + FreePorts.tcp() + "/live/key1";
        try (SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), url)) {
            assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "start from idle");
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, () -> "state error; " + f.listener);

            List<RecordingSessionListener.ConnectionError> errors = f.listener.errors;
            assertEquals(4, errors.size(), () -> "three retries, then giving up: " + errors);
            for (int i = 0; i < 3; i++) {
                RecordingSessionListener.ConnectionError e = errors.get(i);
                assertEquals("RTMP_CONNECT_REFUSED", e.errorCode(), "error " + i);
                assertEquals(i + 1, e.attempts(), "attempts of error " + i);
                assertEquals(SessionState.RECONNECTING, e.state(), "state at error " + i);
                assertEquals(1, e.nextRetryInSec(), "50/100/200 ms rounded up to whole seconds, error " + i);
            }
            RecordingSessionListener.ConnectionError last = errors.get(3);
            assertEquals("RTMP_CONNECT_REFUSED", last.errorCode());
            assertEquals(4, last.attempts());
            assertEquals(SessionState.ERROR, last.state());
            assertEquals(0, last.nextRetryInSec(), "no retry after giving up");
            assertEquals("connecting reconnecting connecting reconnecting connecting reconnecting connecting error",
                    f.listener.path());
            assertTrue(f.listener.started.isEmpty(), "stream_started without a server");
            ConnectionErrors.Reading counted = f.session.status().connectionErrors();
            assertEquals(Map.of("RTMP_CONNECT_REFUSED", 4L), counted.byCode(), "every failure counted by its code");
            assertEquals(3, counted.reconnects(), "three failures led to another try, the fourth gave up");

            assertTrue(f.session.stop().get(5, TimeUnit.SECONDS), "stop after error acknowledges the error");
            assertEquals(SessionState.IDLE, f.session.state());
        }
    }

    @Test
    void aStartAfterGivingUpTriesAgainWithAFreshBudgetAndAStopStartKeepsRetrying() throws Exception {
        String url = "rtmp://127.0.0.1:" + FreePorts.tcp() + "/live/key1";
        try (SessionFixture f = new SessionFixture(new Backoff(50, 100, 2), url)) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, () -> "gave up; " + f.listener);
            assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "a start from error is accepted");
            Await.until(() -> f.listener.errors.size() == 6, TIMEOUT, () -> "a second full run; " + f.listener);
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, () -> "gave up again; " + f.listener);
            assertEquals(List.of(1, 2, 3, 1, 2, 3), f.listener.errors.stream().map(e -> e.attempts()).toList(),
                    "each start gets the whole budget again");

            assertTrue(f.session.stop().get(5, TimeUnit.SECONDS));
            assertEquals(SessionState.IDLE, f.session.state());
            assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "a start after stop is accepted");
            Await.until(() -> f.listener.errors.size() == 9, TIMEOUT, () -> "retries after stop/start; " + f.listener);
            ConnectionErrors.Reading counted = f.session.status().connectionErrors();
            assertEquals(Map.of("RTMP_CONNECT_REFUSED", 9L), counted.byCode(), "a start or stop resets no count");
            assertEquals(6, counted.reconnects(), "two retries in each of the three runs");
            assertEquals(List.of(1, 2, 3), f.listener.errors.subList(6, 9).stream().map(e -> e.attempts()).toList());
        }
    }

    @Test
    void stopOnAnIdleSessionReturnsFalseAndChangesNothing() throws Exception {
        try (SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), "rtmp://127.0.0.1:1/live/key1")) {
            assertFalse(f.session.stop().get(5, TimeUnit.SECONDS), "stop of an idle session");
            assertFalse(f.session.stop().get(5, TimeUnit.SECONDS), "second stop of an idle session");
            assertEquals(SessionState.IDLE, f.session.state());
            assertTrue(f.listener.moves.isEmpty(), () -> "state changes: " + f.listener);
            assertTrue(f.listener.stopped.isEmpty(), "stream_stopped for a stream that never ran");
        }
    }

    @Test
    void startWhileAlreadyActiveReturnsFalse() throws Exception {
        String url = "rtmp://127.0.0.1:" + FreePorts.tcp() + "/live/key1";
        try (SessionFixture f = new SessionFixture(new Backoff(60_000, 60_000, 5), url)) {
            assertTrue(f.session.start().get(5, TimeUnit.SECONDS));
            Await.until(() -> f.session.state() == SessionState.RECONNECTING, TIMEOUT, () -> "reconnecting; " + f.listener);
            assertFalse(f.session.start().get(5, TimeUnit.SECONDS), "start while reconnecting");
            assertEquals(1, f.listener.errors.size(), () -> "a second start must not add an attempt: " + f.listener);
            assertTrue(f.session.stop().get(5, TimeUnit.SECONDS), "stop while reconnecting");
            assertEquals(SessionState.IDLE, f.session.state());
            assertEquals(1, f.listener.stopped.size(), "stream_stopped after stopping a reconnecting session");
        }
    }

    @Test
    void framesWhileIdleAreNotCountedAndGarbageDoesNotThrow() throws Exception {
        try (SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), "rtmp://127.0.0.1:1/live/key1")) {
            f.session.onAccessUnit(FixtureAccessUnits.accessUnit(java.util.List.of(new byte[] {0x67, 0x11, 0x22}), 0));
            assertEquals(0, f.session.metrics().framesSent());
            assertEquals(SessionState.IDLE, f.session.state());
        }
    }
}
