package io.edgepush.agent.cli;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code agent run} as a child JVM with one simulated camera streaming (issue 14 item 5): under a pseudo-terminal
 * (util-linux {@code script}) the live view's block is drawn and redrawn with the stream's line; without a terminal
 * (output to a file) and with {@code --no-live-view} in a terminal, the output has no escape byte at all.
 */
class LiveViewProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final String DEVICE = "LIVE_CAM";
    /** The view's "up over the block, erase to the end of the screen", with the block's line count. */
    private static final Pattern ERASE = Pattern.compile("\r\u001b\\[(\\d+)A\u001b\\[J");

    @Test
    void inAPtyTheBlockIsDrawnAndRefreshed(@TempDir Path dir) throws Exception {
        Path script = Peers.require("script");
        String out = runStreaming(dir, cmd -> List.of(script.toString(), "-qfec", shellWords(cmd), "/dev/null"),
                List.of(), log -> countMatches(log, ERASE) >= 3 && liveLine(log).contains("streaming"));
        assertTrue(out.contains("-- live: gateway live-gw  mqtt disconnected  1 stream --"), visible(out));
        assertTrue(out.contains("DEVICE/STREAM  STATE"), visible(out));
        Matcher erase = ERASE.matcher(out);
        assertTrue(erase.find());
        assertEquals("3", erase.group(1), "gateway line, header, one stream: " + visible(out));
        assertTrue(out.contains("event=agent_stopped"), "the shutdown log follows the view: " + visible(out));
    }

    @Test
    void withoutATerminalTheOutputIsPlainLogLines(@TempDir Path dir) throws Exception {
        String out = runStreaming(dir, cmd -> cmd, List.of(), LiveViewProcessTest::streaming);
        assertFalse(out.contains("-- live:"), out);
        assertEquals(-1, out.indexOf('\u001b'), "no escape byte without a terminal:\n" + out);
    }

    @Test
    void noLiveViewInAPtyIsPlainLogLines(@TempDir Path dir) throws Exception {
        Path script = Peers.require("script");
        String out = runStreaming(dir, cmd -> List.of(script.toString(), "-qfec", shellWords(cmd), "/dev/null"),
                List.of("--no-live-view"), LiveViewProcessTest::streaming);
        assertEquals(-1, out.indexOf('\u001b'), "--no-live-view:\n" + out);
    }

    /**
     * Starts {@code agent run} (command wrapped by {@code wrap}) with one always-on stream to a scripted RTMP
     * server, a simulated camera, waits until {@code ready} holds on the output, sends SIGTERM to the agent and
     * returns everything it wrote.
     */
    private static String runStreaming(Path dir, java.util.function.UnaryOperator<List<String>> wrap,
                                       List<String> extraArgs, java.util.function.Predicate<String> ready)
            throws Exception {
        int cameraPort = FreePorts.tcp();
        try (ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
        })) {
            Path config = dir.resolve("agent.json");
            Files.writeString(config, """
                    {"gateway_id": "live-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:%d", "serial_ports": []},
                     "cameras": [{"device_id": "%s", "camera_id": 0, "streams": [
                       {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                        "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                    """.formatted(FreePorts.tcp(), cameraPort, DEVICE, rtmp.urlText("live_key_0123456789")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> agent = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), AgentMain.class.getName(), "run", "--config",
                    config.toString()));
            agent.addAll(extraArgs);
            try (ManagedProcess process = ManagedProcess.start("agent", wrap.apply(agent), dir,
                    dir.resolve("agent.log"))) {
                process.waitForPort(cameraPort, DEADLINE);
                try (SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                        Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", cameraPort, true), null)) {
                    Await.until(() -> ready.test(process.log()), DEADLINE,
                            () -> "agent output ready:\n" + visible(process.log()));
                    ProcessHandle java17 = ProcessHandle.of(process.pid()).orElseThrow();
                    // The agent JVM: the process itself, or the child of script.
                    ProcessHandle target = java17.descendants().filter(p -> p.info().command().orElse("")
                            .endsWith("/java")).findFirst().orElse(java17);
                    target.destroy();
                    assertEquals(0, process.awaitExit(DEADLINE), () -> visible(process.log()));
                }
                return process.log();
            }
        }
    }

    /** Whether the agent logged the stream's move to streaming. */
    private static boolean streaming(String output) {
        return output.contains("stream_name=main from=connecting to=streaming");
    }

    /** The last live line of the stream in {@code output}, or "". */
    private static String liveLine(String output) {
        String last = "";
        for (String line : output.split("\n")) {
            if (line.startsWith(DEVICE + "/main ")) {
                last = line;
            }
        }
        return last;
    }

    private static int countMatches(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** {@code words} as one sh command line, each word single-quoted. */
    private static String shellWords(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    private static String visible(String text) {
        return text.replace("\u001b", "<ESC>").replace("\r", "<CR>");
    }
}
