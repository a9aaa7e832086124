package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.Ack;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** CONTROLs waiting for their ACK (PROTOCOL.md 3.6), keyed by control id. Thread-safe. */
final class PendingControls {
    private record Pending(CompletableFuture<Ack> future, ScheduledFuture<?> timer) {
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final String deviceId;

    PendingControls(ScheduledExecutorService scheduler, String deviceId) {
        this.scheduler = scheduler;
        this.deviceId = deviceId;
    }

    /** Registers {@code controlId}; the future fails with TimeoutException after {@code timeout}. */
    CompletableFuture<Ack> register(long controlId, Duration timeout) {
        CompletableFuture<Ack> future = new CompletableFuture<>();
        if (pending.containsKey(controlId)) {
            future.completeExceptionally(new IllegalArgumentException("control id " + controlId
                    + " is already pending for " + deviceId));
            return future;
        }
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            Pending p = pending.remove(controlId);
            if (p != null) {
                p.future.completeExceptionally(new TimeoutException("no ACK from " + deviceId + " for control "
                        + controlId + " within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(controlId, new Pending(future, timer));
        return future;
    }

    /** Completes the matching control; returns false for an unknown or late ACK. */
    boolean complete(Ack ack) {
        Pending p = pending.remove(ack.controlId());
        if (p == null) {
            return false;
        }
        p.timer.cancel(false);
        p.future.complete(ack);
        return true;
    }

    /** Fails {@code controlId} (e.g. the write failed). */
    void fail(long controlId, Throwable cause) {
        Pending p = pending.remove(controlId);
        if (p != null) {
            p.timer.cancel(false);
            p.future.completeExceptionally(cause);
        }
    }

    /** Fails everything pending because the link closed. */
    void failAll(String reason) {
        for (Long id : pending.keySet()) {
            fail(id, new IOException("camera link " + deviceId + " closed before ACK of control " + id + ": " + reason));
        }
    }
}
