package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Await.until(() -> calls.incrementAndGet() >= 3, Duration.ofSeconds(10), "third call");
        assertEquals(3, calls.get());
    }

    @Test
    void timeoutMessageNamesTheDurationAndWhatWasAwaited() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Await.until(() -> false, Duration.ofMillis(100), "the moon to turn blue"));
        assertEquals("timed out after 0.1s waiting for: the moon to turn blue", e.getMessage());
    }

    @Test
    void wholeSecondsArePrintedWithoutDecimals() {
        assertEquals("5", Await.seconds(Duration.ofSeconds(5)));
        assertEquals("0.25", Await.seconds(Duration.ofMillis(250)));
    }

    @Test
    void portWaitsForAListenerAndFailsWhenThereIsNone() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Await.port("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5));
        }
        int closed = FreePorts.tcp();
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Await.port("127.0.0.1", closed, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    }
}
