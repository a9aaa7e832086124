package io.edgepush.agent.session;

import io.edgepush.agent.stream.OutputCounters.DropReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SessionMetrics}: a new run starts its counts from 0, the lifetime counts keep every run's. */
class SessionMetricsLifetimeTest {

    @Test
    void aNewRunRestartsTheRunCountsButNotTheLifetimeCounts() {
        SessionMetrics metrics = new SessionMetrics();
        send(metrics, 10, 1000);
        metrics.frameDropped(DropReason.UPLINK);
        metrics.reset();
        send(metrics, 3, 300);
        metrics.framesDropped(DropReason.UPLINK, 2);

        SessionMetrics.Snapshot total = metrics.total();
        assertEquals(3, total.totalFrames());
        assertEquals(300, total.totalBytes());
        assertEquals(2, total.droppedByReason().get(DropReason.UPLINK.label()));
        assertEquals(13, total.lifetime().framesSent());
        assertEquals(1300, total.lifetime().bytesSent());
        assertEquals(3, total.lifetime().droppedByReason().get(DropReason.UPLINK.label()));
        assertEquals(0, total.lifetime().droppedByReason().get(DropReason.CORRUPT.label()));
    }

    @Test
    void aSessionWithOneRunHasLifetimeCountsEqualToTheRun() {
        SessionMetrics metrics = new SessionMetrics();
        send(metrics, 5, 500);
        SessionMetrics.Snapshot sample = metrics.sample();
        assertEquals(5, sample.lifetime().framesSent());
        assertEquals(500, sample.lifetime().bytesSent());
        assertEquals(sample.droppedByReason(), sample.lifetime().droppedByReason());
    }

    private static void send(SessionMetrics metrics, int frames, long bytes) {
        for (int i = 0; i < frames; i++) {
            metrics.frameReceived();
            metrics.frameSent();
        }
        metrics.bytesSent(bytes);
    }
}
