package io.edgepush.agent.cli;

import io.edgepush.testkit.Processes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config/edge-agent.service}, the systemd unit the package installs (issue 14 item 4): the keys that make it
 * an unattended service (restart on failure and never give up, an unprivileged user in {@code dialout}, the
 * config read from {@code /etc/edge-agent/agent.json}, a stop timeout above the agent's 5 s shutdown bound, no
 * {@code ExecReload}), and {@code systemd-analyze verify} when this machine has it.
 */
class ServiceUnitTest {
    private static final Path UNIT = Path.of("../config/edge-agent.service");

    @Test
    void unitRunsTheAgentAsAnUnattendedUnprivilegedService() throws Exception {
        Map<String, List<String>> keys = keys(Files.readAllLines(UNIT));
        assertEquals(List.of("exec"), keys.get("Type"));
        assertEquals(List.of("/opt/edgepush/bin/edge-agent run --config /etc/edge-agent/agent.json"),
                keys.get("ExecStart"));
        assertEquals(List.of("edge-agent"), keys.get("User"));
        assertEquals(List.of("edge-agent"), keys.get("Group"));
        assertEquals(List.of("dialout"), keys.get("SupplementaryGroups"));
        assertEquals(List.of("on-failure"), keys.get("Restart"));
        assertTrue(Integer.parseInt(keys.get("RestartSec").get(0)) > 0, "restarts are spaced out");
        assertEquals(List.of("0"), keys.get("StartLimitIntervalSec"), "never stops restarting");
        assertEquals(List.of("2"), keys.get("RestartPreventExitStatus"), "a bad config is not restarted");
        assertEquals(List.of("SIGTERM"), keys.get("KillSignal"));
        long stopTimeoutMs = Long.parseLong(keys.get("TimeoutStopSec").get(0)) * 1000;
        assertTrue(stopTimeoutMs > RunCommand.STOP_WATCHDOG_MS + 400, "above the agent's 5 s shutdown bound");
        assertFalse(keys.containsKey("ExecReload"), "the agent has no reload");
        assertEquals(List.of("yes"), keys.get("NoNewPrivileges"));
        assertEquals(List.of("strict"), keys.get("ProtectSystem"));
        assertFalse(keys.containsKey("PrivateDevices"), "serial ports stay visible");
        assertFalse(keys.containsKey("MemoryDenyWriteExecute"), "the JIT needs executable memory");
        assertEquals(List.of("multi-user.target"), keys.get("WantedBy"));
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Processes.Result which = Processes.run(List.of("sh", "-c", "command -v systemd-analyze"));
        Assumptions.assumeTrue(which.exitCode() == 0, "systemd-analyze not installed");
        // verify checks that ExecStart exists: point it at a stand-in launcher under dir.
        Path launcher = Files.createDirectories(dir.resolve("bin")).resolve("edge-agent");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path unit = dir.resolve("edge-agent.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/opt/edgepush/", dir + "/"));
        Processes.Result verify = Processes.run(List.of(which.stdout().strip(), "verify", unit.toString()),
                Duration.ofSeconds(60));
        assertEquals(0, verify.exitCode(), verify.toString());
        assertEquals("", verify.stderr().strip(), "no warnings: " + verify);
    }

    /** Every {@code Key=value} line (comments and section headers skipped), values by key in file order. */
    private static Map<String, List<String>> keys(List<String> lines) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String line : lines) {
            String text = line.strip();
            int eq = text.indexOf('=');
            if (text.isEmpty() || text.startsWith("#") || text.startsWith("[") || eq < 0) {
                continue;
            }
            keys.computeIfAbsent(text.substring(0, eq), k -> new ArrayList<>()).add(text.substring(eq + 1));
        }
        return keys;
    }
}
