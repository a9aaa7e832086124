package io.edgepush.agent.session;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a streaming session's endpoint fresh (DESIGN.md section 3, {@code expires_at}): at
 * {@link #refreshDelayMs} before the endpoint expires it asks the {@link EndpointSource} again. A different
 * publish URL is taken over at a keyframe through {@link PublishMove} (publish to the new URL, switch at a
 * keyframe, then unpublish the old); the same URL with a later {@code expires_at} just extends the expiry. Either
 * way the session reports {@code endpoint_refreshed}. The same URL with no later expiry (e.g. a cached answer while the cloud is
 * unreachable) counts as a failed refresh, and so does an answer whose {@code expires_at} is already past (it is
 * neither moved to nor taken as an extension). A refresh that fails is tried again ({@link #retryDelayMs}) while the
 * old publish goes on. Whatever the cloud answers, two refresh requests are at least
 * {@link #MIN_REFRESH_INTERVAL_MS} apart: an endpoint that arrives expired or about to expire cannot make the session
 * ask in a loop. Runs on the session's control thread.
 */
final class EndpointRefresh {
    private static final Logger log = LoggerFactory.getLogger(EndpointRefresh.class);
    /** The latest a refresh happens before expiry, milliseconds. */
    static final long MAX_MARGIN_MS = 60_000;
    /** Least time between two refresh requests of one session, milliseconds. */
    static final long MIN_REFRESH_INTERVAL_MS = 5000;
    private static final long MIN_RETRY_MS = 1000;
    private static final long MAX_RETRY_MS = 30_000;

    /** The session seen from here. */
    interface Host {
        /** True while the session is streaming. */
        boolean streaming();

        String publishUrl();

        String quality();

        /** The stream adapts its bitrate ({@code supports_adaptive} of the request). */
        boolean supportsAdaptive();

        /**
         * Moves the stream to {@code url} at a keyframe; completes (on the control thread) once the new publish
         * carries the stream, fails when it cannot.
         */
        CompletableFuture<Void> moveTo(String url);

        /** The endpoint was refreshed: now {@code endpoint}'s {@code publishUrl}, valid until its expiry. */
        void refreshed(String publishUrl, EndpointSource.Endpoint endpoint);
    }

    private final String deviceId;
    private final String streamName;
    private final EndpointSource source;
    private final ScheduledExecutorService control;
    private final Host host;
    private final LongSupplier clockMs;
    private ScheduledFuture<?> task;
    /** Replaced by every schedule and cancel: a refresh answered after that is ignored. */
    private Object plan = new Object();
    private volatile long expiresAtSec; // volatile: read by /status from other threads
    /** When the last refresh request went out (clockMs), or Long.MIN_VALUE before the first. */
    private long lastRequestMs = Long.MIN_VALUE;
    private volatile long plannedDelayMs = -1;

    EndpointRefresh(String deviceId, String streamName, EndpointSource source, ScheduledExecutorService control,
                    Host host, LongSupplier clockMs) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.source = source;
        this.control = control;
        this.host = host;
        this.clockMs = clockMs;
    }

    /**
     * When to refresh an endpoint that expires at {@code expiresAtSec}: half its remaining life before expiry, but
     * no earlier than {@link #MAX_MARGIN_MS} before it (a 10 s endpoint is refreshed after 5 s, a 1 h one after
     * 59 min).
     *
     * @return delay from {@code nowMs}, milliseconds (0 when already due)
     */
    static long refreshDelayMs(long expiresAtSec, long nowMs) {
        long remainingMs = expiresAtSec * 1000 - nowMs;
        if (remainingMs <= 0) {
            return 0;
        }
        return remainingMs - Math.min(MAX_MARGIN_MS, remainingMs / 2);
    }

    /** Wait before trying a failed refresh again: a quarter of the remaining life, within [1 s, 30 s]. */
    static long retryDelayMs(long expiresAtSec, long nowMs) {
        long remainingMs = expiresAtSec * 1000 - nowMs;
        return Math.max(MIN_RETRY_MS, Math.min(MAX_RETRY_MS, remainingMs <= 0 ? MAX_RETRY_MS : remainingMs / 4));
    }

    /** Plans the refresh of an endpoint that expires at {@code expiresAtSec} (0 = never: nothing to do). */
    void schedule(long expiresAtSec) {
        cancel();
        this.expiresAtSec = expiresAtSec;
        if (expiresAtSec > 0) {
            plan(refreshDelayMs(expiresAtSec, clockMs.getAsLong()));
        }
    }

    /** Forgets the planned refresh (the publish ended or the session stops). */
    void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        expiresAtSec = 0;
        plan = new Object();
    }

    /** The current endpoint's expiry, Unix seconds; 0 when it does not expire or nothing is published. */
    long expiresAtSec() {
        return expiresAtSec;
    }

    /** The delay of the refresh planned last, milliseconds; -1 before the first. */
    long plannedDelayMs() {
        return plannedDelayMs;
    }

    /** Plans a refresh {@code delayMs} from now, but no sooner than {@link #MIN_REFRESH_INTERVAL_MS} after the last. */
    private void plan(long delayMs) {
        Object planned = plan;
        if (lastRequestMs != Long.MIN_VALUE) {
            delayMs = Math.max(delayMs, lastRequestMs + MIN_REFRESH_INTERVAL_MS - clockMs.getAsLong());
        }
        plannedDelayMs = delayMs;
        task = control.schedule(() -> refresh(planned), delayMs, TimeUnit.MILLISECONDS);
    }

    private void retryLater(String why) {
        long delayMs = retryDelayMs(expiresAtSec, clockMs.getAsLong());
        log.warn("event=endpoint_refresh_failed device_id={} stream_name={} expires_at={} retry_in_ms={} error=\"{}\"",
                deviceId, streamName, expiresAtSec, delayMs, why);
        plan(delayMs);
    }

    /** True while the refresh planned as {@code planned} is still wanted. */
    private boolean wanted(Object planned) {
        return planned == plan && host.streaming();
    }

    private void refresh(Object planned) {
        if (!wanted(planned)) {
            return;
        }
        log.info("event=endpoint_refresh device_id={} stream_name={} expires_at={}", deviceId, streamName,
                expiresAtSec);
        lastRequestMs = clockMs.getAsLong();
        source.resolve(host.quality(), host.supportsAdaptive(), null).whenCompleteAsync((endpoint, err) -> {
            if (!wanted(planned)) {
                return;
            }
            if (err != null) {
                retryLater(SessionText.rootMessage(err));
                return;
            }
            String url = endpoint.publishUrls().get(0);
            long nextExpiry = endpoint.expiresAtEpochSec();
            if (nextExpiry != 0 && nextExpiry <= clockMs.getAsLong() / 1000) {
                retryLater("the answer's expires_at " + nextExpiry + " is already past");
                return;
            }
            if (url.equals(host.publishUrl())) {
                if (nextExpiry != 0 && nextExpiry <= expiresAtSec) {
                    retryLater("the answer was the same endpoint without a later expires_at");
                    return;
                }
                host.refreshed(url, endpoint);
                schedule(nextExpiry);
                return;
            }
            host.moveTo(url).whenCompleteAsync((moved, failure) -> {
                if (!wanted(planned)) {
                    return;
                }
                if (failure != null) {
                    retryLater(SessionText.rootMessage(failure));
                    return;
                }
                host.refreshed(url, endpoint);
                schedule(nextExpiry);
            }, control);
        }, control);
    }
}
