package io.edgepush.agent.stream;

/**
 * What became of every frame offered to a {@link StreamOutput}, so that at any moment (read under the output's lock)
 * <pre>frames received = frames sent - frames re-sent + frames dropped (every reason) + frames still buffered</pre>
 * where "still buffered" are the frames that came while no publish took them and that a publish may still send. A
 * frame is <em>settled</em> once it was sent or dropped; the unsettled ones are always the newest frames of the GOP
 * buffer (it holds a contiguous run of the newest frames received), so one count, {@code settledThrough}, says which
 * they are:
 * <ul>
 *   <li>while a publish is attached every frame is settled as it arrives;</li>
 *   <li>an unsettled frame that leaves the buffer unsent (evicted, or the buffer emptied) is dropped as
 *       {@link OutputCounters.DropReason#NOT_PUBLISHED};</li>
 *   <li>a publish's start burst settles them: the burst's frames are sent (those settled before count as
 *       re-sent: a new publish repeats the GOP the viewer needs), unsettled frames before the burst's keyframe are
 *       dropped as NOT_PUBLISHED.</li>
 * </ul>
 * Not thread-safe: the {@link StreamOutput} that owns it serialises access; the counters are written here with its
 * lock held.
 */
final class FrameLedger {
    private final OutputCounters counters;
    private long received;
    private long settledThrough;

    FrameLedger(OutputCounters counters) {
        this.counters = counters;
    }

    /** A frame was offered (counted at once). */
    void received() {
        received++;
        counters.frameReceived();
    }

    /** Every frame received so far is settled (a publish took or dropped it). */
    void allSettled() {
        settledThrough = received;
    }

    /** Frames received and not yet settled that the buffer, holding {@code bufferedFrames}, still has. */
    int unsettled(int bufferedFrames) {
        return (int) Math.min(bufferedFrames, received - settledThrough);
    }

    /** After the buffer lost frames (evicted, emptied): the unsettled ones among them are dropped as NOT_PUBLISHED. */
    void reconcile(int bufferedFrames) {
        long lost = (received - settledThrough) - unsettled(bufferedFrames);
        if (lost > 0) {
            counters.framesDropped(OutputCounters.DropReason.NOT_PUBLISHED, lost);
            settledThrough += lost;
        }
    }

    /**
     * A publish's start burst wrote the newest {@code burstFrames} of the buffer's {@code bufferedFrames}: the ones
     * settled before are re-sent, unsettled ones before the burst are dropped as NOT_PUBLISHED; all are settled.
     */
    void burst(int burstFrames, int bufferedFrames) {
        int unsettled = unsettled(bufferedFrames);
        if (burstFrames > unsettled) {
            counters.framesResent(burstFrames - unsettled);
        } else if (unsettled > burstFrames) {
            counters.framesDropped(OutputCounters.DropReason.NOT_PUBLISHED, unsettled - burstFrames);
        }
        allSettled();
    }

    /**
     * A new run of counters (a start) whose first publish would send the newest {@code dueFrames} of the buffer: the
     * unsettled ones among them count as received in it; older unsettled frames belong to the time before the start
     * and are settled without being counted.
     */
    void restartCounting(int bufferedFrames, int dueFrames) {
        int carried = Math.min(unsettled(bufferedFrames), dueFrames);
        settledThrough = received - carried;
        counters.restartReceived(carried);
    }
}
