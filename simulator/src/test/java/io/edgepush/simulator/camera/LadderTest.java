package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rung a ladder camera plays for a requested setting (pure). Criteria in order: bitrate not above the request,
 * closest picture size by ratio, closest fps, closest bitrate; a full tie goes to the higher rung.
 */
class LadderTest {
    private static final LadderRung R1080_2000 = rung("1920x1080_25_2000");
    private static final LadderRung R1080_1700 = rung("1920x1080_25_1700");
    private static final LadderRung R1080_1400 = rung("1920x1080_25_1400");
    private static final LadderRung R720_1200 = rung("1280x720_20_1200");
    private static final LadderRung R720_1000 = rung("1280x720_20_1000");
    private static final LadderRung R720_800 = rung("1280x720_20_800");
    private static final LadderRung R720_700 = rung("1280x720_20_700");
    private static final LadderRung R480_600 = rung("640x480_15_600");
    private static final LadderRung R480_500 = rung("640x480_15_500");
    private static final LadderRung R480_400 = rung("640x480_15_400");
    private static final LadderRung R480_300 = rung("640x480_15_300");
    /** scripts/make-ladder.sh's default ladder, given in no particular order. */
    private static final Ladder DEFAULT = new Ladder(List.of(R480_300, R720_800, R1080_1400, R480_600, R720_1200,
            R1080_2000, R720_700, R480_400, R1080_1700, R720_1000, R480_500));
    private static final Ladder.Request START = Ladder.Request.of(R1080_2000);

    private static LadderRung rung(String name) {
        return LadderRung.parseFileName(name + ".h264");
    }

    @Test
    void startsOnTheHighestRungAndListsRungsHighestFirst() {
        assertEquals(R1080_2000, DEFAULT.highest());
        assertEquals(List.of(R1080_2000, R1080_1700, R1080_1400, R720_1200, R720_1000, R720_800, R720_700, R480_600,
                R480_500, R480_400, R480_300), DEFAULT.rungs());
        assertEquals(new Ladder.Request(1920, 1080, 25, 2_000_000), START);
        assertEquals(R1080_2000, DEFAULT.choose(START), "the starting request is the highest rung");
    }

    @Test
    void setBitrateKeepsTheSizeWhileARungOfThatSizeFitsUnderTheRequest() {
        assertEquals(R1080_1700, DEFAULT.choose(START.withBitrateBps(1_800_000)));
        assertEquals(R1080_1400, DEFAULT.choose(START.withBitrateBps(1_400_000)), "at the request is not over it");
        // No 1080p rung at or under 1.3 Mbps: the next size down, its bitrate closest to the request.
        assertEquals(R720_1200, DEFAULT.choose(START.withBitrateBps(1_300_000)));
        assertEquals(R720_1000, DEFAULT.choose(START.withBitrateBps(1_000_000)));
        assertEquals(R720_700, DEFAULT.choose(START.withBitrateBps(750_000)));
        assertEquals(R480_600, DEFAULT.choose(START.withBitrateBps(650_000)));
        assertEquals(R480_300, DEFAULT.choose(START.withBitrateBps(300_000)));
    }

    @Test
    void belowEveryRungTheSizeStillDecidesAmongRungsOverTheRequest() {
        // Every rung is over 250 kbps, so criterion 1 ties; the requested size (1080p) then wins over the bitrate.
        assertEquals(R1080_1400, DEFAULT.choose(START.withBitrateBps(250_000)));
        // Asked for 480p as well, the lowest rung.
        assertEquals(R480_300, DEFAULT.choose(START.withResolutionValue((640L << 16) | 480).withBitrateBps(1_000)));
    }

    @Test
    void setResolutionPicksTheClosestSizeByRatioUnderTheBitrate() {
        Ladder.Request hd = START.withResolutionValue((1280L << 16) | 720);
        assertEquals(R720_1200, DEFAULT.choose(hd), "1280x720 under 2 Mbps: the richest 720p rung");
        // 1024x576 has 1.56 times fewer pixels than 720p and 1.92 times more than 480p: 720p is closer.
        assertEquals(R720_1200, DEFAULT.choose(START.withResolutionValue((1024L << 16) | 576)));
        // 960x540 has 1.78 times fewer than 720p but only 1.69 times more than 480p: 480p, its richest rung.
        assertEquals(R480_600, DEFAULT.choose(START.withResolutionValue((960L << 16) | 540)));
        // 1600x900 is 1.44 times fewer than 1080p and 1.56 times more than 720p: 1080p is closer.
        assertEquals(R1080_2000, DEFAULT.choose(START.withResolutionValue((1600L << 16) | 900)));
    }

