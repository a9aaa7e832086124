package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class ManagedProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void capturesOutputAndCloseStopsTheProcessAndItsChildren() {
        ManagedProcess process = ManagedProcess.start("sleeper",
                List.of("sh", "-c", "echo ready on stdout; echo and stderr >&2; sleep 60 & wait"), dir, dir.resolve("log"));
        process.waitForLogLine("ready on stdout", TIMEOUT).waitForLogLine("and stderr", TIMEOUT);
        List<ProcessHandle> children = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
        process.close();
        assertFalse(process.isAlive());
        children.forEach(child -> Await.until(() -> !child.isAlive(), TIMEOUT, "child " + child.pid() + " to die"));
        process.close();
    }

    @Test
    void processThatExitsEarlyFailsTheWaitWithItsLog() {
        try (ManagedProcess process = ManagedProcess.start("quitter",
                List.of("sh", "-c", "echo cannot bind; exit 3"), dir, dir.resolve("log"))) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> process.waitForPort(FreePorts.tcp(), TIMEOUT));
            assertTrue(e.getMessage().contains("quitter exited with status 3"), e.getMessage());
            assertTrue(e.getMessage().contains("cannot bind"), e.getMessage());
        }
    }

    @Test
    void awaitExitReturnsTheStatusAndTimesOutOnARunningProcess() {
        try (ManagedProcess quick = ManagedProcess.start("quick", List.of("sh", "-c", "exit 7"), dir, dir.resolve("q"));
                ManagedProcess slow = ManagedProcess.start("slow", List.of("sleep", "60"), dir, dir.resolve("s"))) {
            assertEquals(7, quick.awaitExit(TIMEOUT));
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> slow.awaitExit(Duration.ofMillis(50)));
            assertTrue(e.getMessage().startsWith("timed out after 0.05s waiting for: slow to exit"), e.getMessage());
        }
    }

    @Test
    void processesRunReturnsExitCodeAndBothStreams() {
        Processes.Result result = Processes.run(List.of("sh", "-c", "echo out; echo err >&2; exit 2"));
        assertEquals(2, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, result::requireSuccess);
        assertTrue(e.getMessage().contains("exited with 2: err"), e.getMessage());
    }
}
