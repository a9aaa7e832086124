package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Timeline}: source decode times to stream timestamps. Every expected value below is worked out by hand
 * from the class docstring (frame interval 40 ms, i.e. 25 fps, unless said otherwise).
 */
class TimelineTest {
    private static final long INTERVAL = 40;

    /** Feeds {@code (sourceDts, now)} pairs and returns the timestamps as unsigned 32-bit values. */
    private static List<Long> feed(Timeline t, long[][] frames) {
        List<Long> out = new ArrayList<>();
        for (long[] f : frames) {
            out.add(Integer.toUnsignedLong(t.next(f[0], f[1])));
        }
        return out;
    }

    @Test
    void aNewTimelineMapsTheFirstFrameToZeroAndKeepsTheSourceSpacing() {
        Timeline t = new Timeline(INTERVAL);
        assertFalse(t.written());
        assertEquals(0, t.lastMs(), "the first timestamp before any frame");
        // a camera clock that started long ago, irregular spacing (40, 60, 35 ms)
        List<Long> ts = feed(t, new long[][] {{987_000, 5}, {987_040, 45}, {987_100, 105}, {987_135, 140}});
        assertEquals(List.of(0L, 40L, 100L, 135L), ts);
        assertTrue(t.written());
        assertEquals(135, t.lastMs());
    }

    @Test
    void aRestartMapsTheNextFrameToZeroAgainWhateverWasWrittenBefore() {
        Timeline t = new Timeline(INTERVAL);
        feed(t, new long[][] {{0, 0}, {40, 40}, {80, 80}});
        t.restart(0);
        assertFalse(t.written(), "a restart starts a new timeline");
        assertEquals(0, t.lastMs());
        assertEquals(List.of(0L, 40L), feed(t, new long[][] {{5000, 90}, {5040, 130}}),
                "no re-anchoring after the last timestamp of the previous timeline");
    }

    @Test
    void aRestartPastTwoToTheThirtyOneContinuesAcrossTheThirtyTwoBitWrap() {
        Timeline t = new Timeline(INTERVAL);
        long first = 4_294_967_200L; // 2^32 - 96
        t.restart((int) first);
        assertEquals(first, Integer.toUnsignedLong(t.lastMs()), "the first timestamp, read unsigned");
        List<Long> ts = feed(t, new long[][] {{500, 0}, {540, 40}, {600, 100}, {640, 140}});
        // 2^32 - 96, 2^32 - 56, then 2^32 + 4 and 2^32 + 44 wrap to 4 and 44
        assertEquals(List.of(4_294_967_200L, 4_294_967_240L, 4L, 44L), ts);
        assertEquals(-96, (int) first, "the int given to restart() is negative: only the unsigned reading counts");
    }

    @Test
    void aRestartJustPastTwoToTheThirtyOneIsReadUnsigned() {
        Timeline t = new Timeline(INTERVAL);
        t.restart(Integer.MIN_VALUE); // 2^31
        assertEquals(List.of(2_147_483_648L, 2_147_483_688L), feed(t, new long[][] {{0, 0}, {40, 40}}));
    }

    @Test
    void replayedFramesReAnchorOneIntervalAfterTheLastAndKeepTheirSpacing() {
        Timeline t = new Timeline(INTERVAL);
        assertEquals(List.of(0L, 40L, 80L), feed(t, new long[][] {{0, 0}, {40, 40}, {80, 80}}));
        // the buffered GOP sent again from its keyframe (source 0): 80 + 40 = 120, then 160, 200
        assertEquals(List.of(120L, 160L, 200L), feed(t, new long[][] {{0, 100}, {40, 101}, {80, 102}}));
        // live frames after the replay keep the source spacing on the new anchor: 120 + 120 = 240, 120 + 160
        assertEquals(List.of(240L, 280L), feed(t, new long[][] {{120, 120}, {160, 160}}));
    }

    @Test
    void aFrameWithTheSameSourceTimeAsTheLastIsPlacedOneIntervalLater() {
        Timeline t = new Timeline(INTERVAL);
        feed(t, new long[][] {{1000, 0}, {1040, 40}});
        assertEquals(List.of(80L, 100L), feed(t, new long[][] {{1040, 41}, {1060, 60}}),
                "source 1040 again: 40 + 40; then 1060 keeps its 20 ms spacing from it");
    }

    @Test
    void aSourceRestartContinuesAfterTheWallClockTimeAway() {
        Timeline t = new Timeline(INTERVAL);
        assertEquals(List.of(0L, 40L, 80L), feed(t, new long[][] {{0, 1000}, {40, 1040}, {80, 1080}}));
        t.sourceRestarted();
        // camera back after 3 s with its clock restarted near 5: 80 + max(40, 4080 - 1080) = 3080
        assertEquals(List.of(3080L, 3120L), feed(t, new long[][] {{5, 4080}, {45, 4120}}));
        t.sourceRestarted();
        // back after only 10 ms of wall time: at least one interval, 3120 + 40 = 3160, then spacing 40 again
        assertEquals(List.of(3160L, 3200L), feed(t, new long[][] {{7, 4130}, {47, 4170}}));
    }

    @Test
    void aSourceRestartWhoseClockJumpedForwardStillUsesTheTimeAwayNotTheSourceGap() {
        Timeline t = new Timeline(INTERVAL);
        feed(t, new long[][] {{0, 0}, {40, 40}});
        t.sourceRestarted();
        // source jumped by an hour, wall clock by 200 ms: 40 + max(40, 240 - 40) = 240
        assertEquals(List.of(240L, 280L), feed(t, new long[][] {{3_600_000, 240}, {3_600_040, 280}}));
    }

    @Test
    void aSourceRestartBeforeAnyFrameStillStartsAtTheFirstTimestamp() {
        Timeline t = new Timeline(INTERVAL);
        t.restart(500);
        t.sourceRestarted();
        assertEquals(List.of(500L, 540L), feed(t, new long[][] {{77, 9000}, {117, 9040}}));
    }

    @Test
    void theFrameIntervalIsAtLeastOneMillisecond() {
        Timeline t = new Timeline(0);
        assertEquals(1, t.frameIntervalMs());
        feed(t, new long[][] {{10, 0}});
        assertEquals(List.of(1L), feed(t, new long[][] {{10, 0}}), "a repeated source time moves 1 ms on");
    }

    @Test
    void timestampsNeverGoBackWhateverTheSourceDoes() {
        Timeline t = new Timeline(INTERVAL);
        long[] sourceDts = {0, 40, 80, 80, 20, 120, 0, 40, 5000, 4000, 4040, 0, 0, 10, 9000, 8999};
        long previous = -1;
        long now = 0;
        for (int i = 0; i < sourceDts.length; i++) {
            if (i == 6 || i == 11) {
                t.sourceRestarted();
            }
            if (i == 9) {
                t.restart(0);
                previous = -1; // a restart is a new timeline: it may start below the old one
            }
            now += i % 3 == 0 ? 0 : 17;
            long ts = Integer.toUnsignedLong(t.next(sourceDts[i], now));
            assertTrue(ts > previous, "frame " + i + " (source " + sourceDts[i] + "): " + ts + " after " + previous);
            previous = ts;
        }
    }
}
