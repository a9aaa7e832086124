package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a recording with the silent AAC track must show to ffprobe/ffmpeg: one AAC-LC stream at 44100 Hz mono,
 * strictly increasing audio DTS starting at the first video DTS, all-zero decoded samples, and an audio duration
 * equal to the video's presentation duration (first PTS to last PTS plus one frame) to within one AAC frame
 * (1024 / 44100 s = 23.2 ms, plus 1 ms of millisecond rounding). With B-frames the video's presentation starts
 * one composition delay after its first DTS; the audio starts at the first DTS, so it is offset by that delay.
 */
public final class SilentAudioChecks {
    /** One AAC frame in ms, rounded up, plus 1 ms for the FLV millisecond timestamps. */
    static final long ONE_AAC_FRAME_MS = 24 + 1;

    private SilentAudioChecks() {
    }

    /**
     * Asserts the audio track of {@code recording} as described above.
     *
     * @param fps the video frame rate, for the duration of the last video frame
     */
    public static void assertSilentAacTrack(Path recording, double fps) {
        Map<String, String> stream = entries(ffprobe(recording, "-show_entries",
                "stream=codec_name,profile,sample_rate,channels", "-of", "default=nw=1"));
        assertEquals("aac", stream.get("codec_name"), "audio codec: " + stream);
        assertEquals("LC", stream.get("profile"), "AAC profile: " + stream);
        assertEquals("44100", stream.get("sample_rate"), "sample rate: " + stream);
        assertEquals("1", stream.get("channels"), "channels: " + stream);

        List<Long> audioDtsMs = new ArrayList<>();
        for (String line : ffprobe(recording, "-show_entries", "packet=dts_time", "-of", "compact=p=0")
                .split("\n")) {
            String field = line.trim().split("\\|")[0];
            if (field.startsWith("dts_time=")) {
                audioDtsMs.add(millis(field.substring("dts_time=".length())));
            }
        }
        assertTrue(audioDtsMs.size() > 10, "audio packets: " + audioDtsMs.size());
        for (int i = 1; i < audioDtsMs.size(); i++) {
            assertTrue(audioDtsMs.get(i) > audioDtsMs.get(i - 1), "audio DTS strictly increasing at " + i);
        }
        List<Ffprobe.Packet> video = Ffprobe.packets(recording);
        long frameMs = Math.round(1000 / fps);
        long videoDurationMs = video.stream().mapToLong(Ffprobe.Packet::ptsMs).max().orElseThrow() + frameMs
                - video.stream().mapToLong(Ffprobe.Packet::ptsMs).min().orElseThrow();
        long audioDurationMs = audioDtsMs.get(audioDtsMs.size() - 1) + 23 - audioDtsMs.get(0);
        assertTrue(Math.abs(audioDurationMs - videoDurationMs) <= ONE_AAC_FRAME_MS,
                "audio lasts " + audioDurationMs + " ms, video " + videoDurationMs + " ms");
        assertEquals(video.get(0).dtsMs(), audioDtsMs.get(0), "the audio starts with the first video DTS");
        assertDecodesToSilence(recording, audioDtsMs.size());
    }

    private static void assertDecodesToSilence(Path recording, int packets) {
        try {
            Path pcm = Files.createTempFile("silent-audio", ".s16");
            try {
                Processes.Result r = Processes.run(List.of(Peers.require("ffmpeg").toString(), "-nostdin", "-y",
                        "-v", "error", "-i", recording.toString(), "-map", "0:a:0", "-f", "s16le", pcm.toString()));
                assertEquals("", r.stderr().strip(), "audio decode errors");
                byte[] samples = Files.readAllBytes(pcm);
                assertEquals(packets * 1024L * 2, samples.length, "1024 16-bit samples per packet");
                for (int i = 0; i < samples.length; i++) {
                    assertEquals(0, samples[i], "decoded sample byte " + i);
                }
            } finally {
                Files.deleteIfExists(pcm);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ffprobe(Path file, String... args) {
        List<String> command = new ArrayList<>(List.of(Peers.require("ffprobe").toString(), "-v", "error",
                "-select_streams", "a:0"));
        command.addAll(List.of(args));
        command.add(file.toString());
        return Processes.run(command).requireSuccess().stdout();
    }

    private static Map<String, String> entries(String out) {
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static long millis(String seconds) {
        return new BigDecimal(seconds.trim()).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
