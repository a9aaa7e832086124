package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/agent.schema.json and {@link ConfigLoader} stay in step (issue 14, item 3): the jar carries the schema of
 * config/; the example and demo configs validate clean with only schema keys; the keys the loader reads are exactly
 * the schema's properties; unknown keys, wrong types and out-of-range values are refused naming path, expected and
 * actual value; several errors come sorted, one per line.
 */
class ConfigSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMA_FILE = Path.of("../config/agent.schema.json");

    private static ConfigException fails(JsonNode root) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(root.toString(), w -> { }, n -> null));
    }

    @Test
    void theJarCarriesTheSchemaOfTheConfigDirectory() throws Exception {
        try (InputStream in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE)) {
            assertEquals(Files.readString(SCHEMA_FILE), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void exampleAndDemoValidateCleanUsingSchemaKeysOnly() throws Exception {
        Set<String> schemaKeys = schemaPaths();
        for (Path file : List.of(ConfigLoaderTest.EXAMPLE, ConfigLoaderTest.DEMO)) {
            JsonNode doc = JSON.readTree(file.toFile());
            assertEquals(List.of(), ConfigSchema.problems(doc), file.toString());
            Set<String> keys = new TreeSet<>();
            documentPaths(doc, "$", keys);
            keys.removeAll(schemaKeys);
            assertEquals(Set.of(), keys, file + ": keys not in the schema");
        }
    }

    @Test
    void theLoaderReadsExactlyTheSchemaProperties(@TempDir Path dir) throws Exception {
        Set<String> schema = schemaPaths();
        Set<String> read = ConfigLoader.keysRead(everyKey(dir).toString(), n -> "from-env");
        Set<String> ignored = new TreeSet<>(schema);
        ignored.removeAll(read);
        Set<String> undeclared = new TreeSet<>(read);
        undeclared.removeAll(schema);
        assertEquals(Set.of(), ignored, "schema keys the loader ignores");
        assertEquals(Set.of(), undeclared, "keys the loader reads that the schema lacks");
        assertTrue(schema.size() > 60, "the walk found the schema's properties: " + schema);
    }

    @Test
    void everyDefaultTheSchemaStatesIsTheLoadersDefault() throws Exception {
        AgentConfig loaded = ConfigLoader.parse("""
                {"gateway_id": "gw", "mqtt": {"broker_url": "tcp://127.0.0.1:1883"},
                 "ingest": {"serial_ports": [{"port": "/dev/ttyACM0"}]},
                 "cameras": [{"device_id": "A", "streams": [{"rtmp": {}}]},
                             {"device_id": "B", "camera_id": 1, "streams": [{"trigger": "motion_based", "motion": {}}]}]}
                """, w -> { }, n -> null);
        Map<String, JsonNode> defaults = new java.util.TreeMap<>();
        schemaDefaults(ConfigSchema.schemaNode(), "$", defaults);
        assertTrue(defaults.size() > 25, defaults.keySet().toString());
        JsonNode motionSource = defaults.remove("$.cameras[].streams[].motion.source");
        assertEquals(motionSource.asText(), loaded.cameras().get(1).streams().get(0).motion().wireName());
        for (Map.Entry<String, JsonNode> d : defaults.entrySet()) {
            Object value = loaded;
            for (String segment : d.getKey().substring(2).split("\\.")) {
                boolean element = segment.endsWith("[]");
                value = accessor(value, segment.replace("[]", ""));
                value = element ? ((List<?>) value).get(0) : value;
            }
            Object expected = JSON.treeToValue(d.getValue(), Object.class);
            if (expected instanceof List<?> list) {
                expected = list.stream().map(Object::toString).sorted().toList();
            }
            assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(wire(value)), d.getKey());
        }
    }

    @Test
    void unknownKeysAreRefusedWithTheirPathAndTheClosestKnownKey() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("max_retry_attempt", 3);
        ConfigException e = fails(root);
        assertEquals("$.streaming.max_retry_attempt", e.jsonPath());
        assertEquals("$.streaming.max_retry_attempt: unknown key 'max_retry_attempt'; did you mean"
                + " 'max_retry_attempts'?", e.getMessage());

        root = ConfigLoaderTest.example();
        root.put("gatway_id", "x");
        assertEquals("$.gatway_id: unknown key 'gatway_id'; did you mean 'gateway_id'?", fails(root).getMessage());

        root = ConfigLoaderTest.example();
        ((ObjectNode) root.at("/cameras/0/streams/0/rtmp")).putArray("url").add("rtmp://h/live/k");
        assertEquals("$.cameras[0].streams[0].rtmp.url: unknown key 'url'; did you mean 'urls'?",
                fails(root).getMessage());

        root = ConfigLoaderTest.example();
        root.put("colour", "blue");
        assertEquals("$.colour: unknown key 'colour'", fails(root).getMessage(), "no hint when nothing is close");
    }

    @Test
    void wrongTypeAndOutOfRangeNamePathExpectedAndActual() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.at("/cameras/0/streams/0")).put("stream_id", 256);
        assertEquals("$.cameras[0].streams[0].stream_id: value 256 out of range 0..255", fails(root).getMessage());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("ingest").get("serial_ports").get(0)).put("baud", "fast");
        assertEquals("$.ingest.serial_ports[0].baud: expected integer, got string \"fast\"", fails(root).getMessage());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("mqtt")).putObject("password").put("env", "A").put("file", "/b");
        assertEquals("$.mqtt.password: expected a string, {\"env\": NAME} or {\"file\": PATH}, got an object with env,"
                + " file", fails(root).getMessage());
    }

    @Test
    void everySchemaErrorIsListedSortedOnePerLine() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("target_latency_ms", -1).put("auto_reconnect", "yes");
        ((ObjectNode) root.at("/cameras/0/streams/0")).put("quality", "best");
        ((ObjectNode) root.get("mqtt")).put("colour", 1);
        ConfigException e = fails(root);
        assertEquals("$.cameras[0].streams[0].quality", e.jsonPath());
        assertEquals(List.of(
                "$.cameras[0].streams[0].quality: unknown quality \"best\" (valid: low, medium, high, ultra, custom)",
                "$.mqtt.colour: unknown key 'colour'",
                "$.streaming.auto_reconnect: expected boolean, got string \"yes\"",
                "$.streaming.target_latency_ms: value -1 out of range 1..2147483647"),
                List.of(e.getMessage().split("\n")));
    }

    @Test
    void beyondTenErrorsTheRestAreCounted() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        for (int i = 0; i < 12; i++) {
            root.put("extra_" + (char) ('a' + i), i);
        }
        String[] lines = fails(root).getMessage().split("\n");
        assertEquals(ConfigSchema.MAX_LISTED + 1, lines.length);
        assertEquals("$.extra_a: unknown key 'extra_a'", lines[0]);
        assertEquals("(2 more)", lines[ConfigSchema.MAX_LISTED]);
    }

    /** The example with every optional object present, so the loader asks for every key it knows. */
    private static ObjectNode everyKey(Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("any.pem"), "x");
        ObjectNode root = ConfigLoaderTest.example();
        ObjectNode mqtt = (ObjectNode) root.get("mqtt");
        mqtt.putObject("username").put("env", "MQTT_USER");
        mqtt.putObject("password").put("file", file.toString());
        mqtt.putObject("tls").put("ca_file", file.toString()).put("cert_file", file.toString())
                .put("key_file", file.toString());
        ArrayNode streams = ((ObjectNode) root.at("/cameras/0")).putArray("streams");
        ObjectNode motion = streams.addObject().put("stream_id", 0).put("stream_name", "main")
                .put("quality", "custom").put("trigger", "motion_based");
        motion.putObject("custom").put("width", 640).put("height", 480).put("fps", 15).put("bitrate_kbps", 500);
        motion.putObject("motion").put("source", "bitstream");
        ObjectNode rtmp = motion.putObject("rtmp").put("url_template", "rtmp://h/live/{device_id}")
                .put("silent_audio", true).put("tls_verify", true).put("tls_ca_file", file.toString());
        rtmp.putArray("urls").add("rtmp://a/live/k");
        rtmp.putArray("fallback_urls").add("rtmp://b/live/k");
        streams.addObject().put("stream_id", 1).put("stream_name", "sched").put("trigger", "scheduled")
                .putArray("schedule").addObject().put("days", "daily").put("start", "08:00").put("end", "18:00")
                .put("tz", "UTC");
        assertEquals(List.of(), ConfigSchema.problems(root));
        return root;
    }

    private static void schemaDefaults(JsonNode schema, String path, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (p.getValue().has("default")) {
                out.put(path + "." + p.getKey(), p.getValue().get("default"));
            }
            schemaDefaults(p.getValue(), path + "." + p.getKey(), out);
        }
        if (schema.has("items")) {
            schemaDefaults(schema.get("items"), path + "[]", out);
        }
    }

    /** The record component for a snake_case key: {@code max_retry_attempts} -> {@code maxRetryAttempts()}. */
    private static Object accessor(Object record, String key) throws Exception {
        StringBuilder name = new StringBuilder();
        for (String part : key.split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return record.getClass().getMethod(name.toString()).invoke(record);
    }

    /** A loaded value as the config writes it: enums by wire name, host:port as text, sets as sorted lists. */
    private static Object wire(Object value) throws Exception {
        if (value instanceof Enum<?> e) {
            return e.getClass().getMethod("wireName").invoke(e);
        }
        if (value instanceof HostPort hp) {
            return hp.toString();
        }
        if (value instanceof Set<?> set) {
            List<String> names = new java.util.ArrayList<>();
            for (Object o : set) {
                names.add(wire(o).toString());
            }
            return names.stream().sorted().toList();
        }
        return value;
    }

    /** Every property path the schema declares ($ref, items and oneOf branches followed), indices as []. */
    static Set<String> schemaPaths() {
        Set<String> out = new TreeSet<>();
        walkSchema(ConfigSchema.schemaNode(), ConfigSchema.schemaNode(), "$", out);
        return out;
    }

    private static void walkSchema(JsonNode root, JsonNode schema, String path, Set<String> out) {
        if (schema.has("$ref")) {
            walkSchema(root, root.at(schema.get("$ref").asText().substring(1)), path, out);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.add(path + "." + p.getKey());
            walkSchema(root, p.getValue(), path + "." + p.getKey(), out);
        }
        if (schema.has("items")) {
            walkSchema(root, schema.get("items"), path + "[]", out);
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            schema.path(combinator).forEach(branch -> walkSchema(root, branch, path, out));
        }
    }

    private static void documentPaths(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                out.add(path + "." + f.getKey());
                documentPaths(f.getValue(), path + "." + f.getKey(), out);
            });
        } else if (node.isArray()) {
            node.forEach(element -> documentPaths(element, path + "[]", out));
        }
    }
}
