package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3: {@code mqtt.username} and {@code mqtt.password} as a string, {@code {"env": NAME}} or
 * {@code {"file": PATH}}; {@code mqtt.will_delay_sec}; the warning for a config file with an inline password that
 * other users can read.
 */
class MqttSecretsConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    private static AgentConfig parse(ObjectNode root, Function<String, String> env) throws ConfigException {
        return ConfigLoader.parse(root.toString(), w -> { }, env);
    }

    private static ObjectNode mqtt(ObjectNode root) {
        return (ObjectNode) root.get("mqtt");
    }

    @Test
    void passwordAndUsernameFromTheEnvironment() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("env", "MQTT_PASSWORD");
        mqtt(root).putObject("username").put("env", "MQTT_USER");
        AgentConfig c = parse(root, Map.of("MQTT_PASSWORD", "s3cret", "MQTT_USER", "gw")::get);
        assertEquals("s3cret", c.mqtt().password());
        assertEquals("gw", c.mqtt().username());
        assertTrue(c.mqtt().toString().contains("password=***"), c.mqtt().toString());
    }

    @Test
    void missingEnvironmentVariableNamesTheEnvPath() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("env", "MQTT_PASSWORD");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(root, NO_ENV));
        assertEquals("$.mqtt.password.env", e.jsonPath());
        assertEquals("$.mqtt.password.env: environment variable MQTT_PASSWORD is not set or empty", e.getMessage());
    }

    @Test
    void passwordFromAFileWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("mqtt.pass"), "p4ss word\n");
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("file", file.toString());
        assertEquals("p4ss word", parse(root, NO_ENV).mqtt().password());
        Files.writeString(file, "crlf\r\n");
        assertEquals("crlf", parse(root, NO_ENV).mqtt().password());
    }

    @Test
    void missingOrEmptySecretFileNamesThePathAndTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.pass");
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("file", missing.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> parse(root, NO_ENV));
        assertEquals("$.mqtt.password.file", e.jsonPath());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Files.writeString(missing, "\n");
        e = assertThrows(ConfigException.class, () -> parse(root, NO_ENV));
        assertEquals("$.mqtt.password.file: secret file " + missing + " is empty", e.getMessage());
    }

    @Test
    void secretObjectNeedsExactlyOneSource() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("env", "A").put("file", "/tmp/x");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(root, NO_ENV));
        assertEquals("$.mqtt.password", e.jsonPath());
        mqtt(root).putObject("password");
        assertEquals("$.mqtt.password", assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).jsonPath());
        mqtt(root).put("password", 5);
        assertEquals("$.mqtt.password: expected a string, {\"env\": NAME} or {\"file\": PATH}, got number 5",
                assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).getMessage());
    }

    @Test
    void mqttTlsFilesMustBeReadableAndCertAndKeyGoTogether(@TempDir Path dir) throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ObjectNode tls = (ObjectNode) mqtt(root).get("tls");
        tls.put("ca_file", dir.resolve("missing-ca.pem").toString());
        assertEquals("$.mqtt.tls.ca_file: no such readable file: " + dir.resolve("missing-ca.pem"),
                assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).getMessage());
        Path pem = Files.writeString(dir.resolve("x.pem"), "x");
        tls.put("ca_file", pem.toString());
        tls.put("cert_file", pem.toString());
        assertEquals("$.mqtt.tls.key_file: cert_file and key_file go together (mutual TLS)",
                assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).getMessage());
        tls.put("key_file", pem.toString());
        assertEquals(pem.toString(), parse(root, NO_ENV).mqtt().tls().keyFile());
    }

    @Test
    void willDelayDefaultsToTenSecondsAndIsRangeChecked() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        assertEquals(10, parse(root, NO_ENV).mqtt().willDelaySec());
        mqtt(root).put("will_delay_sec", 0);
        assertEquals(0, parse(root, NO_ENV).mqtt().willDelaySec());
        mqtt(root).put("will_delay_sec", 3601);
        assertEquals("$.mqtt.will_delay_sec: value 3601 out of range 0..3600",
                assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).getMessage());
        mqtt(root).put("will_delay_sec", -1);
        assertEquals("$.mqtt.will_delay_sec",
                assertThrows(ConfigException.class, () -> parse(root, NO_ENV)).jsonPath());
    }

    @Test
    void inlinePasswordInAFileOthersCanReadIsWarnedOnce(@TempDir Path dir) throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).put("password", "inline-secret");
        Path file = Files.writeString(dir.resolve("agent.json"), root.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = new ArrayList<>();
        ConfigLoader.load(file, warnings::add, NO_ENV);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("$.mqtt.password: config file " + file + " holds this secret and is readable by"
                + " other users (rw-r--r--); run chmod 600"), w);
        assertTrue(!w.contains("inline-secret"), w);

        warnings.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ConfigLoader.load(file, warnings::add, NO_ENV);
        assertEquals(List.of(), warnings);
    }

    @Test
    void secretFromTheEnvironmentInAReadableFileIsNotWarned(@TempDir Path dir) throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        mqtt(root).putObject("password").put("env", "MQTT_PASSWORD");
        Path file = Files.writeString(dir.resolve("agent.json"), root.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = new ArrayList<>();
        ConfigLoader.load(file, warnings::add, Map.of("MQTT_PASSWORD", "x")::get);
        assertEquals(List.of(), warnings);
    }
}
