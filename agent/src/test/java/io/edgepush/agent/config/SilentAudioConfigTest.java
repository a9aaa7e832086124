package io.edgepush.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code $.cameras[i].streams[j].rtmp.silent_audio}: default false, a boolean, kept per stream. */
class SilentAudioConfigTest {

    private static ObjectNode rtmp0(ObjectNode root) {
        return (ObjectNode) root.at("/cameras/0/streams/0/rtmp");
    }

    @Test
    void exampleHasItOffAndAbsentMeansOff() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        assertFalse(ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0).rtmp().silentAudio());
        rtmp0(root).remove("silent_audio");
        assertFalse(ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0).rtmp().silentAudio());
        ((ObjectNode) root.at("/cameras/0/streams/0")).remove("rtmp");
        assertFalse(ConfigLoader.parse(root.toString()).cameras().get(0).streams().get(0).rtmp().silentAudio());
    }

    @Test
    void trueIsKeptWithoutWarningAndAloneDoesNotMakeAStaticTarget() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        rtmp0(root).put("silent_audio", true);
        List<String> warnings = new ArrayList<>();
        RtmpTargetConfig rtmp = ConfigLoader.parse(root.toString(), warnings::add)
                .cameras().get(0).streams().get(0).rtmp();
        assertTrue(rtmp.silentAudio());
        assertTrue(rtmp.isEmpty(), "no urls: the endpoint still comes over MQTT");
        assertEquals(List.of(), warnings);
    }

    @Test
    void nonBooleanNamesThePathAndValue() throws Exception {
        ObjectNode root = ConfigLoaderTest.example();
        rtmp0(root).put("silent_audio", "yes");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(root.toString()));
        assertEquals("$.cameras[0].streams[0].rtmp.silent_audio", e.jsonPath());
        assertEquals("$.cameras[0].streams[0].rtmp.silent_audio: expected boolean, got string \"yes\"",
                e.getMessage());
        rtmp0(root).putNull("silent_audio");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(root.toString()));
        assertTrue(e.getMessage().startsWith("$.cameras[0].streams[0].rtmp.silent_audio: expected boolean"),
                e.getMessage());
    }
}
