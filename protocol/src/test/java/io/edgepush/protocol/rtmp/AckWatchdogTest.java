package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Half-open detection from Acknowledgements (RTMP spec 5.4.3), with a clock the test controls. */
class AckWatchdogTest {
    private static final long WINDOW = 1000;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final AckWatchdog watchdog = new AckWatchdog(100);

    @Test
    void aServerThatNeverAcknowledgesIsNotJudged() {
        assertNull(watchdog.check(1_000_000, WINDOW, 10_000 * MS));
    }

    @Test
    void noWindowAnnouncedMeansNoCheck() {
        watchdog.onAcknowledgement(0, 0);
        assertNull(watchdog.check(1_000_000, 0, 10_000 * MS));
    }

    @Test
    void moreThanTwoWindowsUnacknowledgedForTheTimeoutIsHalfOpen() {
        watchdog.onAcknowledgement(500, 0);
        assertNull(watchdog.check(500 + 2 * WINDOW, WINDOW, 1000 * MS), "exactly two windows is still fine");
        assertNull(watchdog.check(500 + 2 * WINDOW + 1, WINDOW, 99 * MS), "not yet the timeout");
        String why = watchdog.check(500 + 2 * WINDOW + 1, WINDOW, 100 * MS);
        assertNotNull(why);
        assertTrue(why.contains("2001 bytes"), why);
    }

    @Test
    void anAdvancingAcknowledgementRestartsTheClock() {
        watchdog.onAcknowledgement(0, 0);
        watchdog.onAcknowledgement(1000, 90 * MS);
        assertNull(watchdog.check(3500, WINDOW, 150 * MS));
        watchdog.onAcknowledgement(1000, 160 * MS); // the same sequence again is no progress
        assertNotNull(watchdog.check(3500, WINDOW, 190 * MS));
    }

    @Test
    void sequenceNumbersWrapAt32Bits() {
        watchdog.onAcknowledgement(0xFFFFFF00L, 0);
        assertNull(watchdog.check(0x1_0000_0100L, WINDOW, 1000 * MS), "0x200 bytes past the wrap");
        assertNotNull(watchdog.check(0x1_0000_0800L, WINDOW, 1000 * MS), "0x900 > 2 windows past the wrap");
    }

    @Test
    void aServerCountingMoreThanWeSentIsNotHalfOpen() {
        watchdog.onAcknowledgement(5000, 0); // e.g. counts the handshake bytes too
        assertNull(watchdog.check(4000, WINDOW, 1000 * MS));
    }
}
