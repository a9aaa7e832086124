package io.edgepush.agent.stream;

import io.edgepush.protocol.rtmp.RtmpPublisher;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The publish waiting to take a {@link StreamOutput}'s stream at the next keyframe ({@link StreamOutput#handOver}),
 * and the future of the switch; at most one waits. The output makes the switch and its state moves; this only keeps
 * who waits and settles the future.
 *
 * <p>Not thread-safe: the {@link StreamOutput} that owns it serialises access.
 */
final class PendingHandover {
    private RtmpPublisher next;
    private CompletableFuture<RtmpPublisher> done;

    /**
     * {@code next} waits from now on; a handover waiting before is cancelled.
     *
     * @return completes with the publisher that carried the stream until the switch
     */
    CompletableFuture<RtmpPublisher> await(RtmpPublisher next) {
        cancel("replaced by a newer handover");
        this.next = next;
        this.done = new CompletableFuture<>();
        return done;
    }

    /** True while a handover waits. */
    boolean waiting() {
        return done != null;
    }

    /** True when a handover to {@code publisher} (not null) waits. */
    boolean waitingFor(RtmpPublisher publisher) {
        return done != null && next == publisher && publisher != null;
    }

    /** The publish that waits, or null. */
    RtmpPublisher next() {
        return next;
    }

    /**
     * The switch happens: nothing waits any more.
     *
     * @return the future to complete with the publisher replaced
     */
    CompletableFuture<RtmpPublisher> take() {
        CompletableFuture<RtmpPublisher> taken = done;
        next = null;
        done = null;
        return taken;
    }

    /** Abandons the handover that waits, if one does: its future fails with {@link CancellationException}. */
    void cancel(String why) {
        if (done != null) {
            take().completeExceptionally(new CancellationException(why));
        }
    }
}
