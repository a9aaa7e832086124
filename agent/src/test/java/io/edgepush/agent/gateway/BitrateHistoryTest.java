package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bitrate ring ({@link BitrateRing}) and the per-stream history served on {@code GET /history}
 * ({@link BitrateHistory}): bit/s from byte-count deltas over monotonic time, oldest first, the oldest overwritten
 * when full, a counter reset counted from zero, rings dropped with their streams. Expected values by hand:
 * 62 500 bytes in 1 s are 500 000 bit/s.
 */
class BitrateHistoryTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void theFirstReadingIsOnlyTheBaseline() {
        BitrateRing ring = new BitrateRing(3);
        ring.sample(1_000_000, 0, 1_000);
        assertEquals(0, ring.size());
        assertEquals(0, ring.newestAtEpochMs());
        ring.sample(1_062_500, SECOND_NS, 2_000);
        assertEquals(1, ring.size());
        assertEquals(500_000, ring.bitrateBps(0));
        assertEquals(2_000, ring.newestAtEpochMs());
    }

    @Test
    void keepsTheNewestCapacitySamplesOldestFirst() {
        BitrateRing ring = new BitrateRing(3);
        long bytes = 0;
        ring.sample(bytes, 0, 0);
        for (int i = 1; i <= 5; i++) {
            bytes += 1000L * i; // i kB in 1 s: 8000 * i bit/s
            ring.sample(bytes, i * SECOND_NS, i * 1000L);
        }
        assertEquals(3, ring.size());
        assertEquals(24_000, ring.bitrateBps(0));
        assertEquals(32_000, ring.bitrateBps(1));
        assertEquals(40_000, ring.bitrateBps(2));
        assertEquals(5_000, ring.newestAtEpochMs());
        assertThrows(IndexOutOfBoundsException.class, () -> ring.bitrateBps(3));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.bitrateBps(-1));
    }

    @Test
    void usesTheTimeBetweenReadingsAndCountsAResetFromZero() {
        BitrateRing ring = new BitrateRing(4);
        ring.sample(500_000, 0, 0);
        ring.sample(562_500, 5 * SECOND_NS, 5_000); // 62 500 bytes in 5 s
        ring.sample(12_500, 10 * SECOND_NS, 10_000); // restarted: 12 500 bytes since
        ring.sample(12_500, 10 * SECOND_NS, 10_000); // no time passed: no sample
        assertEquals(2, ring.size());
        assertEquals(100_000, ring.bitrateBps(0));
        assertEquals(20_000, ring.bitrateBps(1));
    }

    @Test
    void aRingNeedsRoom() {
        assertThrows(IllegalArgumentException.class, () -> new BitrateRing(0));
    }

    @Test
    void historyServesEveryStreamAndDropsTheRingsOfStreamsThatWentAway() {
        Counter main = new Counter("CAM_1", "main");
        Counter sub = new Counter("CAM_1", "sub");
        BitrateHistory history = new BitrateHistory(COUNTERS, 60);
        history.sample(List.of(main, sub), 0, 1_000);
        main.bytes = 62_500;
        history.sample(List.of(main, sub), SECOND_NS, 2_000);

        JsonNode doc = history.json(2_500);
        assertEquals(5, doc.path("interval_sec").asInt());
        assertEquals(60, doc.path("capacity").asInt());
        assertEquals(2_500, doc.path("timestamp").asLong());
        assertEquals(2, doc.path("streams").size());
        JsonNode first = doc.path("streams").get(0);
        assertEquals("CAM_1", first.path("device_id").asText());
        assertEquals("main", first.path("stream_name").asText());
        assertEquals(2_000, first.path("newest_at").asLong());
        assertEquals("[500000]", first.path("bitrate_bps").toString());
        assertEquals("[0]", doc.path("streams").get(1).path("bitrate_bps").toString());

        history.sample(List.of(sub), 2 * SECOND_NS, 3_000);
        doc = history.json(3_000);
        assertEquals(1, doc.path("streams").size(), doc.toString());
        assertEquals("sub", doc.path("streams").get(0).path("stream_name").asText());
        assertEquals("[0,0]", doc.path("streams").get(0).path("bitrate_bps").toString());

        Counter mainAgain = new Counter("CAM_1", "main"); // a new session of the same name starts a new ring
        mainAgain.bytes = 1_000_000;
        history.sample(List.of(sub, mainAgain), 3 * SECOND_NS, 4_000);
        doc = history.json(4_000);
        assertEquals("main", doc.path("streams").get(1).path("stream_name").asText());
        assertEquals("[]", doc.path("streams").get(1).path("bitrate_bps").toString(), "only a baseline yet");
        assertEquals(0, doc.path("streams").get(1).path("newest_at").asLong());
    }

    /** A stream's running byte count, set by the test. */
    private static final class Counter {
        final String deviceId;
        final String streamName;
        long bytes;

        Counter(String deviceId, String streamName) {
            this.deviceId = deviceId;
            this.streamName = streamName;
        }
    }

    private static final BitrateHistory.Meter<Counter> COUNTERS = new BitrateHistory.Meter<>() {
        @Override
        public String deviceId(Counter c) {
            return c.deviceId;
        }

        @Override
        public String streamName(Counter c) {
            return c.streamName;
        }

        @Override
        public long bytesSent(Counter c) {
            return c.bytes;
        }
    };
}
