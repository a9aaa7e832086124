package io.edgepush.agent.session;

import io.edgepush.agent.quality.EncoderSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 items 3, 4 and 6 at session level: ordered failover (primary, backup, then back to the primary), the
 * retry count that resets only after a stable period, the failed endpoint named in the next request, and a new
 * publish that starts with the sequence header and a keyframe and continues the timestamps.
 */
class StreamSessionFailoverTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static String closedPortUrl() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return "rtmp://127.0.0.1:" + s.getLocalPort() + "/live/key1";
        }
    }

    @Test
    void aRefusingPrimaryMovesTheStreamToTheBackupWithoutTheBackoffWait() throws Exception {
        try (ScriptedRtmpServer backup = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(5000, 60_000, 10), closedPortUrl(),
                     backup.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.listener.path().endsWith("streaming"), TIMEOUT, () -> "streaming; " + f.listener);
            assertEquals("connecting reconnecting connecting streaming", f.listener.path());
            RecordingSessionListener.ConnectionError e = f.listener.errors.get(0);
            assertEquals("RTMP_CONNECT_REFUSED", e.errorCode());
            assertEquals(0, e.attempts(), "no round of the URL list failed: the budget is untouched");
            assertEquals(1, e.nextRetryInSec(), "the failover wait (250 ms), not the 5 s backoff");
            assertEquals(backup.urlText("key1"), f.session.publishUrl());
        }
    }

    @Test
    void aBrokenBackupGoesBackToThePrimaryAndTheNewPublishContinuesTheTimeline() throws Exception {
        AtomicInteger primaryConnects = new AtomicInteger();
        try (ScriptedRtmpServer primary = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
                @Override
                public void onConnect(ScriptedRtmpServer.Connection c, CommandMessage connect) {
                    if (primaryConnects.incrementAndGet() == 1) {
                        c.close(); // down at first
                    } else {
                        c.acceptConnect(2_500_000);
                    }
                }
            });
             ScriptedRtmpServer backup = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(100, 400, 10), primary.urlText("key1"),
                     backup.urlText("key1"))) {
            FixtureFeed feed = new FixtureFeed(f.session);
            AtomicInteger idrRequests = new AtomicInteger();
            f.session.attachCamera(new CameraControl() {
                @Override
                public void requestKeyframe() {
                    idrRequests.incrementAndGet();
                }

                @Override
                public CompletableFuture<EncoderSettings> configure(EncoderSettings next, EncoderSettings previous) {
                    return CompletableFuture.completedFuture(next);
                }
            });
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            assertEquals(backup.urlText("key1"), f.session.publishUrl());
            Await.until(() -> idrRequests.get() == 1, TIMEOUT, "an IDR asked for as the publish began");
            Await.until(() -> feed.next() && backup.received(FlvTagType.VIDEO).size() >= 10, TIMEOUT,
                    () -> "video on the backup; " + f.listener);

            int before = idrRequests.get();
            backup.connections().get(0).close();
            Await.until(() -> f.session.state() == SessionState.STREAMING && f.session.publishUrl().equals(
                    primary.urlText("key1")), TIMEOUT, () -> "publishing on the primary; " + f.listener);
            assertEquals(before, idrRequests.get(),
                    "the new publish starts from the buffered keyframe: no IDR asked of the camera");
            Await.until(() -> feed.next() && primary.received(FlvTagType.VIDEO).size() >= 3, TIMEOUT,
                    () -> "video on the primary; " + f.listener);

            assertEquals(List.of(backup.urlText("key1"), primary.urlText("key1")), f.listener.started);
            assertEquals(primary.urlText("key1"), f.session.publishUrl());
            List<Received> onPrimary = primary.received().stream()
                    .filter(m -> m.typeId() == FlvTagType.VIDEO || m.typeId() == FlvTagType.SCRIPT_DATA).toList();
            assertEquals(FlvTagType.SCRIPT_DATA, onPrimary.get(0).typeId(), "onMetaData first");
            assertEquals(0x17, onPrimary.get(1).payload()[0]);
            assertEquals(0, onPrimary.get(1).payload()[1], "then the AVC sequence header");
            assertEquals(0x17, onPrimary.get(2).payload()[0], "then a keyframe");
            assertEquals(1, onPrimary.get(2).payload()[1]);
            List<Received> backupVideo = backup.received(FlvTagType.VIDEO);
            int lastOnBackup = backupVideo.get(backupVideo.size() - 1).timestampMs();
            assertTrue(onPrimary.get(2).timestampMs() > lastOnBackup, "timestamps continue: "
                    + onPrimary.get(2).timestampMs() + " after " + lastOnBackup);
        }
    }

    @Test
    void theRetryCountGrowsWhileTheStreamFlapsAndResetsAfterTheStablePeriod() throws Exception {
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 100, 10), 1500,
                     new SessionFixture.FixedEndpoints(List.of(server.urlText("key1"))))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            for (int i = 1; i <= 2; i++) { // break each publish at once: not stable
                int connections = i;
                Await.until(() -> f.session.state() == SessionState.STREAMING
                        && server.connections().size() == connections, TIMEOUT, () -> "streaming; " + f.listener);
                server.connections().get(i - 1).close();
                Await.until(() -> f.listener.errors.size() == connections, TIMEOUT, () -> "an error; " + f.listener);
            }
            Await.until(() -> f.session.state() == SessionState.STREAMING && server.connections().size() == 3,
                    TIMEOUT, () -> "streaming; " + f.listener);
            Await.until(() -> f.session.status().reconnectAttempts() == 0, TIMEOUT,
                    () -> "the count reset after 1.5 s up; " + f.session.status());
            assertNull(f.session.status().lastErrorCode(), "the last error is cleared with the count");
            server.connections().get(2).close();
            Await.until(() -> f.listener.errors.size() == 3, TIMEOUT, () -> "a third error; " + f.listener);
            assertEquals(List.of(1, 2, 1), f.listener.errors.stream().map(e -> e.attempts()).toList());
        }
    }

    @Test
    void theFailedEndpointIsNamedInTheNextRequest() throws Exception {
        String dead = closedPortUrl();
        List<FailedEndpoint> reported = new CopyOnWriteArrayList<>();
        try (ScriptedRtmpServer good = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            EndpointSource cloud = new EndpointSource() {
                @Override
                public CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive, FailedEndpoint previousFailure) {
                    reported.add(previousFailure);
                    String url = reported.size() == 1 ? dead : good.urlText("key2");
                    return CompletableFuture.completedFuture(new Endpoint(List.of(url), "test", 0));
                }

                @Override
                public boolean asksCloud() {
                    return true;
                }
            };
            try (SessionFixture f = new SessionFixture(new Backoff(50, 100, 10), 30_000, cloud)) {
                f.session.start().get(5, TimeUnit.SECONDS);
                Await.until(() -> f.listener.path().endsWith("streaming"), TIMEOUT, () -> "streaming; " + f.listener);
                assertEquals("requesting_endpoint connecting reconnecting requesting_endpoint connecting streaming",
                        f.listener.path());
                assertEquals(2, reported.size());
                assertNull(reported.get(0), "nothing failed before the first request");
                assertEquals(dead, reported.get(1).publishUrl());
                assertEquals("RTMP_CONNECT_REFUSED", reported.get(1).errorCode());
            }
        }
    }
}
