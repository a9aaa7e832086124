package io.edgepush.testkit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/** Polls a condition with a deadline: the only way tests in this project wait (no bare sleeps). */
public final class Await {
    /** Interval between two evaluations of the condition. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Await() {
    }

    /**
     * Evaluates {@code condition} about every 20 ms until it returns true or {@code timeout} passes.
     *
     * @param what what is being waited for, for the failure message
     * @throws org.opentest4j.AssertionFailedError "timed out after 5s waiting for: what" on timeout
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        until(condition, timeout, () -> what);
    }

    /** As {@link #until(BooleanSupplier, Duration, String)}; {@code what} is built only on timeout (e.g. a log tail). */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                Assertions.fail("timed out after " + seconds(timeout) + "s waiting for: " + what.get());
            }
            pause();
        }
    }

    /** Waits until a TCP connection to host:port succeeds (each probe connects and closes at once). */
    public static void port(String host, int port, Duration timeout) {
        until(() -> FreePorts.canConnect(host, port), timeout, "TCP port " + host + ":" + port + " to accept connections");
    }

    /** "5", "0.25": the timeout in seconds without trailing zeros. */
    static String seconds(Duration timeout) {
        return BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
