package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The session acts on the server answer's retry policy: DO_NOT_RETRY ends in ERROR at once, "Already publishing"
 * waits past the server idle timeout before publishing the same URL again or moves on to the next URL at once.
 */
class StreamSessionPolicyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A server answering the first {@code refusals} publishes with onStatus error (code, description). */
    private static ScriptedRtmpServer refusing(int refusals, String code, String description) throws Exception {
        AtomicInteger publishes = new AtomicInteger();
        return ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                if (publishes.incrementAndGet() <= refusals) {
                    c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", code, description);
                } else {
                    c.publishStart();
                }
            }
        });
    }

    @Test
    void doNotRetryEndsInErrorAfterOneAttempt() throws Exception {
        try (ScriptedRtmpServer server = refusing(100, "NetStream.Publish.Denied", "denied");
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 5), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, () -> "error; " + f.listener);
            assertEquals("connecting error", f.listener.path());
            assertEquals(1, f.listener.errors.size(), f.listener::toString);
            assertEquals("RTMP_PUBLISH_FAILED", f.listener.errors.get(0).errorCode());
            assertEquals(0, f.listener.errors.get(0).nextRetryInSec());
            assertEquals(1, server.commandNames().stream().filter("publish"::equals).count(), "one publish only");
        }
    }

    @Test
    void alreadyPublishingOnTheOnlyUrlWaitsForTheServerIdleTimeout() throws Exception {
        try (ScriptedRtmpServer server = refusing(1, "NetStream.Publish.BadName", "Already publishing");
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 5), 1500, server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            assertEquals("connecting reconnecting connecting streaming", f.listener.path());
            RecordingSessionListener.ConnectionError e = f.listener.errors.get(0);
            assertEquals("RTMP_PUBLISH_BAD_NAME", e.errorCode());
            assertEquals(2, e.nextRetryInSec(), "1500 ms server idle timeout, not the 50 ms backoff");
        }
    }

    @Test
    void alreadyPublishingMovesToTheNextUrlWithoutWaiting() throws Exception {
        try (ScriptedRtmpServer busy = refusing(100, "NetStream.Publish.BadName", "Already publishing");
             ScriptedRtmpServer free = refusing(0, "", "");
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 5), 60_000, busy.urlText("key1"),
                     free.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            assertEquals(1, f.listener.errors.get(0).nextRetryInSec(), "the backoff delay, not 60 s");
            assertEquals(free.urlText("key1"), f.session.publishUrl());
        }
    }

    @Test
    void bareCloseAfterPublishIsTreatedLikeAlreadyPublishing() throws Exception {
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
                @Override
                public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                    c.close();
                }
            });
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 5), 4500, server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> !f.listener.errors.isEmpty(), TIMEOUT, () -> "an error; " + f.listener);
            RecordingSessionListener.ConnectionError e = f.listener.errors.get(0);
            assertEquals("RTMP_CONNECTION_CLOSED", e.errorCode());
            assertEquals(5, e.nextRetryInSec(), "4500 ms server idle timeout");
            assertTrue(e.message().contains("right after publish"), e.message());
        }
    }
}
