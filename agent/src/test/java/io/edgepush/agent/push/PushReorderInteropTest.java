package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.cli.AgentMain;
import io.edgepush.testkit.FfmpegListen;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The x264 streams that other publishers get wrong, pushed with {@code agent push --fast} into nginx-rtmp and
 * ffmpeg listen: B-frames with b-pyramid (composition time from the picture order count), a resolution change
 * at an IDR (new sequence header and onMetaData), and 1080p30 High profile at 4 Mbps with B-frames (generated at
 * test time, {@link GeneratedStreams}). Each recording must hold every source frame, at the source's sizes,
 * decode without errors, have strictly increasing DTS one frame apart with PTS &gt;= DTS, and decode to the
 * source's pictures in the source's display order (framemd5). Both servers keep the composition time. The
 * nginx-rtmp push also writes {@code --record FILE.flv}, which must pass the same checks.
 */
class PushReorderInteropTest {
    @RegisterExtension
    static final SharedNginx nginx = new SharedNginx("ffprobe", "ffmpeg");

    @ParameterizedTest(name = "{0} -> nginx-rtmp")
    @CsvSource({"bframes.h264, 25", "reschange.h264, 25", GeneratedStreams.HD_1080P30 + ", 30"})
    void pushIntoNginxAndRecordLocally(String inputName, double fps, @TempDir Path dir) {
        Path input = GeneratedStreams.input(inputName);
        String name = PushInteropTest.streamName(input);
        Path local = dir.resolve(name + "-local.flv");
        int exit = AgentMain.execute("push", "--input", input.toString(), "--url", nginx.rtmpUrl(name),
                "--fps", String.valueOf(fps), "--fast", "--record", local.toString());
        assertEquals(0, exit, "agent push exit status");
        Path recording = nginx.awaitRecordingClosed(name, Duration.ofSeconds(30));
        RecordingChecks.assertArrivedIntact(input, recording, fps);
        RecordingChecks.assertSameFramesInDisplayOrder(input, recording, fps);
        RecordingChecks.assertArrivedIntact(input, local, fps);
        RecordingChecks.assertSameFramesInDisplayOrder(input, local, fps);
    }

    @ParameterizedTest(name = "{0} -> ffmpeg -listen 1")
    @CsvSource({"bframes.h264, 25", "reschange.h264, 25", GeneratedStreams.HD_1080P30 + ", 30"})
    void pushIntoFfmpegListen(String inputName, double fps, @TempDir Path dir) {
        Path input = GeneratedStreams.input(inputName);
        String name = PushInteropTest.streamName(input);
        Path out = dir.resolve(name + ".flv");
        try (FfmpegListen ffmpeg = FfmpegListen.start(name, out)) {
            int exit = AgentMain.execute("push", "--input", input.toString(), "--url", ffmpeg.rtmpUrl(),
                    "--fps", String.valueOf(fps), "--fast");
            assertEquals(0, exit, "agent push exit status");
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(30)), () -> "ffmpeg exit; log:\n" + ffmpeg.log());
        }
        RecordingChecks.assertArrivedIntact(input, out, fps);
        RecordingChecks.assertSameFramesInDisplayOrder(input, out, fps);
    }
}
