package io.edgepush.agent.push;

import io.edgepush.agent.cli.AgentMain;
import io.edgepush.testkit.FfmpegListen;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Peers;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code agent push --fps 25 --fast} of real H.264 files into real RTMP servers (nginx-rtmp recording
 * everything, and ffmpeg in listen mode); what arrived is checked with ffprobe/ffmpeg: as many video
 * frames as the source, the same size, no decode errors, DTS 40 ms apart ({@link RecordingChecks}).
 */
class PushInteropTest {
    @RegisterExtension
    static final SharedNginx nginx = new SharedNginx("ffprobe");

    static List<Path> inputs() {
        List<Path> inputs = new ArrayList<>();
        inputs.add(Fixtures.repoFixture("small.h264"));
        inputs.add(Fixtures.repoFixture("slices2.h264"));
        inputs.addAll(Fixtures.sharedH264());
        return inputs;
    }

    @ParameterizedTest(name = "{0} -> nginx-rtmp")
    @MethodSource("inputs")
    void pushIntoNginxRecordsEveryFrame(Path input) {
        String name = streamName(input);
        int exit = AgentMain.execute("push", "--input", input.toString(), "--url", nginx.rtmpUrl(name),
                "--fps", "25", "--fast");
        assertEquals(0, exit, "agent push exit status");
        Path recording = nginx.awaitRecordingClosed(name, Duration.ofSeconds(20));
        RecordingChecks.assertArrivedIntact(input, recording, 25);
    }

    @ParameterizedTest(name = "{0} -> ffmpeg -listen 1")
    @MethodSource("inputs")
    void pushIntoFfmpegListenRecordsEveryFrame(Path input, @TempDir Path dir) {
        Peers.require("ffmpeg");
        String name = streamName(input);
        Path out = dir.resolve(name + ".flv");
        try (FfmpegListen ffmpeg = FfmpegListen.start(name, out)) {
            int exit = AgentMain.execute("push", "--input", input.toString(), "--url", ffmpeg.rtmpUrl(),
                    "--fps", "25", "--fast");
            assertEquals(0, exit, "agent push exit status");
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(20)), () -> "ffmpeg exit; log:\n" + ffmpeg.log());
        }
        RecordingChecks.assertArrivedIntact(input, out, 25);
    }

    static String streamName(Path input) {
        String file = input.getFileName().toString();
        return file.substring(0, file.lastIndexOf('.')).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
