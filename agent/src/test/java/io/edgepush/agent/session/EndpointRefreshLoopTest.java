package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5, {@code expires_at} in the past: an endpoint that arrives expired or about to expire, and a cloud
 * that keeps answering such endpoints, cause one refresh request and then a wait of at least
 * {@link EndpointRefresh#MIN_REFRESH_INTERVAL_MS}, never a loop. The session's clock stands still (nothing here
 * depends on real time passing); an answer already expired is neither moved to nor taken as an extension.
 */
class EndpointRefreshLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final long NOW_SEC = NOW_MS / 1000;
    private static final String URL = "rtmp://127.0.0.1:1/live/key1";

    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger moves = new AtomicInteger();
    private final AtomicInteger refreshes = new AtomicInteger();

    @AfterEach
    void stop() {
        control.shutdownNow();
    }

    private EndpointRefresh refresh(String answerUrl, long answerExpiresAtSec) {
        EndpointSource cloud = new EndpointSource() {
            @Override
            public CompletableFuture<Endpoint> resolve(String quality, boolean adaptive, FailedEndpoint failed) {
                requests.incrementAndGet();
                return CompletableFuture.completedFuture(new Endpoint(List.of(answerUrl), "s", answerExpiresAtSec));
            }

            @Override
            public boolean asksCloud() {
                return true;
            }
        };
        EndpointRefresh.Host host = new EndpointRefresh.Host() {
            @Override
            public boolean streaming() {
                return true;
            }

            @Override
            public String publishUrl() {
                return URL;
            }

            @Override
            public String quality() {
                return "low";
            }

            @Override
            public boolean supportsAdaptive() {
                return false;
            }

            @Override
            public CompletableFuture<Void> moveTo(String url) {
                moves.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void refreshed(String publishUrl, Endpoint endpoint) {
                refreshes.incrementAndGet();
            }
        };
        return new EndpointRefresh("LOOP_CAM", "main", cloud, control, host, () -> NOW_MS);
    }

    /** Schedules on the control thread and waits until the first refresh has planned its next step. */
    private void runFirstRefresh(EndpointRefresh r, long expiresAtSec) {
        control.execute(() -> r.schedule(expiresAtSec));
        Await.until(() -> requests.get() == 1 && r.plannedDelayMs() >= EndpointRefresh.MIN_REFRESH_INTERVAL_MS,
                WAIT, () -> "one request, then a wait; requests " + requests + ", planned " + r.plannedDelayMs());
    }

    @Test
    void anExpiredEndpointAnsweredWithAnotherExpiredOneWaitsInsteadOfLooping() {
        EndpointRefresh r = refresh(URL, NOW_SEC - 5);
        runFirstRefresh(r, NOW_SEC - 10);
        assertEquals(1, requests.get());
        assertEquals(0, refreshes.get(), "an expired answer is no refresh");
        assertEquals(NOW_SEC - 10, r.expiresAtSec());
    }

    @Test
    void anExpiredAnswerWithAnotherUrlIsNotMovedTo() {
        EndpointRefresh r = refresh("rtmp://127.0.0.1:2/live/key2", NOW_SEC);
        runFirstRefresh(r, NOW_SEC - 1);
        assertEquals(0, moves.get());
        assertEquals(0, refreshes.get());
    }

    @Test
    void endpointsAboutToExpireAreRefreshedAtMostOncePerInterval() {
        // Each answer expires 1 s after "now": half its life would be 500 ms, the interval wins.
        EndpointRefresh r = refresh(URL, NOW_SEC + 2);
        runFirstRefresh(r, NOW_SEC + 1);
        assertEquals(1, refreshes.get(), "a later expiry extends the endpoint");
        assertEquals(NOW_SEC + 2, r.expiresAtSec());
        assertTrue(r.plannedDelayMs() >= EndpointRefresh.MIN_REFRESH_INTERVAL_MS, "planned " + r.plannedDelayMs());
        assertEquals(1, requests.get());
    }

    @Test
    void theFirstRefreshOfAPublishIsNotHeldBack() {
        EndpointRefresh r = refresh(URL, NOW_SEC + 3600);
        control.execute(() -> r.schedule(NOW_SEC + 2));
        Await.until(() -> r.plannedDelayMs() >= 0, WAIT, "a planned refresh");
        assertEquals(1000, EndpointRefresh.refreshDelayMs(NOW_SEC + 2, NOW_MS));
        assertTrue(r.plannedDelayMs() <= 1000, "half the life of a 2 s endpoint: " + r.plannedDelayMs());
    }
}
