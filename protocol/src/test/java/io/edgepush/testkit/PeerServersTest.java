package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts each real peer once: nginx-rtmp, ffmpeg -listen and mosquitto (skipped when not installed). */
class PeerServersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void nginxRecordsAPublishedStream() {
        try (Nginx nginx = Nginx.start()) {
            assertTrue(FreePorts.isListening(nginx.port()));
            assertEquals("rtmp://127.0.0.1:" + nginx.port() + "/live/cam1", nginx.rtmpUrl("cam1"));
            publishTestPattern(nginx.rtmpUrl("cam1"), 25);
            Path recording = nginx.awaitRecordingClosed("cam1", TIMEOUT);
            assertEquals(nginx.recordDir().resolve("cam1.flv"), recording);
            assertEquals(25, Ffprobe.countFrames(recording));
            assertEquals(new Ffprobe.VideoSize(160, 120), Ffprobe.videoSize(recording));
            assertEquals("", Ffprobe.decodeErrors(recording));
            List<Ffprobe.Packet> packets = Ffprobe.packets(recording);
            assertEquals(25, packets.size());
            assertTrue(packets.get(0).keyframe());
            assertEquals(List.of(0L, 40L, 80L), Ffprobe.packetDtsMs(recording).subList(0, 3));
        }
    }

    @Test
    void preparedNginxRefusesUntilLaunchedAndKeepsOneRecordingPerPublishAcrossRestarts() {
        try (Nginx nginx = Nginx.prepare(Nginx.Recording.ONE_FILE_PER_PUBLISH)) {
            assertFalse(nginx.isRunning());
            assertFalse(FreePorts.canConnect("127.0.0.1", nginx.port()), "prepared, not launched: refused");
            nginx.launch();
            IllegalStateException twice = assertThrows(IllegalStateException.class, nginx::launch);
            assertTrue(twice.getMessage().contains("already running"), twice.getMessage());
            publishTestPattern(nginx.rtmpUrl("cam3"), 10);
            nginx.stop();
            assertFalse(FreePorts.isListening(nginx.port()), "stopped");
            assertEquals(1, nginx.recordings("cam3").size(), "the recording survives the stop");
            nginx.launch();
            publishTestPattern(nginx.rtmpUrl("cam3"), 15);
            List<Path> recordings = nginx.awaitRecordingsClosed("cam3", 2, TIMEOUT);
            assertEquals(2, recordings.size(), "one file per publish: " + recordings);
            assertTrue(recordings.get(0).toString().matches(".*/run-1/cam3-\\d+\\.flv"), recordings.toString());
            assertEquals(List.of(10, 15), recordings.stream().map(Ffprobe::countFrames).toList(), "oldest first");
            assertEquals(2, nginx.publishCount("cam3"), "the error log spans both runs");
            assertEquals(0, nginx.alreadyPublishingCount());
            assertTrue(nginx.recordings("cam").isEmpty(), "another name's recordings are not cam's");
        }
    }

    @Test
    void ffmpegListenReceivesOneStreamAndExits() throws Exception {
        Path out = dir.resolve("received.flv");
        try (FfmpegListen listen = FfmpegListen.start("cam2", out)) {
            assertTrue(listen.rtmpUrl().endsWith("/live/cam2"));
            publishTestPattern(listen.rtmpUrl(), 10);
            assertEquals(0, listen.awaitExit(TIMEOUT), listen.log());
            assertEquals(10, Ffprobe.countFrames(out));
            assertTrue(Files.size(out) > 0);
        }
    }

    @Test
    void mosquittoAcceptsAnMqttConnectAndSurvivesARestart() throws Exception {
        try (Mosquitto broker = Mosquitto.start()) {
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
            assertConnack(broker.port());
            broker.restart();
            assertConnack(broker.port());
        }
    }

    @Test
    void preparedMosquittoListensOnlyBetweenLaunchAndStop() throws Exception {
        try (Mosquitto broker = Mosquitto.prepare()) {
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
            assertFalse(FreePorts.isListening(broker.port()), "prepared, not launched");
            broker.launch();
            assertConnack(broker.port());
            IllegalStateException twice = assertThrows(IllegalStateException.class, broker::launch);
            assertTrue(twice.getMessage().contains("already running"), twice.getMessage());
            broker.stop();
            assertFalse(FreePorts.isListening(broker.port()), "stopped");
            broker.launch();
            assertConnack(broker.port());
        }
    }

    @Test
    void ffprobeReportsDecodeErrorsForGarbage() throws Exception {
        Path garbage = dir.resolve("garbage.h264");
        Files.write(garbage, new byte[] {0, 0, 0, 1, 0x65, (byte) 0xFF, 0x12, 0x34, 0, 0, 1, 0x67, 0x42});
        assertFalse(Ffprobe.decodeErrors(garbage).isEmpty());
    }

    /** MQTT 3.1.1 section 3.1 CONNECT (clean session, keep alive 60 s, empty client id) -> CONNACK accepted. */
    private static void assertConnack(int port) throws Exception {
        byte[] connect = {0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 0};
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(connect);
            InputStream in = socket.getInputStream();
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, in.readNBytes(4));
        }
    }

    private static void publishTestPattern(String url, int frames) {
        Path ffmpeg = Peers.require("ffmpeg");
        Processes.run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-f", "lavfi",
                "-i", "testsrc2=size=160x120:rate=25", "-frames:v", Integer.toString(frames), "-c:v", "libx264",
                "-profile:v", "baseline", "-g", "25", "-f", "flv", url), TIMEOUT).requireSuccess();
    }
}
