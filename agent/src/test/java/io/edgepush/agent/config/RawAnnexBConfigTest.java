package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig.IngestConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code $.ingest.raw_annexb_listen} and {@code $.ingest.raw_annexb_devices} (issue 4 item 5). */
class RawAnnexBConfigTest {
    private static String config(String ingest, String cameras, boolean acceptUnknown) {
        return """
                {"gateway_id": "gw", "mqtt": {"broker_url": "tcp://127.0.0.1:1883"},
                 "ingest": %s, "cameras": %s, "accept_unknown_cameras": %s}
                """.formatted(ingest, cameras, acceptUnknown);
    }

    private static String error(String ingest) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(config(ingest, "[]", true))).getMessage();
    }

    @Test
    void exampleConfigHasTheSharedPortAndOneDeviceOfEachKind() throws Exception {
        IngestConfig ingest = ConfigLoader.load(ConfigLoaderTest.EXAMPLE).ingest();
        assertEquals(new HostPort("0.0.0.0", 7001), ingest.rawAnnexbListen());
        assertEquals(List.of(new IngestConfig.RawAnnexBDevice("ESP32P4_RAW_001", "192.168.4.20", null),
                new IngestConfig.RawAnnexBDevice("ESP32P4_RAW_002", null, new HostPort("0.0.0.0", 7002))),
                ingest.rawAnnexbDevices());
    }

    @Test
    void absentKeysDisableRawIngest() throws Exception {
        IngestConfig ingest = ConfigLoader.parse(config("{\"tcp_listen\": \"127.0.0.1:0\"}", "[]", true)).ingest();
        assertNull(ingest.rawAnnexbListen());
        assertTrue(ingest.rawAnnexbDevices().isEmpty());
    }

    @Test
    void ipv6PeerIsNormalized() throws Exception {
        IngestConfig ingest = ConfigLoader.parse(config("""
                {"raw_annexb_listen": "127.0.0.1:0", "raw_annexb_devices": [{"peer": "::1", "device_id": "R6"}]}""",
                "[]", true)).ingest();
        assertEquals("0:0:0:0:0:0:0:1", ingest.rawAnnexbDevices().get(0).peer());
    }

    @Test
    void everyErrorNamesItsPath() {
        String shared = "\"raw_annexb_listen\": \"0.0.0.0:7001\", ";
        assertEquals("$.ingest.raw_annexb_listen: expected host:port, got \"7001\"",
                error("{\"raw_annexb_listen\": \"7001\"}"));
        String exactlyOne = "$.ingest.raw_annexb_devices[0]: expected exactly one of peer (IP address of a camera on"
                + " raw_annexb_listen) or listen (host:port of its own), got ";
        assertEquals(exactlyOne + "an object with device_id, peer, listen", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\","
                + " \"peer\": \"10.0.0.1\", \"listen\": \"0.0.0.0:7002\"}]}"));
        assertEquals(exactlyOne + "an object with device_id", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].device_id: required string is missing",
                error("{" + shared + "\"raw_annexb_devices\": [{\"peer\": \"10.0.0.1\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].device_id: expected 1..64 characters of [A-Za-z0-9_.-], got "
                + "\"cam 1\"", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"cam 1\", \"peer\": \"10.0.0.1\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].peer: expected an IP address such as \"192.168.4.20\", got "
                + "\"camera.local\"", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\", \"peer\": \"camera.local\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].peer: expected an IP address such as \"192.168.4.20\", got "
                + "\"10.0.0.300\"", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\", \"peer\": \"10.0.0.300\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].listen: expected host:port, got \"0.0.0.0:x\"",
                error("{\"raw_annexb_devices\": [{\"device_id\": \"A\", \"listen\": \"0.0.0.0:x\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[0].peer: needs $.ingest.raw_annexb_listen: cameras named by peer "
                + "address connect there", error("{\"raw_annexb_devices\": [{\"device_id\": \"A\", \"peer\": \"10.0.0.1\"}]}"));
    }

    @Test
    void duplicatesAndPortClashesAreErrors() {
        String shared = "\"tcp_listen\": \"0.0.0.0:7000\", \"raw_annexb_listen\": \"0.0.0.0:7001\", ";
        assertEquals("$.ingest.raw_annexb_devices[1].device_id: duplicate device_id \"A\" (also at "
                + "$.ingest.raw_annexb_devices[0])", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\","
                + " \"peer\": \"10.0.0.1\"}, {\"device_id\": \"A\", \"peer\": \"10.0.0.2\"}]}"));
        assertEquals("$.ingest.raw_annexb_devices[1].peer: duplicate peer 10.0.0.1 (also at "
                + "$.ingest.raw_annexb_devices[0])", error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\","
                + " \"peer\": \"10.0.0.1\"}, {\"device_id\": \"B\", \"peer\": \"10.0.0.1\"}]}"));
        assertEquals("$.ingest.raw_annexb_listen: port 7000 is already used by $.ingest.tcp_listen",
                error("{\"tcp_listen\": \"0.0.0.0:7000\", \"raw_annexb_listen\": \"127.0.0.1:7000\"}"));
        assertEquals("$.ingest.raw_annexb_devices[0].listen: port 7001 is already used by $.ingest.raw_annexb_listen",
                error("{" + shared + "\"raw_annexb_devices\": [{\"device_id\": \"A\", \"listen\": \"0.0.0.0:7001\"}]}"));
    }

    @Test
    void rawDeviceNotInCamerasIsAnErrorWhenUnknownCamerasAreRefused() throws Exception {
        String ingest = "{\"raw_annexb_devices\": [{\"device_id\": \"RAW_A\", \"listen\": \"0.0.0.0:7002\"}]}";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(config(ingest, "[]", false)));
        assertEquals("$.ingest.raw_annexb_devices[0].device_id: \"RAW_A\" is not in $.cameras and "
                + "accept_unknown_cameras is false, so it would be refused", e.getMessage());
        AgentConfig ok = ConfigLoader.parse(config(ingest, "[{\"device_id\": \"RAW_A\"}]", false));
        assertEquals("RAW_A", ok.ingest().rawAnnexbDevices().get(0).deviceId());
    }

    @Test
    void unknownKeyInADeviceIsRefusedWithItsPath() {
        assertEquals("$.ingest.raw_annexb_devices[0].baud: unknown key 'baud'", error("{\"raw_annexb_devices\":"
                + " [{\"device_id\": \"A\", \"listen\": \"0.0.0.0:7002\", \"baud\": 5}]}"));
    }
}
