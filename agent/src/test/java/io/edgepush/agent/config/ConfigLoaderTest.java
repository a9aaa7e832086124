package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.IngestConfig;
import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.config.AgentConfig.StreamingConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.config.AgentConfig.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Loads the shipped config files and checks defaults; error paths are in {@link ConfigErrorsTest}. */
class ConfigLoaderTest {
    static final Path EXAMPLE = Path.of("../config/agent.example.json");
    static final Path DEMO = Path.of("../config/demo.json");
    static final Path RESOURCES = Path.of("src/test/resources/config");

    @Test
    void exampleLoadsWithEveryValue() throws Exception {
        AgentConfig c = ConfigLoader.load(EXAMPLE);
        assertEquals("gw-01", c.gatewayId());
        assertEquals("tcp://127.0.0.1:1883", c.mqtt().brokerUrl());
        assertEquals("gw-01", c.mqtt().clientId());
        assertNull(c.mqtt().username());
        assertNull(c.mqtt().password());
        assertEquals(TlsConfig.NONE, c.mqtt().tls());
        assertEquals(5000, c.mqtt().requestTimeoutMs());
        assertEquals(new HostPort("0.0.0.0", 7000), c.ingest().tcpListen());
        assertEquals(List.of(new IngestConfig.SerialPortConfig("/dev/ttyACM0", 2_000_000)), c.ingest().serialPorts());
        assertEquals(StreamingConfig.DEFAULTS, c.streaming());
        assertEquals(1, c.cameras().size());
        CameraConfig cam = c.cameras().get(0);
        assertEquals("ESP32P4_CAM_001", cam.deviceId());
        assertEquals(0, cam.cameraId());
        StreamConfig s = cam.streams().get(0);
        assertEquals(new StreamConfig(0, "main", QualityPreset.HIGH, Trigger.ON_DEMAND, RtmpTargetConfig.NONE), s);
        assertTrue(s.rtmp().isEmpty());
        assertTrue(c.acceptUnknownCameras());
        assertEquals(new HostPort("127.0.0.1", 9100), c.http().listen());
    }

    @Test
    void demoLoads() throws Exception {
        AgentConfig c = ConfigLoader.load(DEMO);
        assertEquals("tcp://127.0.0.1:18830", c.mqtt().brokerUrl());
        assertEquals(new HostPort("127.0.0.1", 17000), c.ingest().tcpListen());
        assertEquals(new HostPort("127.0.0.1", 19100), c.http().listen());
        assertEquals(1, c.streaming().metricsIntervalSec());
        assertEquals(List.of("DEMO_CAM_001", "DEMO_CAM_002", "DEMO_CAM_003"),
                c.cameras().stream().map(CameraConfig::deviceId).toList());
        assertEquals(2, c.streaming().preRollSec());
        assertEquals(5, c.streaming().postRollSec());
        for (CameraConfig cam : c.cameras()) {
            StreamConfig s = cam.stream("main").orElseThrow();
            assertEquals(QualityPreset.MEDIUM, s.quality());
            assertEquals(cam.deviceId().equals("DEMO_CAM_003") ? Trigger.MOTION_BASED : Trigger.ON_DEMAND,
                    s.trigger());
            assertTrue(s.rtmp().isEmpty());
        }
    }

    @Test
    void absentKeysTakeDefaults() throws Exception {
        List<String> warnings = new ArrayList<>();
        AgentConfig c = ConfigLoader.parse(Files.readString(RESOURCES.resolve("minimal.json")), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals("gw-min", c.mqtt().clientId());
        assertEquals(5000, c.mqtt().requestTimeoutMs());
        assertEquals(new HostPort("0.0.0.0", 7000), c.ingest().tcpListen());
        assertEquals(List.of(), c.ingest().serialPorts());
        assertEquals(new StreamingConfig(true, true, 3000, true, 10, 1000, 60_000, 5, 2, 10, 10_000, 30_000,
                3L * 1024 * 1024, 10_000), c.streaming());
        assertEquals(new StreamConfig(0, "main", QualityPreset.HIGH, Trigger.ON_DEMAND, RtmpTargetConfig.NONE),
                c.cameras().get(0).streams().get(0));
        assertTrue(c.acceptUnknownCameras());
        assertEquals(new HostPort("127.0.0.1", 9100), c.http().listen());
    }

    @Test
    void partialStreamingKeepsOtherDefaults() throws Exception {
        ObjectNode root = example();
        ((ObjectNode) root.get("streaming")).removeAll().put("max_retry_attempts", 3);
        AgentConfig c = ConfigLoader.parse(root.toString(), w -> { });
        assertEquals(3, c.streaming().maxRetryAttempts());
        assertEquals(60_000, c.streaming().maxRetryDelayMs());
    }

    @Test
    void nullListenDisablesEndpoints() throws Exception {
        ObjectNode root = example();
        ((ObjectNode) root.get("http")).putNull("listen");
        ((ObjectNode) root.get("ingest")).putNull("tcp_listen");
        AgentConfig c = ConfigLoader.parse(root.toString());
        assertNull(c.http().listen());
        assertNull(c.ingest().tcpListen());
    }

    @Test
    void staticUrlsAndTemplateAreKept() throws Exception {
        ObjectNode root = example();
        ObjectNode rtmp = (ObjectNode) root.at("/cameras/0/streams/0/rtmp");
        rtmp.put("url_template", "rtmps://live.example.com:443/app/{device_id}_{stream_name}");
        rtmp.putArray("urls").add("rtmp://a.example.com/live/key1");
        rtmp.putArray("fallback_urls").add("RTMP://b.example.com/live/key2");
        StreamConfig s = ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0);
        assertFalse(s.rtmp().isEmpty());
        assertEquals(List.of("rtmp://a.example.com/live/key1"), s.rtmp().urls());
        assertEquals(List.of("RTMP://b.example.com/live/key2"), s.rtmp().fallbackUrls());
    }

