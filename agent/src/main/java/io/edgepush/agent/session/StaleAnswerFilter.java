package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RtmpPublisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Tells a {@link StreamSession}'s current asynchronous answers (endpoint, publish, a publisher's end) from stale
 * ones: every start and stop begins a new run ({@link #newRun()}), and an answer asked for in an earlier run is
 * dropped on arrival. The one place that tells them apart. Used on the session's control thread only.
 */
final class StaleAnswerFilter {
    private final Executor control;
    /** Identifies the current start; replaced by every start and stop, so late answers to older ones are dropped. */
    private Object run = new Object();

    StaleAnswerFilter(Executor control) {
        this.control = control;
    }

    /** A start or a stop: answers asked for until now are stale. */
    void newRun() {
        run = new Object();
    }

    /**
     * {@code answer} as seen from the control thread: completes there with the same outcome while the start that
     * asked is still current; an answer for an earlier start or after a stop never completes (a publisher opened for
     * it is closed).
     */
    <T> CompletableFuture<T> onControl(CompletableFuture<T> answer) {
        return onControl(answer, true);
    }

    /** As {@link #onControl(CompletableFuture)}; {@code closeStalePublisher} false keeps a stale publisher open. */
    <T> CompletableFuture<T> onControl(CompletableFuture<T> answer, boolean closeStalePublisher) {
        Object asked = run;
        CompletableFuture<T> current = new CompletableFuture<>();
        answer.whenCompleteAsync((value, err) -> {
            if (asked != run) {
                if (value instanceof RtmpPublisher stale && closeStalePublisher) {
                    stale.close(); // a publish opened for that start: nobody else will close it
                }
            } else if (err != null) {
                current.completeExceptionally(SessionText.unwrap(err));
            } else {
                current.complete(value);
            }
        }, control);
        return current;
    }
}
