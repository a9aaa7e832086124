package io.edgepush.agent.push;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;

import io.edgepush.agent.cli.StdStreams;
import io.edgepush.agent.session.FixtureAccessUnits;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code agent push} when things go wrong: a server that refuses the publish, an input that is not
 * Annex B, an input cut in the middle of a frame. Exit 1 with a clear message for failures, nothing leaks
 * (the leak check extension runs after every test), and the connection is closed.
 */
class PushErrorsTest {
    private static final String KEY = "secretkey123";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void publishRefusedWithBadNameExits1NamingTheErrorCode() throws Exception {
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", "NetStream.Publish.BadName", "Already publishing");
            }
        })) {
            String input = Fixtures.repoFixture("small.h264").toString();
            StdStreams r = StdStreams.agent("push", "--input", input, "--url", server.urlText(KEY), "--fast",
                    "--connect-timeout-ms", "5000");
            assertEquals(1, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("RTMP_PUBLISH_BAD_NAME"), r::describe);
            assertFalse(r.stderr().contains(KEY) || r.stdout().contains(KEY), () -> "stream key in output\n" + r.describe());
            assertTrue(server.commandNames().contains("publish"), () -> "server saw " + server.commandNames());
            assertEquals(0, server.received(FlvTagType.VIDEO).size(), "video sent after a refused publish");
            Await.until(() -> server.connectionsEnded() >= 1, TIMEOUT, "the agent to close the refused connection");
        }
    }

    @Test
    void inputThatIsNotAnnexBExits1SayingSo() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x5A; // not a zero byte: cannot be the start of a start code
        Path input = dir.resolve("random.bin");
        Files.write(input, garbage);
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            StdStreams r = StdStreams.agent("push", "--input", input.toString(), "--url", server.urlText(KEY), "--fast");
            assertEquals(1, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("random.bin") && r.stderr().contains("start code"), r::describe);
            assertEquals(0, server.received(FlvTagType.VIDEO).size(), "video messages sent for a file that is not H.264");
            Await.until(() -> server.connectionsEnded() >= 1, TIMEOUT, "the agent to close the connection");
        }
    }

    @Test
    void inputWithoutAKeyframeExits1() throws Exception {
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        ByteArrayOutputStream noIdr = new ByteArrayOutputStream();
        for (List<byte[]> au : units) {
            if (!FixtureAccessUnits.isKeyframe(au)) {
                noIdr.writeBytes(FixtureAccessUnits.annexB(au));
            }
        }
        Path input = dir.resolve("no-idr.h264");
        Files.write(input, noIdr.toByteArray());
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            StdStreams r = StdStreams.agent("push", "--input", input.toString(), "--url", server.urlText(KEY), "--fast");
            assertEquals(1, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("keyframe"), r::describe);
            assertEquals(0, server.received(FlvTagType.VIDEO).size(), "video messages sent without a keyframe");
        }
    }

    @Test
    void inputCutInTheMiddleOfAFramePushesTheCompleteFramesAndExits0() throws Exception {
        Peers.require("ffprobe");
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        int middle = units.size() / 2;
        while (FixtureAccessUnits.isKeyframe(units.get(middle))) {
            middle++; // cut a P picture: the recording's last GOP stays decodable up to the cut
        }
        int complete = middle;
        List<byte[]> cutUnit = units.get(complete);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < complete; i++) {
            file.writeBytes(FixtureAccessUnits.annexB(units.get(i)));
        }
        List<byte[]> truncated = new ArrayList<>(cutUnit);
        byte[] lastNal = truncated.remove(truncated.size() - 1);
        truncated.add(Arrays.copyOf(lastNal, lastNal.length / 2));
        file.writeBytes(FixtureAccessUnits.annexB(truncated));
        Path input = dir.resolve("cut.h264");
        Files.write(input, file.toByteArray());

        try (Nginx nginx = Nginx.start()) {
            StdStreams r = StdStreams.agent("push", "--input", input.toString(), "--url", nginx.rtmpUrl("cut"),
                    "--fps", "25", "--fast");
            assertEquals(0, r.exitCode(), r::describe);
            Path recording = nginx.awaitRecordingClosed("cut", TIMEOUT);
            List<Ffprobe.Packet> packets = Ffprobe.packets(recording);
            assertTrue(packets.size() == complete || packets.size() == complete + 1,
                    () -> complete + " complete access units (+1 cut), recorded " + packets.size() + " packets");
            for (int i = 0; i < complete; i++) {
                assertEquals(FixtureAccessUnits.avccSize(units.get(i)), packets.get(i).sizeBytes(), "packet " + i + " size");
                assertEquals(i * 40L, packets.get(i).dtsMs(), "packet " + i + " DTS");
            }
            assertTrue(packets.get(0).keyframe(), "recording starts with a keyframe");
            assertTrue(Ffprobe.countFrames(recording) >= complete, "decodable frames in the recording");
        }
    }
}
