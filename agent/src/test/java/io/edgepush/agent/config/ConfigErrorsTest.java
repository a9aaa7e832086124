package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every config error names the JSON path and what is wrong (DESIGN.md section 5). */
class ConfigErrorsTest {

    private static ConfigException fails(ObjectNode root) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(root.toString()));
    }

    private static ObjectNode stream0(ObjectNode root) {
        return (ObjectNode) root.at("/cameras/0/streams/0");
    }

    @Test
    void wrongTypeNamesPathAndValue() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("max_retry_attempts", "ten");
        ConfigException e = fails(root);
        assertEquals("$.streaming.max_retry_attempts", e.jsonPath());
        assertEquals("$.streaming.max_retry_attempts: expected integer, got string \"ten\"", e.getMessage());
    }

    @Test
    void fractionForIntegerAndOutOfRangeAreRejected() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("cameras").get(0)).put("camera_id", 1.5);
        assertEquals("$.cameras[0].camera_id: expected integer, got number 1.5", fails(root).getMessage());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("mqtt")).put("request_timeout_ms", 0);
        assertEquals("$.mqtt.request_timeout_ms: value 0 out of range 1..3600000", fails(root).getMessage());
    }

    @Test
    void wrongTypeForBooleanObjectAndArray() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        root.put("accept_unknown_cameras", "yes");
        assertEquals("$.accept_unknown_cameras: expected boolean, got string \"yes\"", fails(root).getMessage());
        root = ConfigLoaderTest.example();
        root.put("streaming", 5);
        assertEquals("$.streaming: expected object, got number 5", fails(root).getMessage());
        root = ConfigLoaderTest.example();
        root.putObject("cameras");
        assertEquals("$.cameras: expected array, got object", fails(root).getMessage());
    }

    @Test
    void missingGatewayId() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        root.remove("gateway_id");
        ConfigException e = fails(root);
        assertEquals("$.gateway_id", e.jsonPath());
        assertEquals("required string is missing", e.problem());
    }

    @Test
    void missingMqttAndBrokerUrl() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        root.remove("mqtt");
        assertEquals("$.mqtt", fails(root).jsonPath());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("mqtt")).put("broker_url", "http://x:1");
        assertEquals("$.mqtt.broker_url", fails(root).jsonPath());
        // User info in the URL would be a secret outside mqtt.username/password, shown by /health and the logs.
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("mqtt")).put("broker_url", "tcp://token123@broker:1883");
        assertEquals("$.mqtt.broker_url", fails(root).jsonPath());
    }

    @Test
    void unknownQualityListsValidValues() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        stream0(root).put("quality", "best");
        assertEquals("$.cameras[0].streams[0].quality: unknown quality \"best\" "
                + "(valid: low, medium, high, ultra, custom)", fails(root).getMessage());
    }

    @Test
    void unknownTriggerListsValidValues() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        stream0(root).put("trigger", "motion");
        assertEquals("$.cameras[0].streams[0].trigger: unknown trigger \"motion\" "
                + "(valid: manual, motion_based, scheduled, always_on, on_demand)", fails(root).getMessage());
    }

    @Test
    void unknownTemplateVariable() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) stream0(root).get("rtmp")).put("url_template", "rtmp://h/live/{foo}");
        assertEquals("$.cameras[0].streams[0].rtmp.url_template: unknown variable {foo} "
                + "(allowed: {camera_id}, {stream_id}, {stream_name}, {device_id})", fails(root).getMessage());
    }

    @Test
    void badSchemeInTemplateUrlsAndFallbacks() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) stream0(root).get("rtmp")).put("url_template", "http://h/live/{device_id}");
        ConfigException e = fails(root);
        assertEquals("$.cameras[0].streams[0].rtmp.url_template", e.jsonPath());
        assertTrue(e.problem().startsWith("scheme \"http\" not allowed (allowed: rtmp, rtmps)"), e.problem());

        root = ConfigLoaderTest.example();
        ((ArrayNode) stream0(root).get("rtmp").get("urls")).add("rtmp://ok/live/k").add("srt://h:9000/x");
        e = fails(root);
        assertEquals("$.cameras[0].streams[0].rtmp.urls[1]", e.jsonPath());
        assertTrue(e.problem().startsWith("scheme \"srt\" not allowed"), e.problem());

        root = ConfigLoaderTest.example();
        ((ArrayNode) stream0(root).get("rtmp").get("fallback_urls")).add("live.example.com/app/key");
        e = fails(root);
        assertEquals("$.cameras[0].streams[0].rtmp.fallback_urls[0]", e.jsonPath());
        assertTrue(e.problem().startsWith("expected an rtmp:// or rtmps:// URL"), e.problem());

        root = ConfigLoaderTest.example();
        ((ArrayNode) stream0(root).get("rtmp").get("urls")).add("rtmp:///live/k");
        assertEquals("missing host in \"rtmp:///live/k\"", fails(root).problem());
    }

    @Test
    void badHostPort() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("ingest")).put("tcp_listen", "0.0.0.0:70000");
        ConfigException e = fails(root);
        assertEquals("$.ingest.tcp_listen", e.jsonPath());
        assertTrue(e.problem().contains("out of range"), e.problem());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("http")).put("listen", "localhost");
        assertEquals("$.http.listen: expected host:port, got \"localhost\"", fails(root).getMessage());
    }

    @Test
    void duplicateDeviceId() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ObjectNode copy = ((ObjectNode) root.get("cameras").get(0)).deepCopy();
        copy.put("camera_id", 1);
        ((ArrayNode) root.get("cameras")).add(copy);
        assertEquals("$.cameras[1].device_id: duplicate device_id \"ESP32P4_CAM_001\" (also at $.cameras[0])",
                fails(root).getMessage());
    }

    @Test
    void duplicateCameraIdStreamId() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ObjectNode copy = ((ObjectNode) root.get("cameras").get(0)).deepCopy();
        copy.put("device_id", "OTHER");
        ((ArrayNode) root.get("cameras")).add(copy);
        assertEquals("$.cameras[1].streams[0].stream_id: duplicate (camera_id, stream_id) (0, 0) "
                + "(also at $.cameras[0].streams[0])", fails(root).getMessage());
    }

    @Test
    void duplicateStreamNameInOneCamera() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ArrayNode) root.at("/cameras/0/streams")).addObject().put("stream_id", 1).put("stream_name", "main");
        assertEquals("$.cameras[0].streams[1].stream_name", fails(root).jsonPath());
    }

    @Test
    void retryDelayCapBelowInitial() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("max_retry_delay_ms", 500);
        assertEquals("$.streaming.max_retry_delay_ms", fails(root).jsonPath());
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ConfigLoaderTest.RESOURCES.resolve("malformed.json")));
        assertEquals("$", e.jsonPath());
        assertTrue(e.problem().startsWith("invalid JSON at line 3, column "), e.problem());
    }

    @Test
    void duplicateKeyEmptyDocumentAndNonObjectRoot() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"gateway_id\":\"a\",\"gateway_id\":\"b\"}"));
        assertTrue(e.problem().contains("Duplicate field 'gateway_id'"), e.problem());
        assertEquals("$", assertThrows(ConfigException.class, () -> ConfigLoader.parse("  ")).jsonPath());
        assertEquals("$: expected object, got array",
                assertThrows(ConfigException.class, () -> ConfigLoader.parse("[]")).getMessage());
    }

    @Test
    void unreadableFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("does/not/exist.json")));
        assertTrue(e.problem().startsWith("cannot read config file"), e.problem());
    }

    @Test
    void tlsVerifyMustBeABooleanAndTheCaFileMustExist() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) stream0(root).get("rtmp")).put("tls_verify", "no");
        ConfigException e = fails(root);
        assertEquals("$.cameras[0].streams[0].rtmp.tls_verify", e.jsonPath());
        assertTrue(e.getMessage().contains("expected boolean"), e.getMessage());

        ObjectNode missing = ConfigLoaderTest.example();
        ((ObjectNode) stream0(missing).get("rtmp")).put("tls_ca_file", "/nonexistent/ca.pem");
        ConfigException m = fails(missing);
        assertEquals("$.cameras[0].streams[0].rtmp.tls_ca_file", m.jsonPath());
        assertEquals("$.cameras[0].streams[0].rtmp.tls_ca_file: no such readable file: /nonexistent/ca.pem",
                m.getMessage());
    }

    @Test
    void keepProbingTriggersMustNameTriggers() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).putArray("keep_probing_triggers").add("always_on").add("sometimes");
        ConfigException e = fails(root);
        assertEquals("$.streaming.keep_probing_triggers[1]", e.jsonPath());
        assertTrue(e.getMessage().contains("on_demand"), e.getMessage());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).put("keep_probing_triggers", "always_on");
        assertEquals("$.streaming.keep_probing_triggers: expected array, got string \"always_on\"",
                fails(root).getMessage());
        root = ConfigLoaderTest.example();
        ((ObjectNode) root.get("streaming")).putArray("keep_probing_triggers").add(3);
        assertEquals("$.streaming.keep_probing_triggers[0]: expected string, got number 3", fails(root).getMessage());
    }
}
