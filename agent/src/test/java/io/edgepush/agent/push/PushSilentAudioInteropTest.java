package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.cli.AgentMain;
import io.edgepush.protocol.flv.FlvFileReader;
import io.edgepush.protocol.flv.FlvTag;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.testkit.FfmpegListen;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent push --silent-audio} into nginx-rtmp and ffmpeg listen, and its {@code --record} file: the video
 * arrives intact ({@link RecordingChecks}) and ffprobe/ffmpeg see a silent AAC-LC 44.1 kHz mono track as long as
 * the video ({@link SilentAudioChecks}); the whole file, both streams, decodes without an error.
 */
class PushSilentAudioInteropTest {
    @RegisterExtension
    static final SharedNginx nginx = new SharedNginx("ffprobe");

    @ParameterizedTest(name = "{0} -> nginx-rtmp, --record")
    @ValueSource(strings = {"small.h264", "bframes.h264"})
    void silentAudioIntoNginxAndTheRecordFile(String fixture, @TempDir Path dir) throws Exception {
        Path input = Fixtures.repoFixture(fixture);
        String name = "audio_" + PushInteropTest.streamName(input);
        Path record = dir.resolve("local.flv");
        int exit = AgentMain.execute("push", "--input", input.toString(), "--url", nginx.rtmpUrl(name),
                "--fps", "25", "--fast", "--silent-audio", "--record", record.toString());
        assertEquals(0, exit, "agent push exit status");
        Path recording = nginx.awaitRecordingClosed(name, Duration.ofSeconds(20));
        RecordingChecks.assertArrivedIntact(input, recording, 25);
        SilentAudioChecks.assertSilentAacTrack(recording, 25);

        try (FlvFileReader reader = new FlvFileReader(record)) {
            assertTrue(reader.hasAudio() && reader.hasVideo(), "FLV header TypeFlagsAudio and TypeFlagsVideo");
        }
        List<FlvTag> tags = FlvFileReader.readAll(record);
        assertEquals(FlvTagType.SCRIPT_DATA, tags.get(0).tagType(), "onMetaData first");
        assertEquals(FlvTagType.AUDIO, tags.get(1).tagType(), "then the AAC sequence header");
        RecordingChecks.assertArrivedIntact(input, record, 25);
        SilentAudioChecks.assertSilentAacTrack(record, 25);
    }

    @ParameterizedTest(name = "{0} -> ffmpeg -listen 1")
    @ValueSource(strings = {"small.h264"})
    void silentAudioIntoFfmpegListen(String fixture, @TempDir Path dir) {
        Peers.require("ffmpeg");
        Path input = Fixtures.repoFixture(fixture);
        Path out = dir.resolve("out.flv");
        try (FfmpegListen ffmpeg = FfmpegListen.start("audio", out)) {
            int exit = AgentMain.execute("push", "--input", input.toString(), "--url", ffmpeg.rtmpUrl(),
                    "--fps", "25", "--fast", "--silent-audio");
            assertEquals(0, exit, "agent push exit status");
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(20)), () -> "ffmpeg exit; log:\n" + ffmpeg.log());
        }
        RecordingChecks.assertArrivedIntact(input, out, 25);
        SilentAudioChecks.assertSilentAacTrack(out, 25);
    }
}
