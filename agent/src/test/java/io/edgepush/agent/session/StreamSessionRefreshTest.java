package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.EndpointUnavailableException;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 item 5: before an endpoint's {@code expires_at} the session asks for a fresh one and moves the stream to
 * it at a keyframe (publish to the new URL, switch, unpublish the old), staying STREAMING and reporting
 * endpoint_refreshed; the same URL only extends the expiry; a failed refresh keeps the stream and is tried again.
 */
class StreamSessionRefreshTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A cloud whose n-th answer (1-based) comes from {@code answers}. */
    private static EndpointSource cloud(IntFunction<CompletableFuture<Endpoint>> answers, AtomicInteger calls) {
        return new EndpointSource() {
            @Override
            public CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive, FailedEndpoint previousFailure) {
                return answers.apply(calls.incrementAndGet());
            }

            @Override
            public boolean asksCloud() {
                return true;
            }
        };
    }

    private static CompletableFuture<Endpoint> endpoint(String url, long lifetimeSec) {
        return CompletableFuture.completedFuture(new Endpoint(List.of(url), "test",
                System.currentTimeMillis() / 1000 + lifetimeSec));
    }

    @Test
    void theStreamMovesToTheFreshEndpointAtAKeyframeBeforeTheOldOneExpires() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedRtmpServer first = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             ScriptedRtmpServer second = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 100, 5), 30_000,
                     cloud(n -> n == 1 ? endpoint(first.urlText("key1"), 2) : endpoint(second.urlText("key2"), 3600),
                             calls))) {
            FixtureFeed feed = new FixtureFeed(f.session);
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> feed.next() && second.received(FlvTagType.VIDEO).size() >= 3, TIMEOUT,
                    () -> "video on the fresh endpoint; " + f.listener);
            first.await(m -> "deleteStream".equals(m.name()), "the old publish to be deleted");

            assertEquals("requesting_endpoint connecting streaming", f.listener.path(), "never left streaming");
            assertTrue(f.listener.errors.isEmpty(), f.listener::toString);
            assertEquals(1, f.listener.refreshed.size());
            assertTrue(f.listener.refreshed.get(0).startsWith(second.urlText("key2") + "@"));
            assertEquals(second.urlText("key2"), f.session.publishUrl());
            assertTrue(f.session.status().endpointExpiresAtSec() > System.currentTimeMillis() / 1000 + 3000);
            List<Received> onSecond = second.received().stream()
                    .filter(m -> m.typeId() == FlvTagType.VIDEO || m.typeId() == FlvTagType.SCRIPT_DATA).toList();
            assertEquals(FlvTagType.SCRIPT_DATA, onSecond.get(0).typeId(), "onMetaData first");
            assertEquals(0, onSecond.get(1).payload()[1], "then the AVC sequence header");
            assertEquals(0x17, onSecond.get(2).payload()[0], "then a keyframe");
            List<Received> oldVideo = first.received(FlvTagType.VIDEO);
            assertTrue(onSecond.get(2).timestampMs() > oldVideo.get(oldVideo.size() - 1).timestampMs(),
                    "timestamps continue");
        }
    }

    @Test
    void theSameUrlOnlyExtendsTheExpiry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 100, 5), 30_000,
                     cloud(n -> endpoint(server.urlText("key1"), n == 1 ? 2 : 3600), calls))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> !f.listener.refreshed.isEmpty(), TIMEOUT, () -> "a refresh; " + f.listener);
            assertEquals(2, calls.get());
            assertEquals(1, server.connections().size(), "no second publish to the same URL");
            assertTrue(f.session.status().endpointExpiresAtSec() > System.currentTimeMillis() / 1000 + 3000);
            assertEquals(SessionState.STREAMING, f.session.state());
        }
    }

    @Test
    void aFailedRefreshKeepsTheStreamAndIsTriedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedRtmpServer first = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             ScriptedRtmpServer second = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 100, 5), 30_000, cloud(n -> switch (n) {
                 case 1 -> endpoint(first.urlText("key1"), 3);
                 case 2 -> CompletableFuture.failedFuture(
                         new EndpointUnavailableException("TIMEOUT", "no endpoint response", true));
                 default -> endpoint(second.urlText("key2"), 3600);
             }, calls))) {
            FixtureFeed feed = new FixtureFeed(f.session);
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> feed.next() && second.received(FlvTagType.VIDEO).size() >= 3, TIMEOUT,
                    () -> "video on the endpoint of the second refresh; " + f.listener);
            assertEquals(3, calls.get());
            assertEquals("requesting_endpoint connecting streaming", f.listener.path());
            assertTrue(f.listener.errors.isEmpty(), "a failed refresh is not a connection error: " + f.listener);
            assertEquals(1, f.listener.refreshed.size());
        }
    }

    @Test
    void theSameEndpointWithoutALaterExpiryIsNotARefresh() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long expiresAt = System.currentTimeMillis() / 1000 + 2;
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 100, 5), 30_000, cloud(n -> CompletableFuture
                     .completedFuture(new Endpoint(List.of(server.urlText("key1")), "cached", expiresAt)), calls))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> calls.get() >= 3, TIMEOUT, () -> "two refresh tries; " + f.listener);
            assertTrue(f.listener.refreshed.isEmpty(), "a cached answer is no refresh: " + f.listener.refreshed);
            assertEquals(expiresAt, f.session.status().endpointExpiresAtSec());
            assertEquals(SessionState.STREAMING, f.session.state());
        }
    }
}
