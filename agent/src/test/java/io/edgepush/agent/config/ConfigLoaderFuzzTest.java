package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@link ConfigLoader#parse(String, java.util.function.Consumer)}: the input bytes, read as UTF-8,
 * are the config file. Invariants per input: only {@link ConfigException} escapes (the agent then exits 2 naming
 * its JSON path), never a NullPointerException, ClassCastException, NumberFormatException, StackOverflowError or
 * other; the exception names a JSON path starting with {@code $}; a config that loads has a gateway id and an MQTT
 * broker URL.
 */
class ConfigLoaderFuzzTest {

    @FuzzTest
    void parse(byte[] data) {
        AgentConfig config;
        try {
            config = ConfigLoader.parse(new String(data, StandardCharsets.UTF_8), w -> { });
        } catch (ConfigException e) {
            assertNotNull(e.jsonPath());
            assertTrue(e.jsonPath().startsWith("$"), e.jsonPath());
            assertNotNull(e.problem());
            return;
        }
        assertNotNull(config.gatewayId());
        assertNotNull(config.mqtt());
    }
}
