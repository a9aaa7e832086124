package io.edgepush.agent.cli;

import com.sun.net.httpserver.HttpServer;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edge-agent status} (issue 14 item 4) against a real running agent: one simulated camera streaming to a
 * scripted RTMP server, a second stream whose server refuses, the table read with {@code --url} and with
 * {@code --config} (a wildcard listen address asked on loopback). Errors: nothing listening and a silent listener
 * are one line and exit 1, an HTTP server that is not the agent is exit 1, bad usage and bad config files exit 2.
 */
class StatusCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "TABLE_CAM";
    private static final String KEY = "table_main_key_0123456789";

    @Test
    void printsTheRunningAgentsStreamsAsATable(@TempDir Path dir) throws Exception {
        int refusedPort = FreePorts.tcp();
        int httpPort = FreePorts.tcp();
        try (ScriptedRtmpServer rtmp = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
             });
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "table-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "streaming": {"initial_retry_delay_ms": 2000, "max_retry_delay_ms": 4000},
                      "cameras": [{"device_id": "%s", "camera_id": 0, "streams": [
                        {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                         "rtmp": {"urls": ["%s"]}},
                        {"stream_id": 1, "stream_name": "sub", "quality": "low", "trigger": "always_on",
                         "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/sub_key"]}}]}],
                      "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:%d"}}
                     """.formatted(FreePorts.tcp(), DEVICE, rtmp.urlText(KEY), refusedPort, httpPort)));
             SimulatedCamera camera = SimulatedCamera.start(new CameraOptions(DEVICE,
                     Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true),
                     null)) {
            String url = "http://127.0.0.1:" + httpPort;
            Await.until(() -> {
                StdStreams r = StdStreams.agent("status", "--url", url);
                return r.exitCode() == 0 && row(r.stdout(), "main").contains("streaming")
                        && row(r.stdout(), "sub").contains("RTMP_CONNECT_REFUSED");
            }, DEADLINE, "status shows main streaming and sub refused");

            StdStreams r = StdStreams.agent("status", "--url", url);
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("", r.stderr(), r.describe());
            List<String> lines = r.stdout().lines().toList();
            assertEquals("gateway table-gw  mqtt disconnected  2 streams", lines.get(0), r.describe());
            String header = lines.get(1);
            List<String> columns = List.of("DEVICE", "STREAM", "STATE", "TRIGGER", "PRESET", "FPS", "KBPS",
                    "BACKLOG_MS", "DROPPED", "RECONNECTS", "LAST_ERROR");
            assertEquals(columns, List.of(header.split(" +")), header);
            String main = row(r.stdout(), "main");
            List<String> cells = List.of(main.split(" +"));
            assertEquals(List.of(DEVICE, "main", "streaming", "always_on:on", "low"), cells.subList(0, 5), main);
            assertTrue(Double.parseDouble(cells.get(5)) > 0, "fps: " + main);
            assertTrue(Long.parseLong(cells.get(6)) > 0, "kbps: " + main);
            assertEquals("-", cells.get(10), "no error on main: " + main);
            for (String column : columns) {
                int at = header.indexOf(column);
                assertEquals(' ', at == 0 ? ' ' : main.charAt(at - 1), "column " + column + " aligned:\n" + r.stdout());
                assertTrue(main.charAt(at) != ' ', "column " + column + " aligned:\n" + r.stdout());
            }
            String sub = row(r.stdout(), "sub");
            assertTrue(sub.contains("RTMP_CONNECT_REFUSED: "), "code and message: " + sub);
            assertFalse(r.stdout().contains(KEY), "no stream key: " + r.stdout());

            // --config: the address from http.listen; a wildcard address is asked on loopback.
            Path config = dir.resolve("agent.json");
            Files.writeString(config, """
                    {"gateway_id": "other", "mqtt": {"broker_url": "tcp://127.0.0.1:1"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []}, "cameras": [],
                     "accept_unknown_cameras": false, "http": {"listen": "0.0.0.0:%d"}}
                    """.formatted(httpPort));
            StdStreams byConfig = StdStreams.agent("status", "--config", config.toString());
            assertEquals(0, byConfig.exitCode(), byConfig.describe());
            assertTrue(byConfig.stdout().startsWith("gateway table-gw "), byConfig.describe());
        }
    }

    @Test
    void noAgentListeningIsOneLineAndExit1() {
        String url = "http://127.0.0.1:" + FreePorts.tcp();
        StdStreams r = StdStreams.agent("status", "--url", url);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("", r.stdout(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(r.stderr().startsWith("edge-agent status: no agent answers at " + url + "/status"),
                r.describe());
        assertTrue(r.stderr().contains("is it running?"), r.describe());
    }

    @Test
    void anAgentThatDoesNotAnswerIsOneLineAndExit1() throws Exception {
        // Accepted by the kernel (backlog), never read: the request times out.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            StdStreams r = StdStreams.agent("status", "--url", url);
            assertEquals(1, r.exitCode(), r.describe());
            assertEquals("edge-agent status: no answer from " + url + "/status within 5 s", r.stderr().strip(),
                    r.describe());
        }
    }

    @Test
    void anHttpServerThatIsNotTheAgentIsExit1() throws Exception {
        StdStreams notStatus = statusFrom(200, "{\"hello\": 1}");
        assertEquals(1, notStatus.exitCode(), notStatus.describe());
        assertTrue(notStatus.stderr().contains("without \"sessions\""), notStatus.describe());
        StdStreams notJson = statusFrom(200, "<html>");
        assertEquals(1, notJson.exitCode(), notJson.describe());
        assertTrue(notJson.stderr().contains("other than JSON"), notJson.describe());
        StdStreams notFound = statusFrom(404, "nope");
        assertEquals(1, notFound.exitCode(), notFound.describe());
        assertTrue(notFound.stderr().contains("answered HTTP 404"), notFound.describe());
    }

    @Test
    void badUsageAndBadConfigFilesExit2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("agent.json");
        Files.writeString(config, """
                {"gateway_id": "g", "mqtt": {"broker_url": "tcp://127.0.0.1:1"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []}, "cameras": [],
                 "accept_unknown_cameras": false, "http": {"listen": null}}
                """);
        StdStreams nullListen = StdStreams.agent("status", "--config", config.toString());
        assertEquals(2, nullListen.exitCode(), nullListen.describe());
        assertTrue(nullListen.stderr().contains("$.http.listen"), nullListen.describe());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"gateway_id\": 7}");
        StdStreams badConfig = StdStreams.agent("status", "--config", broken.toString());
        assertEquals(2, badConfig.exitCode(), badConfig.describe());
        assertTrue(badConfig.stderr().contains("config error in " + broken + ": $."), badConfig.describe());

        StdStreams both = StdStreams.agent("status", "--url", "http://127.0.0.1:1", "--config", config.toString());
        assertEquals(2, both.exitCode(), both.describe());
        assertTrue(both.stderr().contains("mutually exclusive"), both.describe());

        StdStreams notHttp = StdStreams.agent("status", "--url", "ftp://127.0.0.1:1");
        assertEquals(2, notHttp.exitCode(), notHttp.describe());
        assertTrue(notHttp.stderr().contains("--url must be http://HOST:PORT"), notHttp.describe());

        StdStreams unknown = StdStreams.agent("status", "--bogus");
        assertEquals(2, unknown.exitCode(), unknown.describe());
    }

    /** {@code status --url} against an HTTP server that answers every request with {@code status} and {@code body}. */
    private static StdStreams statusFrom(int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            return StdStreams.agent("status", "--url", "http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    /** The table row of stream {@code streamName} (second column), or "" when there is none. */
    private static String row(String table, String streamName) {
        return table.lines().filter(l -> l.startsWith(DEVICE + " ") && l.split(" +")[1].equals(streamName))
                .findFirst().orElse("");
    }
}
