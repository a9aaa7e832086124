package io.edgepush.bridge;

import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrying CONTROL policy over a {@link CameraLink} (PROTOCOL.md 3.5/3.6): a control whose ACK does not arrive
 * within the ACK timeout is sent again with the SAME control id (so a camera that did apply it but whose ACK was
 * lost can answer again without applying it twice), up to {@code maxAttempts} sends in all. Only a missing ACK is
 * retried: an ACK with any status (OK, FAILED, UNSUPPORTED, INVALID_VALUE, BUSY) is the camera's answer, and a
 * closed link ends the attempts at once. Every retry is a log line with the device_id. Thread-safe; never blocks.
 */
public final class ControlSender {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSender.class);

    /** Default number of sends of one control. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /**
     * The end of one control.
     *
     * @param control  the control sent (same id on every attempt)
     * @param ack      the camera's answer, or null when none came
     * @param attempts sends made, 1..maxAttempts
     * @param failure  why no answer came (a {@link TimeoutException} after the last attempt, an
     *                 {@link java.io.IOException} when the link closed), null when {@code ack} is set
     */
    public record Outcome(Control control, Ack ack, int attempts, Throwable failure) {
        /** True when the camera answered OK. */
        public boolean ok() {
            return ack != null && ack.ok();
        }

        /** True when no ACK came at all (timeouts or a closed link): the control is unacknowledged. */
        public boolean unacknowledged() {
            return ack == null;
        }
    }

    private final CameraLink link;
    private final int maxAttempts;
    private final Duration ackTimeout;

    /**
     * @param maxAttempts sends per control, at least 1
     * @param ackTimeout  wait for an ACK per attempt; null uses the link's default
     */
    public ControlSender(CameraLink link, int maxAttempts, Duration ackTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (ackTimeout != null && (ackTimeout.isNegative() || ackTimeout.isZero())) {
            throw new IllegalArgumentException("ackTimeout must be positive, got " + ackTimeout);
        }
        this.link = link;
        this.maxAttempts = maxAttempts;
        this.ackTimeout = ackTimeout;
    }

    /** {@link #DEFAULT_MAX_ATTEMPTS} sends, the link's default ACK timeout. */
    public ControlSender(CameraLink link) {
        this(link, DEFAULT_MAX_ATTEMPTS, null);
    }

    /** The link controls go to. */
    public CameraLink link() {
        return link;
    }

    /** Sends {@code op value} to stream {@code streamId} with a fresh control id; see {@link #send(Control)}. */
    public CompletableFuture<Outcome> send(ControlOp op, long value, int streamId) {
        return send(new Control(link.nextControlId(), op, value, streamId));
    }

    /**
     * Sends {@code control}, retrying while no ACK arrives.
     *
     * @return always completes normally (never exceptionally) with the {@link Outcome}
     */
    public CompletableFuture<Outcome> send(Control control) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        attempt(control, 1, result);
        return result;
    }

    private void attempt(Control control, int attempt, CompletableFuture<Outcome> result) {
        CompletableFuture<Ack> sent;
        try {
            sent = ackTimeout == null ? link.sendControl(control) : link.sendControl(control, ackTimeout);
        } catch (RuntimeException e) {
            result.complete(new Outcome(control, null, attempt, e));
            return;
        }
        sent.whenComplete((ack, err) -> {
            if (err == null) {
                result.complete(new Outcome(control, ack, attempt, null));
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof TimeoutException && attempt < maxAttempts) {
                LOG.info("event=control_retry device_id={} control_id={} op={} attempt={} of={} reason=\"{}\"",
                        link.deviceId(), control.controlId(), control.op(), attempt + 1, maxAttempts,
                        cause.getMessage());
                attempt(control, attempt + 1, result);
            } else {
                result.complete(new Outcome(control, null, attempt, cause));
            }
        });
    }
}
