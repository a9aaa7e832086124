package io.edgepush.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent check-config FILE} (DESIGN.md section 6, issue 14 item 4): exit 0 with one summary line for a good
 * config, exit 2 naming the JSON path for a bad one, a missing file or invalid JSON; it starts nothing.
 */
class CheckConfigCommandTest {
    private static final Path EXAMPLE = Path.of("../config/agent.example.json");
    private static final Path DEMO = Path.of("../config/demo.json");

    @TempDir
    Path dir;

    @Test
    void theShippedConfigsPassWithOneSummaryLine() {
        StdStreams r = StdStreams.agent("check-config", EXAMPLE.toString());
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("config OK: " + EXAMPLE + " (1 cameras, 1 streams)\n", r.stdout(), r::describe);
        r = StdStreams.agent("check-config", DEMO.toString());
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("config OK: " + DEMO + " (3 cameras, 3 streams)\n", r.stdout(), r::describe);
    }

    @Test
    void startsNothingEvenWhereRunWouldFailToBindOrConnect() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            Path config = copyOfExample("\"listen\": \"127.0.0.1:9100\"", "\"listen\": \"127.0.0.1:" + port + "\"");
            StdStreams r = StdStreams.agent("check-config", config.toString());
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().startsWith("config OK: "), r::describe);
            // Exit 0 although the HTTP port is taken: nothing was bound. No log line either (no MQTT connect, no
            // listener); the Jazzer agent of the fuzz tests in this JVM may note its instrumentation on stderr.
            assertEquals(List.of(), r.stderr().lines().filter(l -> !l.startsWith("INFO: Instrumented")).toList(),
                    r::describe);
        }
    }

    @Test
    void anUnknownNestedKeyExits2NamingItsPathAndTheClosestKey() throws IOException {
        Path config = copyOfExample("\"max_retry_attempts\"", "\"max_retry_attempt\"");
        StdStreams r = StdStreams.agent("check-config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertEquals("", r.stdout(), r::describe);
        assertEquals("config error in " + config + ": $.streaming.max_retry_attempt: unknown key 'max_retry_attempt';"
                + " did you mean 'max_retry_attempts'?\n", r.stderr(), r::describe);
    }

    @Test
    void severalProblemsArePrintedOnePerLine() throws IOException {
        Path config = copyOfExample("\"quality\": \"high\"", "\"quality\": \"best\"", "\"baud\": 2000000",
                "\"baud\": \"fast\"");
        StdStreams r = StdStreams.agent("check-config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertEquals("config error in " + config + ": $.cameras[0].streams[0].quality: unknown quality \"best\""
                + " (valid: low, medium, high, ultra, custom)\n"
                + "$.ingest.serial_ports[0].baud: expected integer, got string \"fast\"\n", r.stderr(), r::describe);
    }

    @Test
    void aProblemOnlyTheAgentsOwnChecksSeeExits2() throws IOException {
        Path config = copyOfExample("\"url_template\": null", "\"url_template\": \"rtmp://h/live/{foo}\"");
        StdStreams r = StdStreams.agent("check-config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.cameras[0].streams[0].rtmp.url_template: unknown variable {foo}"),
                r::describe);
    }

    @Test
    void anUnsetSecretVariableExits2AsRunWould() throws IOException {
        String unset = "EDGEPUSH_TEST_UNSET_" + System.nanoTime();
        Path config = copyOfExample("\"password\": null", "\"password\": {\"env\": \"" + unset + "\"}");
        StdStreams r = StdStreams.agent("check-config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.mqtt.password.env: environment variable " + unset + " is not set"),
                r::describe);
    }

    @Test
    void aMissingFileExits2() {
        Path missing = dir.resolve("no-such-config.json");
        StdStreams r = StdStreams.agent("check-config", missing.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertEquals("config error in " + missing + ": $: cannot read config file " + missing + ": no such file\n",
                r.stderr(), r::describe);
    }

    @Test
    void anUnreadableFileExits2() {
        StdStreams r = StdStreams.agent("check-config", dir.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().startsWith("config error in " + dir + ": $: cannot read config file " + dir + ": "),
                r::describe);
    }

    @Test
    void invalidJsonExits2WithLineAndColumn() throws IOException {
        Path config = Files.writeString(dir.resolve("broken.json"), "{\"gateway_id\": \"gw\",\n  \"mqtt\": }\n");
        StdStreams r = StdStreams.agent("check-config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$: invalid JSON at line 2, column "), r::describe);
    }

    @Test
    void noFileArgumentIsAUsageError() {
        StdStreams r = StdStreams.agent("check-config");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("FILE"), r::describe);
    }

    /** agent.example.json in the temp dir with each (from, to) pair replaced once. */
    private Path copyOfExample(String... fromTo) throws IOException {
        String text = Files.readString(EXAMPLE);
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(text.contains(fromTo[i]), fromTo[i]);
            text = text.replaceFirst(java.util.regex.Pattern.quote(fromTo[i]),
                    java.util.regex.Matcher.quoteReplacement(fromTo[i + 1]));
        }
        return Files.writeString(dir.resolve("agent.json"), text);
    }
}
