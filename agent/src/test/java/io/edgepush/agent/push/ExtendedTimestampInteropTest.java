package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.testkit.FfmpegListen;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3 item 1: a stream whose clock starts just below 0xFFFFFF ms (the 24-bit timestamp field's limit, Adobe
 * RTMP spec 5.3.1.3; reached after 4 h 39 min) crosses the boundary into nginx-rtmp and ffmpeg -listen. The
 * stream clock is moved with {@link FileSource}'s test seam ({@link FilePushOptions#firstTimestampMs}).
 * small.h264 has 50 frames at 25 fps, so starting 1000 ms below puts 25 frames (with the keyframe of the second
 * GOP at exactly 0xFFFFFF) on each side; starting at 0xFFFFFF + 1000 makes the first message of each chunk
 * stream carry a 4-byte extended timestamp; starting at 2^32 - 1000 ms (int -1000) crosses the 32-bit wrap after 25 frames (49.7 days of
 * streaming), where the writer starts over with a type 0 header. Checked with ffprobe: frame count = source, sizes, zero decode errors, DTS strictly increasing by
 * 40 ms ({@link RecordingChecks}). Both servers rebase their recording to start near 0 (nginx-rtmp's record
 * module subtracts the first timestamp; ffmpeg's {@code -c copy} shifts by the input's start time), so what the
 * recording proves is that every step across the boundary was read as 40 ms: a server misreading the 24-bit field
 * or an extended timestamp would show a jump of about 0xFFFFFF ms there.
 */
class ExtendedTimestampInteropTest {
    private static final Path INPUT = Fixtures.repoFixture("small.h264");
    private static final int BOUNDARY = 0xFFFFFF;

    @ParameterizedTest(name = "first timestamp {0} ms (signed int) -> nginx-rtmp")
    @ValueSource(ints = {BOUNDARY - 1000, BOUNDARY + 1000, -1000})
    void acrossTheExtendedTimestampBoundaryIntoNginx(int firstTimestampMs) throws Exception {
        Peers.require("ffprobe");
        try (Nginx nginx = Nginx.start()) {
            String name = "ext" + firstTimestampMs;
            push(nginx.rtmpUrl(name), firstTimestampMs);
            Path recording = nginx.awaitRecordingClosed(name, Duration.ofSeconds(20));
            RecordingChecks.assertArrivedIntact(INPUT, recording, 25);
        }
    }

    @ParameterizedTest(name = "first timestamp {0} ms (signed int) -> ffmpeg -listen 1")
    @ValueSource(ints = {BOUNDARY - 1000, BOUNDARY + 1000, -1000})
    void acrossTheExtendedTimestampBoundaryIntoFfmpegListen(int firstTimestampMs, @TempDir Path dir) throws Exception {
        Peers.require("ffmpeg");
        Path out = dir.resolve("ext.flv");
        try (FfmpegListen ffmpeg = FfmpegListen.start("ext", out)) {
            push(ffmpeg.rtmpUrl(), firstTimestampMs);
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(20)), () -> "ffmpeg exit; log:\n" + ffmpeg.log());
        }
        RecordingChecks.assertArrivedIntact(INPUT, out, 25);
    }

    private static void push(String url, int firstTimestampMs) throws Exception {
        RtmpPublisher publisher = RtmpPublisher.publish(RtmpUrl.parse(url), RtmpPublisherOptions.defaults())
                .get(15, TimeUnit.SECONDS);
        try (publisher) {
            FileSource.Result result = new FileSource(FilePushOptions.of(25, true)
                    .withFirstTimestampMs(firstTimestampMs)).push(INPUT, publisher);
            assertEquals(50, result.framesSent());
            assertEquals(firstTimestampMs + 49 * 40, result.lastTimestampMs());
        }
    }
}
