package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddedLatencyTest {

    @Test
    void percentilesOfTheLastMinuteInMilliseconds() {
        AddedLatency latency = new AddedLatency();
        assertEquals(AddedLatency.Reading.NONE, latency.read(1_000));
        for (int i = 1; i <= 100; i++) {
            latency.record(i * 100_000L); // 0.1 .. 10 ms
        }
        AddedLatency.Reading r = latency.read(2_000);
        assertEquals(100, r.count());
        assertEquals(5.0, r.p50Ms(), 0.1, "2 significant digits: within 1%");
        assertEquals(9.9, r.p99Ms(), 0.15);
        assertEquals(10.0, r.maxMs(), 0.15);
        assertTrue(r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs());
    }

    @Test
    void framesOlderThanAMinuteLeaveTheReading() {
        AddedLatency latency = new AddedLatency();
        latency.record(50_000_000L);
        assertEquals(1, latency.read(10_000).count());
        latency.record(1_000_000L);
        AddedLatency.Reading later = latency.read(10_000 + AddedLatency.WINDOW_MS + 1);
        assertEquals(1, later.count(), "only the recent frame: " + later);
        assertEquals(1.0, later.maxMs(), 0.015);
    }

    @Test
    void negativeAndHugeValuesAreClamped() {
        AddedLatency latency = new AddedLatency();
        latency.record(-5);
        latency.record(Long.MAX_VALUE);
        AddedLatency.Reading r = latency.read(0);
        assertEquals(2, r.count());
        assertEquals(0.0, r.p50Ms(), 0.001);
        assertEquals(60_000.0, r.maxMs(), 700.0);
    }
}
