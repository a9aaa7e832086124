package io.edgepush.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThrottleCommandTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theReportLineIsElapsedRateDeliveredOverTheLastIntervalAndQueue() {
        ThrottleCommand.Report report = new ThrottleCommand.Report(5 * S, 1_000);
        assertEquals("1 800 800.0 65536", report.next(6 * S, 800_000, 101_000, 65_536), "100 kB in 1 s = 800 kbit/s");
        assertEquals("2 800 400.0 0", report.next(7 * S, 800_000, 151_000, 0));
        assertEquals("4 0.5 0.0 12", report.next(9 * S, 500, 151_000, 12), "nothing delivered over 2 s");
        assertEquals("5 1200 1600.0 0", report.next(9 * S + S / 2, 1_200_000, 251_000, 0), "100 kB in 0.5 s");
    }
}