    @Test
    void setFpsOnlyBreaksTiesOfSize() {
        // Size outranks fps: 15 fps at 1080p and 2 Mbps stays on a 1080p rung (all are 25 fps).
        assertEquals(R1080_2000, DEFAULT.choose(START.withFps(15)));
        // Two rungs of the same size and bitrate: the closer fps wins.
        LadderRung slow = new LadderRung(1280, 720, 10, 1_000_000);
        LadderRung fast = new LadderRung(1280, 720, 30, 1_000_000);
        Ladder two = new Ladder(List.of(slow, fast));
        Ladder.Request request = Ladder.Request.of(fast);
        assertEquals(slow, two.choose(request.withFps(12)));
        assertEquals(fast, two.choose(request.withFps(25)));
    }

    @Test
    void presetsOfDesignSection4() {
        assertEquals(new Ladder.Request(640, 480, 15, 500_000), Ladder.Request.preset(0));
        assertEquals(new Ladder.Request(1280, 720, 20, 1_000_000), Ladder.Request.preset(1));
        assertEquals(new Ladder.Request(1920, 1080, 25, 2_000_000), Ladder.Request.preset(2));
        assertEquals(new Ladder.Request(1920, 1080, 30, 4_000_000), Ladder.Request.preset(3));
        assertEquals(R480_500, DEFAULT.choose(Ladder.Request.preset(0)));
        assertEquals(R720_1000, DEFAULT.choose(Ladder.Request.preset(1)));
        assertEquals(R1080_2000, DEFAULT.choose(Ladder.Request.preset(2)));
        assertEquals(R1080_2000, DEFAULT.choose(Ladder.Request.preset(3)), "ultra: the richest rung, under 4 Mbps");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ladder.Request.preset(4));
        assertEquals("preset must be 0 low, 1 medium, 2 high or 3 ultra, got 4", e.getMessage());
    }

    @Test
    void equalSizeRatiosTieExactlyAndAFullTieGoesToTheHigherRung() {
        // 200x100 and 800x100 are both exactly 2 times away from 400x100 (|ln 2| = |ln 1/2|).
        LadderRung narrow = new LadderRung(200, 100, 25, 500_000);
        LadderRung wide = new LadderRung(800, 100, 25, 500_000);
        Ladder ladder = new Ladder(List.of(narrow, wide));
        Ladder.Request between = new Ladder.Request(400, 100, 25, 1_000_000);
        assertEquals(wide, ladder.choose(between), "full tie: more pixels is the higher rung");
        // The bitrate criterion decides before the tie-break.
        LadderRung closer = new LadderRung(200, 100, 25, 900_000);
        assertEquals(closer, new Ladder(List.of(closer, wide)).choose(between));
    }

    @Test
    void absurdRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> START.withBitrateBps(0));
        assertThrows(IllegalArgumentException.class, () -> START.withBitrateBps(999));
        assertThrows(IllegalArgumentException.class, () -> START.withBitrateBps(1_000_000_001));
        assertThrows(IllegalArgumentException.class, () -> START.withFps(0));
        assertThrows(IllegalArgumentException.class, () -> START.withFps(241));
        assertThrows(IllegalArgumentException.class, () -> START.withResolutionValue(0));
        assertThrows(IllegalArgumentException.class, () -> START.withResolutionValue(1280L << 16));
        assertThrows(IllegalArgumentException.class, () -> START.withResolutionValue((9000L << 16) | 720));
        assertEquals(new Ladder.Request(16, 16, 240, 1_000), new Ladder.Request(16, 16, 240, 1_000));
    }

    @Test
    void aLadderHasRungsEachOnce() {
        assertThrows(IllegalArgumentException.class, () -> new Ladder(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Ladder(List.of(R480_300, R480_300)));
    }
}
