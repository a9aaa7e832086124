package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames received = sent - re-sent + dropped + still buffered, at every step of a stream's life: a start from the
 * buffer, live frames, an outage (frames buffered while no publish is up), the reconnect's burst (re-sending the GOP
 * the viewer needs), a source that restarts while frames wait (they are dropped as not published). small.h264: IDR at
 * pictures 0 and 25.
 */
class FrameLedgerTest {
    private final OutputHarness h = new OutputHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void assertBalanced(String when, long expectedBuffered) {
        long buffered = h.output.readLedger(u -> (long) u);
        OutputHarness.RecordingCounters c = h.counters;
        assertEquals(expectedBuffered, buffered, when + ": frames still buffered");
        assertEquals(c.received.get(), c.sent.get() - c.resent.get() + c.droppedTotal() + buffered,
                when + ": received " + c.received.get() + " = sent " + c.sent.get() + " - resent " + c.resent.get()
                        + " + dropped " + c.dropped + " + buffered " + buffered);
    }

    @Test
    void everyFrameIsSentDroppedOrStillBufferedThroughAnOutageAndAReconnect() throws Exception {
        h.offer(0, 9);
        h.output.newTimeline(); // a start: the 10 buffered frames count as received in it
        assertBalanced("started, not yet published", 10);
        ScriptedRtmpServer server = h.server();
        h.output.attach(h.publish(server));
        assertBalanced("the start burst", 0);
        h.offer(10, 29);
        assertBalanced("live", 0);
        assertEquals(0, h.counters.resent.get());

        h.output.detach(); // the publish broke
        h.offer(30, 45);
        assertBalanced("during the outage", 16);
        h.output.attach(h.publish(server));
        assertBalanced("the reconnect's burst", 0);
        assertEquals(5, h.counters.resent.get(), "pictures 25-29 of the GOP went out again before 30-45");
        h.offer(46, 49);
        assertBalanced("live again", 0);
        assertEquals(50, h.counters.received.get());
        assertEquals(0, h.counters.droppedTotal());
    }

    @Test
    void framesThatWaitedWhenTheSourceRestartedAreDroppedAsNotPublished() throws Exception {
        h.offer(0, 9);
        h.output.newTimeline();
        h.output.attach(h.publish(h.server()));
        h.output.detach();
        h.offer(10, 20);
        assertBalanced("waiting", 11);
        h.output.sourceRestarted();
        assertBalanced("the source restarted", 0);
        assertEquals(11, (int) h.counters.dropped.get(OutputCounters.DropReason.NOT_PUBLISHED));
    }

    @Test
    void aStartCountsOnlyTheFramesItsPublishWillSend() throws Exception {
        h.offer(1, 4); // no keyframe before them: not kept
        h.offer(25, 29);
        h.output.newTimeline();
        assertEquals(5, h.counters.received.get(), "the latest GOP, carried into the new run");
        h.output.attach(h.publish(h.server()));
        assertBalanced("published", 0);
        assertEquals(5, h.counters.sent.get());
    }
}
