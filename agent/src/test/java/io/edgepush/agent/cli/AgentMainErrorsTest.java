package io.edgepush.agent.cli;

import io.edgepush.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad usage and bad configs end in exit status 2 with a message that says what to fix (DESIGN.md
 * sections 5 and 6), before any camera, broker or RTMP server is touched.
 */
class AgentMainErrorsTest {
    private static final String MINIMAL_HEAD = "{\"gateway_id\": \"gw-t\", \"mqtt\": {\"broker_url\": \"tcp://127.0.0.1:1\"},"
            + " \"cameras\": [{\"device_id\": \"CAM_A\", \"streams\": [{}]}]";

    @TempDir
    Path dir;

    @Test
    void runWithAStringWhereAnIntegerBelongsExits2NamingTheJsonPath() throws IOException {
        Path config = dir.resolve("agent.json");
        Files.writeString(config, MINIMAL_HEAD + ", \"streaming\": {\"max_retry_attempts\": \"ten\"}}");
        StdStreams r = StdStreams.agent("run", "--config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.streaming.max_retry_attempts"), r::describe);
    }

    @Test
    void runWithAnMqttKeyFileThatIsNotAPkcs8KeyExits2NamingTheJsonPath() throws IOException {
        Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n");
        Path cert = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        Path config = dir.resolve("agent.json");
        String tls = "\"tls\": {\"cert_file\": \"" + cert + "\", \"key_file\": \"" + key + "\"}";
        Files.writeString(config, MINIMAL_HEAD.replace("\"mqtt\": {", "\"mqtt\": {" + tls + ", ") + "}");
        StdStreams r = StdStreams.agent("run", "--config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.mqtt.tls.key_file: " + key + ": expected a PKCS#8 PEM key"), r::describe);

        byte[] pkcs8;
        try {
            pkcs8 = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n");
        r = StdStreams.agent("run", "--config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.mqtt.tls.cert_file: "), r::describe);
        assertTrue(r.stderr().contains(cert.toString()), r::describe);
    }

    @Test
    void runWithAPasswordFromAnUnsetEnvironmentVariableExits2NamingTheJsonPath() throws IOException {
        String unset = "EDGEPUSH_TEST_UNSET_" + System.nanoTime();
        Path config = dir.resolve("agent.json");
        Files.writeString(config, MINIMAL_HEAD.replace("\"mqtt\": {",
                "\"mqtt\": {\"password\": {\"env\": \"" + unset + "\"}, ") + "}");
        StdStreams r = StdStreams.agent("run", "--config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("$.mqtt.password.env: environment variable " + unset + " is not set"),
                r::describe);
    }

    @Test
    void runWithAMissingConfigFileExits2() {
        Path missing = dir.resolve("no-such-config.json");
        StdStreams r = StdStreams.agent("run", "--config", missing.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("no-such-config.json"), r::describe);
    }

    @Test
    void runWithMalformedJsonExits2() throws IOException {
        Path config = dir.resolve("broken.json");
        Files.writeString(config, "{\"gateway_id\": \"gw-01\", \"mqtt\": {\"broker_url\": \"tcp://127.0.0.1:1883\",}}");
        StdStreams r = StdStreams.agent("run", "--config", config.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("invalid JSON"), r::describe);
    }

    @Test
    void runWithoutConfigOptionExits2() {
        StdStreams r = StdStreams.agent("run");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--config"), r::describe);
    }

    @Test
    void pushWithAMissingInputFileExits2() {
        Path missing = dir.resolve("absent.h264");
        StdStreams r = StdStreams.agent("push", "--input", missing.toString(), "--url", "rtmp://127.0.0.1:1/live/key");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("absent.h264"), r::describe);
    }

    @Test
    void pushToAnHttpUrlExits2NamingTheScheme() {
        String input = Fixtures.repoFixture("small.h264").toString();
        StdStreams r = StdStreams.agent("push", "--input", input, "--url", "http://127.0.0.1:1/live/key");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--url") && r.stderr().contains("http"), r::describe);
    }

    @Test
    void pushWithRecordInAMissingDirectoryExits2() {
        String input = Fixtures.repoFixture("small.h264").toString();
        StdStreams r = StdStreams.agent("push", "--input", input, "--url", "rtmp://127.0.0.1:1/live/key",
                "--record", "/nonexistent-dir-for-edgepush/out.flv");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--record /nonexistent-dir-for-edgepush/out.flv: not a file in an existing"
                + " directory"), r::describe);
    }

    @Test
    void pushWithZeroFpsExits2() {
        String input = Fixtures.repoFixture("small.h264").toString();
        StdStreams r = StdStreams.agent("push", "--input", input, "--url", "rtmp://127.0.0.1:1/live/key",
                "--fps", "0");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--fps"), r::describe);
    }

    @Test
    void pushWithANonNumericFpsExits2() {
        String input = Fixtures.repoFixture("small.h264").toString();
        StdStreams r = StdStreams.agent("push", "--input", input, "--url", "rtmp://127.0.0.1:1/live/key",
                "--fps", "fast");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--fps"), r::describe);
    }

    @Test
    void noSubcommandExits2() {
        StdStreams r = StdStreams.agent();
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("run") && r.stderr().contains("push"), r::describe);
    }

    @Test
    void unknownSubcommandExits2() {
        StdStreams r = StdStreams.agent("fly");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("fly"), r::describe);
    }
}
