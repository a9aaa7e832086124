package io.edgepush.simulator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo (config/demo.json on free ports) against the agent's jar, for 18 s: the motion camera sees motion
 * at 6 s, its motion_based stream starts with a pre-roll and stops by itself before the demo's stop. The simulator
 * is built before the agent, so this uses a jar built earlier ({@code mvn package -pl simulator,agent -am}) and is
 * skipped when there is none or it is older than the agent's sources.
 */
class DemoMotionRunTest {
    private static final Path AGENT_JAR = Path.of("../agent/target/agent.jar");
    private static final Path AGENT_SOURCES = Path.of("../agent/src/main");
    private static final Path DEMO_CONFIG = Path.of("../config/demo.json");

    @Test
    @Timeout(120)
    void theMotionStreamStartsWithPreRollAndStopsByItself(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(AGENT_JAR), AGENT_JAR + " not built (mvn -DskipTests package -pl agent -am)");
        assumeTrue(!olderThanSources(AGENT_JAR), AGENT_JAR + " is older than " + AGENT_SOURCES + "; rebuild it");
        int brokerPort = freePort();
        int cameraPort = freePort();
        int ingestPort = freePort();
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(DEMO_CONFIG.toFile());
        config.with("mqtt").put("broker_url", "tcp://127.0.0.1:" + brokerPort);
        config.with("ingest").put("tcp_listen", "127.0.0.1:" + cameraPort);
        config.with("http").put("listen", "127.0.0.1:" + freePort());
        Path configFile = dir.resolve("demo.json");
        Files.writeString(configFile, config.toString());
        Demo.Options o = new Demo.Options(18, AGENT_JAR, configFile, config.path("gateway_id").asText(),
                dir.resolve("out"), brokerPort, cameraPort, List.of("DEMO_CAM_001", "DEMO_CAM_002", "DEMO_CAM_003"),
                List.of("DEMO_CAM_003"), 2, config.path("streaming").path("post_roll_sec").asInt(), ingestPort, 25);
        assertEquals(6.0, o.motionAtSec());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Demo demo = new Demo(o, new PrintStream(console, true, StandardCharsets.UTF_8));
        int status = demo.run();
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);

        Demo.Seen seen = demo.seen();
        assertNotNull(seen, text);
        StreamStatus motion = seen.statuses().get(2);
        assertEquals("DEMO_CAM_003", motion.deviceId());
        assertTrue(motion.started(), text);
        assertTrue(motion.motion().preRollMs() > 0, "stream_started pre_roll_ms " + motion.motion().preRollMs()
                + "\n" + text);
        assertTrue(motion.motion().stoppedAtMs() >= 0 && motion.motion().stoppedAtMs() < seen.stopSentAtMs(),
                "stopped at " + motion.motion().stoppedAtMs() + ", demo stop at " + seen.stopSentAtMs() + "\n" + text);
        assertEquals("idle", motion.state(), text);
        assertTrue(text.contains("DEMO_CAM_003: already stopped by itself, no stop needed"), text);
        assertTrue(!text.contains("sent {\"command\":\"start\",\"command_id\":\"demo-3\"}")
                && !text.contains("to devices/DEMO_CAM_003/stream/command"), text);
        assertTrue(text.contains("motion_based: motion at 6.0 s (camera clock)"), text);
        assertTrue(!text.contains("warning:"), text);
    }

    private static boolean olderThanSources(Path jar) throws IOException {
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> files = Files.walk(AGENT_SOURCES)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