    @Test
    void tlsSettingsDefaultToVerifyingAndAreRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        StreamConfig defaults = ConfigLoader.parse(example().toString()).cameras().get(0).streams().get(0);
        assertTrue(defaults.rtmp().tlsVerify(), "tls_verify defaults to true");
        assertNull(defaults.rtmp().tlsCaFile());
        Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "PEM");
        ObjectNode root = example();
        ObjectNode rtmp = (ObjectNode) root.at("/cameras/0/streams/0/rtmp");
        rtmp.put("tls_verify", false);
        rtmp.put("tls_ca_file", ca.toString());
        StreamConfig s = ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0);
        assertFalse(s.rtmp().tlsVerify());
        assertEquals(ca, s.rtmp().tlsCaFile());
    }

    @Test
    void urlTemplateExpandsEveryVariable() {
        CameraConfig cam = new CameraConfig("CAM_7", 3, List.of());
        StreamConfig s = new StreamConfig(1, "sub", QualityPreset.LOW, Trigger.MANUAL, RtmpTargetConfig.NONE);
        assertEquals("rtmp://h/live/CAM_7-3-1-sub?x=$1",
                UrlTemplate.expand("rtmp://h/live/{device_id}-{camera_id}-{stream_id}-{stream_name}?x=$1", cam, s));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UrlTemplate.expand("rtmp://h/{nope}", cam, s));
        assertTrue(e.getMessage().contains("unknown variable {nope}"), e.getMessage());
    }

    @Test
    void presetsMatchTheDesignTable() {
        assertEquals(List.of(640, 480, 15, 500_000), preset(QualityPreset.LOW));
        assertEquals(List.of(1280, 720, 20, 1_000_000), preset(QualityPreset.MEDIUM));
        assertEquals(List.of(1920, 1080, 25, 2_000_000), preset(QualityPreset.HIGH));
        assertEquals(List.of(1920, 1080, 30, 4_000_000), preset(QualityPreset.ULTRA));
        assertEquals(QualityPreset.ULTRA, QualityPreset.fromWireName("ultra"));
        assertEquals(Trigger.MOTION_BASED, Trigger.fromWireName("motion_based"));
    }

    @Test
    void hostPortParsesIpv6AndRejectsGarbage() {
        assertEquals(new HostPort("::1", 7000), HostPort.parse("[::1]:7000"));
        assertEquals("[::1]:7000", HostPort.parse("[::1]:7000").toString());
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("7000"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:99999"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(":80"));
    }

    private static List<Integer> preset(QualityPreset q) {
        return List.of(q.width(), q.height(), q.fps(), q.bitrateBps());
    }

    @Test
    void keepProbingTriggersDefaultsToTheUnattendedOnesAndMayBeEmpty() throws Exception {
        ObjectNode root = example();
        ((ObjectNode) root.get("streaming")).remove("keep_probing_triggers");
        assertEquals(Set.of(Trigger.ALWAYS_ON, Trigger.SCHEDULED, Trigger.MOTION_BASED),
                ConfigLoader.parse(root.toString()).streaming().keepProbingTriggers());
        ((ObjectNode) root.get("streaming")).putArray("keep_probing_triggers");
        assertEquals(Set.of(), ConfigLoader.parse(root.toString()).streaming().keepProbingTriggers());
        ((ObjectNode) root.get("streaming")).putArray("keep_probing_triggers").add("on_demand").add("always_on");
        assertEquals(Set.of(Trigger.ON_DEMAND, Trigger.ALWAYS_ON),
                ConfigLoader.parse(root.toString()).streaming().keepProbingTriggers());
    }

    static ObjectNode example() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(Files.readString(EXAMPLE));
        return (ObjectNode) tree;
    }
}
