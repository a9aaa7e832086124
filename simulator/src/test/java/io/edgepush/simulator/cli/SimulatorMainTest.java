package io.edgepush.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.simulator.camera.TinyLadder;
import io.edgepush.testkit.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SimulatorMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    private static void assertUsage(Result r, String expectedInMessage) {
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(expectedInMessage), "stderr should say '" + expectedInMessage + "': " + r.err());
    }

    @Test
    void noSubcommand() {
        assertUsage(run(), "missing subcommand; choose one of: camera, cameras, stream-service");
    }

    @Test
    void unknownSubcommand() {
        assertUsage(run("fly"), "Unmatched argument at index 0: 'fly'");
    }

    @Test
    void cameraFaultsNeedSerial() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--fps", "25", "--connect",
                "tcp://127.0.0.1:7000", "--fault-cut-every", "3"), "--fault-* options need --serial PATH");
    }

    @Test
    void cameraNegativeFaultIsAUsageError() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--fps", "25", "--serial", "/dev/pts/3",
                "--fault-garbage-bytes", "-1"), "--fault-garbage-bytes: must be 0..16777216, got -1");
    }

    @Test
    void cameraNeedsConnectOrSerial() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--fps", "25"),
                "Missing required argument");
    }

    @Test
    void cameraBadConnectUrl() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--fps", "25", "--connect",
                "127.0.0.1:7000"), "--connect: expected tcp://HOST:PORT");
    }

    @Test
    void cameraBadFpsAndDeviceId() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--fps", "0", "--connect",
                "tcp://127.0.0.1:7000"), "--fps: must be 1..240, got 0");
        assertUsage(run("camera", "--device-id", "bad id", "--clip", clip, "--fps", "25", "--connect",
                "tcp://127.0.0.1:7000"), "--device-id: must be 1..64 characters");
    }

    @Test
    void cameraMissingOrUnplayableClip(@TempDir Path dir) throws Exception {
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", dir.resolve("nope.h264").toString(), "--fps",
                "25", "--connect", "tcp://127.0.0.1:7000"), "nope.h264: no such file");
        Path junk = Files.writeString(dir.resolve("junk.h264"), "not video");
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", junk.toString(), "--fps", "25", "--connect",
                "tcp://127.0.0.1:7000"), "is not a playable H.264 Annex B stream");
    }

    @Test
    void cameraCodecMustBeKnownAndFitTheClip() {
        String hevc = Fixtures.repoFixture("small.265").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", hevc, "--fps", "25", "--codec", "vp9",
                "--connect", "tcp://127.0.0.1:7000"), "--codec must be auto, h264 or h265, got 'vp9'");
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", hevc, "--fps", "25", "--codec", "h264",
                "--connect", "tcp://127.0.0.1:7000"), "small.265 has no SPS");
    }

    @Test
    void cameraPlaysAClipOrALadderNotBoth(@TempDir Path dir) {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--ladder", dir.toString(), "--connect",
                "tcp://127.0.0.1:7000"), "mutually exclusive");
        Result neither = run("camera", "--device-id", "CAM_1", "--fps", "25", "--connect", "tcp://127.0.0.1:7000");
        assertUsage(neither, "Missing required argument");
        assertTrue(neither.err().contains("--clip") && neither.err().contains("--ladder"), neither.err());
    }

    @Test
    void aClipNeedsFpsALadderRefusesIt(@TempDir Path dir) {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("camera", "--device-id", "CAM_1", "--clip", clip, "--connect", "tcp://127.0.0.1:7000"),
                "--clip needs --fps N (frames per second, 1..240)");
        assertUsage(run("camera", "--device-id", "CAM_1", "--ladder", dir.toString(), "--fps", "25", "--connect",
                "tcp://127.0.0.1:7000"), "--fps cannot be used with --ladder: each rung plays at the fps its file"
                + " name says");
    }

    @Test
    void aBadLadderDirectoryIsAUsageErrorNamingTheFile(@TempDir Path dir) throws Exception {
        String[] ladder = {"camera", "--device-id", "CAM_1", "--ladder", dir.toString(), "--connect",
            "tcp://127.0.0.1:7000"};
        assertUsage(run("camera", "--device-id", "CAM_1", "--ladder", dir.resolve("nope").toString(), "--connect",
                "tcp://127.0.0.1:7000"), "--ladder: ladder directory " + dir.resolve("nope") + ": no such directory");
        assertUsage(run(ladder), "--ladder: ladder directory " + dir + " holds no clip named");
        Files.copy(Fixtures.repoFixture("small.h264"), dir.resolve("320x240_25_500.h264"));
        Files.copy(Fixtures.repoFixture("small.265"), dir.resolve("320x180_25_400.h265"));
        assertUsage(run(ladder), "--ladder: ladder clips must share one codec");
        Files.copy(Fixtures.repoFixture("small.h264"), dir.resolve("clip.h264"));
        assertUsage(run(ladder), "clip.h264: a ladder clip must be named <width>x<height>_<fps>_<kbps>.h264");
    }

    @Test
    void aLadderCameraPlaysTheSceneOnceAndSaysWhereItEnded(@TempDir Path dir) throws Exception {
        TinyLadder.make(dir);
        List<Hello> hellos = new CopyOnWriteArrayList<>();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(new CameraListener() {
                @Override
                public void onCameraConnected(CameraLink link) {
                    hellos.add(link.hello());
                }
            });
            Result r = run("camera", "--device-id", "CAM_L", "--ladder", dir.toString(), "--connect",
                    "tcp://127.0.0.1:" + server.boundPort());
            assertEquals(0, r.status(), r.err());
            // 3 s at 20 fps on the highest rung, no CONTROL: 60 frames, no switch.
            assertEquals("CAM_L: 60 frames sent, 0 dropped, 0 rung switches, last 192x144_20_400"
                    + System.lineSeparator(), r.out());
        }
        assertEquals(List.of(new Hello("CAM_L", "sim-0.1", "h264", Hello.CAP_SET_BITRATE | Hello.CAP_SET_FPS
                | Hello.CAP_SET_RESOLUTION | Hello.CAP_SET_PRESET | Hello.CAP_FORCE_IDR | Hello.CAP_START_STOP_ENCODER,
                192, 144, 20, 400_000)), hellos);
    }

    @Test
    void camerasBadCount() {
        String clip = Fixtures.repoFixture("small.h264").toString();
        assertUsage(run("cameras", "--count", "0", "--id-prefix", "CAM_", "--clip", clip, "--fps", "25",
                "--connect", "tcp://127.0.0.1:7000"), "--count: must be 1..1000, got 0");
    }

    @Test
    void streamServiceBadUrls() {
        assertUsage(run("stream-service", "--broker", "mqtt://x:1", "--rtmp-url", "rtmp://h/live/"),
                "--broker: expected tcp://HOST:PORT");
        assertUsage(run("stream-service", "--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "http://h/live/"),
                "--rtmp-url: rtmpUrl must start with rtmp:// or rtmps://");
        assertUsage(run("stream-service", "--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "rtmp://h/live/",
                "--rtmp-url", "srt://h2/live/"), "--rtmp-url: rtmpUrl must start with rtmp:// or rtmps://, got srt://");
    }

    @Test
    void streamServiceBadLifetime() {
        assertUsage(run("stream-service", "--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "rtmp://h/live/",
                "--lifetime-sec", "0"), "--lifetime-sec: must be at least 1, got 0");
        assertUsage(run("stream-service", "--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "rtmp://h/live/",
                "--lifetime-sec", "soon"), "--lifetime-sec");
    }

    @Test
    void brokerBadListen() {
        assertUsage(run("broker", "--listen", "localhost"), "--listen: expected HOST:PORT");
        assertUsage(run("broker", "--listen", "127.0.0.1:70000"), "--listen: port must be 1..65535, got 70000");
    }

    @Test
    void ingestBadListen() {
        assertUsage(run("ingest", "--listen", "127.0.0.1", "--out", "x"), "--listen: expected HOST:PORT");
    }

    private static Result throttle(String... more) {
        String[] base = {"throttle", "--listen", "127.0.0.1:19350", "--target", "127.0.0.1:1935"};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    @Test
    void throttleBadAddressesAndRates() {
        assertUsage(run("throttle", "--listen", "127.0.0.1", "--target", "127.0.0.1:1935", "--rate-kbps", "800"),
                "--listen: expected HOST:PORT");
        assertUsage(run("throttle", "--listen", "127.0.0.1:19350", "--target", "rtmp://h/live", "--rate-kbps", "800"),
                "--target: expected HOST:PORT");
        assertUsage(throttle(), "Missing required argument");
        assertUsage(throttle("--rate-kbps", "800", "--trace", "uplink.trace"), "mutually exclusive");
        assertUsage(throttle("--rate-kbps", "-1"), "--rate-kbps: must be 0..100000000, got -1");
        assertUsage(throttle("--rate-kbps", "fast"), "--rate-kbps");
        assertUsage(throttle("--rate-kbps", "800", "--delay-ms", "-5"), "--delay-ms: must be 0..600000, got -5");
        assertUsage(throttle("--rate-kbps", "800", "--queue-bytes", "0"),
                "--queue-bytes: must be 1..1073741824, got 0");
    }

    @Test
    void throttleMissingOrMalformedTrace(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.trace");
        assertUsage(throttle("--trace", missing.toString()), "--trace " + missing + ": no such file");
        Path bad = Files.writeString(dir.resolve("bad.trace"), "# uplink\n0 100\n5 fast\n");
        assertUsage(throttle("--trace", bad.toString()),
                "--trace: " + bad + " line 3: rate_kbps must be a non-negative decimal number, got 'fast'");
    }

    @Test
    void demoWithoutAgentJarSaysHowToBuildIt(@TempDir Path dir) {
        assertUsage(run("demo", "--seconds", "5", "--agent-jar", dir.resolve("agent.jar").toString()),
                "not found");
        assertUsage(run("demo", "--seconds", "5", "--agent-jar", dir.resolve("agent.jar").toString()),
                "'make build', or pass --agent-jar PATH");
    }

    @Test
    void demoBadSecondsAndConfig(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("agent.jar"), "not really a jar");
        assertUsage(run("demo", "--seconds", "-1", "--agent-jar", jar.toString()), "--seconds: must be 0..86400");
        assertUsage(run("demo", "--seconds", "5", "--agent-jar", jar.toString(), "--config",
                dir.resolve("none.json").toString()), "none.json");
        Path noCameras = Files.writeString(dir.resolve("c.json"),
                "{\"gateway_id\":\"g\",\"mqtt\":{\"broker_url\":\"tcp://127.0.0.1:18830\"},\"cameras\":[]}");
        assertUsage(run("demo", "--seconds", "5", "--agent-jar", jar.toString(), "--config", noCameras.toString()),
                "at least one $.cameras[].device_id");
    }
}
