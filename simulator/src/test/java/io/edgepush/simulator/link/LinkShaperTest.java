package io.edgepush.simulator.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkShaperTest {
    private static final long MS = 1_000_000L;

    /** A hand-moved clock; starts at an arbitrary non-zero time to catch "time 0" assumptions. */
    private static final class FakeClock {
        long nowNanos = 7_000_000_000L;

        void advanceMs(long ms) {
            nowNanos += ms * MS;
        }
    }

    private record Piece(String owner, long bytes, long atNanos) {
    }

    private static List<Piece> drainInto(LinkShaper<String> link, FakeClock clock, List<Piece> out) {
        link.drain((owner, bytes) -> out.add(new Piece(owner, bytes, clock.nowNanos)));
        return out;
    }

    /** Drains every millisecond for {@code ms} milliseconds; returns the bytes delivered. */
    private static long runMs(LinkShaper<String> link, FakeClock clock, long ms) {
        long delivered = 0;
        for (int i = 0; i < ms; i++) {
            clock.advanceMs(1);
            delivered += link.drain((owner, bytes) -> { });
        }
        return delivered;
    }

    @Test
    void depthIsTenMillisecondsOfTheRateButAtLeast1500Bytes() {
        assertEquals(1500, LinkShaper.depthBytes(0));
        assertEquals(1500, LinkShaper.depthBytes(1_000_000)); // 10 ms of 1 Mbit/s is 1250 B
        assertEquals(62_500, LinkShaper.depthBytes(50_000_000)); // 10 ms of 50 Mbit/s
    }

    @Test
    void rateIsRespectedOverAWindow() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000, 0);
        link.arrive("a", 1_000_000);
        // The full bucket (1500 B) leaves at once; then 1 Mbit/s = 125 B per ms.
        assertEquals(1500, link.drain((o, b) -> { }));
        for (int ms = 1; ms <= 1000; ms++) {
            clock.advanceMs(1);
            link.drain((o, b) -> { });
            assertEquals(1500 + 125L * ms, link.deliveredBytes(), "bytes allowed = depth + rate * time at " + ms);
        }
        assertEquals(1_000_000 - 126_500, link.queuedBytes());
    }

    @Test
    void anIdleLinkBanksAtMostTheBucketDepth() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 8_000_000, 0); // 1000 B/ms, depth 10 kB
        clock.advanceMs(60_000);
        link.arrive("a", 50_000);
        assertEquals(10_000, link.drain((o, b) -> { }), "a minute of idling is still only one bucket");
        clock.advanceMs(3);
        assertEquals(3_000, link.drain((o, b) -> { }));
    }

    @Test
    void aRateChangeMidStreamAppliesFromThatMoment() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000, 0);
        link.arrive("a", 10_000_000);
        link.drain((o, b) -> { });
        assertEquals(62_500, runMs(link, clock, 500), "half a second at 1 Mbit/s");
        link.setRateBps(4_000_000);
        assertEquals(4_000_000, link.rateBps());
        assertEquals(250_000, runMs(link, clock, 500), "half a second at 4 Mbit/s");
        link.setRateBps(800_000);
        assertEquals(100_000, runMs(link, clock, 1000), "a second at 800 kbit/s");
        assertEquals(1500 + 62_500 + 250_000 + 100_000, link.deliveredBytes());
    }

    @Test
    void tokensAccruedBeforeAChangeAreKeptUpToTheNewDepth() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 80_000_000, 0); // depth 100 kB, full
        link.setRateBps(1_000_000); // depth 1500 B
        link.arrive("a", 10_000);
        assertEquals(1500, link.drain((o, b) -> { }));
    }

    @Test
    void aCallerWakingLateAtNextWakeLosesNoTokens() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 800_000, 0); // 100 B/ms, depth 1500 B
        link.arrive("a", 10_000_000);
        long start = clock.nowNanos;
        link.drain((o, b) -> { });
        while (clock.nowNanos - start < 10_000 * MS) {
            clock.nowNanos = Math.max(link.nextWakeNanos(), clock.nowNanos + MS) + 2 * MS; // a timer 2 ms late
            link.drain((o, b) -> { });
        }
        long elapsedNanos = clock.nowNanos - start;
        assertEquals(1500 + elapsedNanos / 10_000, link.deliveredBytes(), "depth + rate * time (1 B per 10 us)");
    }

    @Test
    void aLongGapWhileBytesWaitSendsAtMostTwoDepths() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000, 0); // 125 B/ms, depth 1500 B
        link.arrive("a", 1_000_000);
        assertEquals(1500, link.drain((o, b) -> { }));
        clock.advanceMs(1000); // the caller slept a second: the link owed 125 kB
        assertEquals(3000, link.drain((o, b) -> { }), "one depth of catch-up plus a full bucket, not 125 kB");
        clock.advanceMs(1);
        assertEquals(125, link.drain((o, b) -> { }));
    }

    @Test
    void rateZeroPausesAndResumeStartsWithAnEmptyBucket() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 0, 0);
        link.arrive("a", 5_000);
        assertEquals(0, link.drain((o, b) -> { }), "paused from the start: the bucket is empty");
        assertEquals(0, runMs(link, clock, 10_000));
        assertEquals(Long.MAX_VALUE, link.nextWakeNanos(), "nothing to wake for while paused");
        assertEquals(5_000, link.queuedBytes());

        link.setRateBps(1_000_000);
        assertEquals(0, link.drain((o, b) -> { }), "resumed with no tokens");
        assertEquals(clock.nowNanos + 12 * MS, link.nextWakeNanos(), "1500 B at 125 B/ms");
        assertEquals(1_250, runMs(link, clock, 10));

        link.setRateBps(0);
        assertEquals(0, runMs(link, clock, 1000), "paused again mid-stream: unused tokens are gone");
        link.setRateBps(8_000_000);
        assertEquals(3_750, runMs(link, clock, 4), "the rest at 1000 B/ms, starting from an empty bucket");
        assertEquals(0, link.queuedBytes());
    }

    @Test
    void pausingDoesNotHoldBackBytesAlreadyOnTheWire() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000, 40);
        link.arrive("a", 2_000);
        assertEquals(0, link.drain((o, b) -> { }));
        assertEquals(1_500, link.inFlightBytes());
        link.setRateBps(0);
        clock.advanceMs(40);
        assertEquals(1_500, link.drain((o, b) -> { }));
        assertEquals(500, link.queuedBytes());
    }

    @Test
    void nothingIsDeliveredBeforeArrivalPlusDelay() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000_000, 50);
        long arrival = clock.nowNanos;
        link.arrive("a", 1_000);
        assertEquals(0, link.drain((o, b) -> { }));
        assertEquals(arrival + 50 * MS, link.nextWakeNanos());
        clock.nowNanos = arrival + 50 * MS - 1;
        assertEquals(0, link.drain((o, b) -> { }));
        clock.nowNanos = arrival + 50 * MS;
        assertEquals(1_000, link.drain((o, b) -> { }));
        assertEquals(Long.MAX_VALUE, link.nextWakeNanos());
    }

    @Test
    void queueingAddsToTheDelayAndNoByteEverLeavesEarly() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 800_000, 30); // 100 B/ms, depth 1500 B
        List<long[]> arrivals = new ArrayList<>(); // {first byte index, arrival time}
        List<Piece> out = new ArrayList<>();
        long arrived = 0;
        for (int ms = 0; ms < 2_000; ms++) {
            if (ms < 500 && ms % 10 == 0) {
                arrivals.add(new long[] {arrived, clock.nowNanos});
                link.arrive("a", 400); // 40 B/ms offered, well below the rate
                arrived += 400;
            }
            if (ms >= 500 && ms < 600) {
                arrivals.add(new long[] {arrived, clock.nowNanos});
                link.arrive("a", 300); // 300 B/ms offered: a queue builds
                arrived += 300;
            }
            drainInto(link, clock, out);
            clock.advanceMs(1);
        }
        long delivered = 0;
        for (Piece p : out) {
            long lastByte = delivered + p.bytes() - 1;
            long arrivalOfLastByte = 0;
            for (long[] a : arrivals) {
                if (a[0] <= lastByte) {
                    arrivalOfLastByte = a[1];
                }
            }
            assertTrue(p.atNanos() >= arrivalOfLastByte + 30 * MS,
                    "byte " + lastByte + " delivered " + (p.atNanos() - arrivalOfLastByte) / MS + " ms after arrival");
            delivered += p.bytes();
        }
        assertEquals(arrived, delivered);
        // The burst (30 kB at 100 B/ms after the first 1500 B) finished ~ 285 ms after it began, + 30 ms delay.
        Piece last = out.get(out.size() - 1);
        long burstStart = arrivals.get(50)[1];
        assertTrue(last.atNanos() - burstStart > 300 * MS, "queueing delay adds to the link delay");
    }

    @Test
    void ownersShareOneFifoAndKeepTheirOwnOrder() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 8_000_000, 0); // 1000 B/ms, depth 10 kB
        link.setRateBps(0);
        link.arrive("a", 600);
        link.arrive("b", 300);
        link.arrive("a", 200);
        link.setRateBps(8_000_000);
        clock.advanceMs(1);
        List<Piece> out = drainInto(link, clock, new ArrayList<>());
        assertEquals(List.of(new Piece("a", 600, clock.nowNanos), new Piece("b", 300, clock.nowNanos),
                new Piece("a", 100, clock.nowNanos)), out);
        assertEquals(100, link.queuedBytes());
    }

    @Test
    void forgetDropsOneOwnersBytesQueuedAndOnTheWire() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, 1_000_000, 20);
        link.arrive("a", 1_000);
        link.arrive("b", 1_000);
        link.arrive("a", 1_000);
        link.drain((o, b) -> { }); // 1500 B sent: a 1000, b 500
        assertEquals(1_500, link.inFlightBytes());
        assertEquals(2_000, link.forget("a"), "a's 1000 B on the wire and 1000 B still queued");
        assertEquals(500, link.queuedBytes());
        assertEquals(500, link.inFlightBytes());
        clock.advanceMs(20);
        List<Piece> out = drainInto(link, clock, new ArrayList<>());
        assertEquals(List.of(new Piece("b", 500, clock.nowNanos)), out);
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LinkShaper<String>(() -> 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinkShaper<String>(() -> 0, 1, -1));
        LinkShaper<String> link = new LinkShaper<>(() -> 0, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> link.setRateBps(LinkShaper.MAX_RATE_BPS + 1));
        assertThrows(IllegalArgumentException.class, () -> link.arrive("a", 0));
    }

    @Test
    void theLargestRateDoesNotOverflow() {
        FakeClock clock = new FakeClock();
        LinkShaper<String> link = new LinkShaper<>(() -> clock.nowNanos, LinkShaper.MAX_RATE_BPS, 0);
        clock.advanceMs(86_400_000L); // a day idle
        link.arrive("a", Integer.MAX_VALUE);
        assertEquals(LinkShaper.depthBytes(LinkShaper.MAX_RATE_BPS), link.drain((o, b) -> { }));
        clock.advanceMs(86_400_000L); // a day with 2 GB waiting
        assertEquals(2 * LinkShaper.depthBytes(LinkShaper.MAX_RATE_BPS), link.drain((o, b) -> { }));
    }
}
