package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the interop tests check in a recording made by a real RTMP server (or by {@code agent push --record}),
 * against the Annex B source, with ffprobe/ffmpeg as the independent judge. What the source decodes to is
 * computed once per source file and test run (the 1080p stream is checked against several recordings).
 */
final class RecordingChecks {
    private static final Pattern WIDTH = Pattern.compile("(?:^|\\|)width=(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("\\|height=(\\d+)");
    private static final Pattern PTS = Pattern.compile("(?:^|\\|)pts_time=([0-9.]+)");

    private static final Map<String, Object> SOURCE_FACTS = new ConcurrentHashMap<>();

    private RecordingChecks() {
    }

    @SuppressWarnings("unchecked")
    private static <T> T sourceFact(String kind, Path source, Function<Path, T> probe) {
        return (T) SOURCE_FACTS.computeIfAbsent(kind + ":" + source.toAbsolutePath(), k -> probe.apply(source));
    }

    /**
     * Frame count = source, first and last decoded frame sizes = source, zero decode errors, DTS strictly
     * increasing by one frame duration (round(1000 / fps) ms, or 1 ms off for rates like 30), PTS &gt;= DTS.
     */
    static void assertArrivedIntact(Path source, Path recording, double fps) {
        int sourceFrames = sourceFact("frames", source, Ffprobe::countFrames);
        assertEquals(sourceFrames, Ffprobe.countFrames(recording), "video frames recorded");
        List<String> sourceSizes = sourceFact("sizes", source, RecordingChecks::frameSizes);
        List<String> recordedSizes = frameSizes(recording);
        assertEquals(sourceSizes.get(0), recordedSizes.get(0), "width x height of the first frame");
        assertEquals(sourceSizes.get(sourceSizes.size() - 1), recordedSizes.get(recordedSizes.size() - 1),
                "width x height of the last frame");
        assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors");
        List<Ffprobe.Packet> packets = Ffprobe.packets(recording);
        assertTrue(packets.size() > 1, "recording has packets");
        for (int i = 0; i < packets.size(); i++) {
            Ffprobe.Packet packet = packets.get(i);
            assertTrue(packet.dtsMs() != null && packet.ptsMs() != null, "packet " + i + " has DTS and PTS");
            assertTrue(packet.ptsMs() >= packet.dtsMs(), "PTS >= DTS at packet " + i + ": " + packet);
            if (i > 0) {
                assertFrameStep(packet.dtsMs() - packets.get(i - 1).dtsMs(), fps, "DTS step at packet " + i);
            }
        }
    }

    /**
     * The recording decodes to the same pictures as the source, in the same (display) order ({@code ffmpeg -f
     * framemd5}, timestamps passed through), and the decoded frames' PTS rise by one frame duration each.
     */
    static void assertSameFramesInDisplayOrder(Path source, Path recording, double fps) {
        List<String> expected = sourceFact("framemd5", source, Ffprobe::frameMd5);
        assertEquals(expected, Ffprobe.frameMd5(recording), "decoded frame checksums in output order");
        String out = Processes.run(List.of(Peers.require("ffprobe").toString(), "-v", "error",
                "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "compact=p=0",
                recording.toString())).requireSuccess().stdout();
        List<Long> ptsMs = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = PTS.matcher(line.trim());
            if (m.find()) {
                ptsMs.add(new BigDecimal(m.group(1)).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN)
                        .longValueExact());
            }
        }
        assertEquals(expected.size(), ptsMs.size(), "decoded frames with a PTS");
        for (int i = 1; i < ptsMs.size(); i++) {
            assertFrameStep(ptsMs.get(i) - ptsMs.get(i - 1), fps, "PTS step at output frame " + i + " of " + ptsMs);
        }
    }

    /** "WIDTHxHEIGHT" of every decoded frame in output order. */
    static List<String> frameSizes(Path file) {
        String out = Processes.run(List.of(Peers.require("ffprobe").toString(), "-v", "error",
                "-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "compact=p=0",
                file.toString())).requireSuccess().stdout();
        List<String> sizes = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher w = WIDTH.matcher(line.trim());
            Matcher h = HEIGHT.matcher(line.trim());
            if (w.find() && h.find()) {
                sizes.add(w.group(1) + "x" + h.group(1));
            }
        }
        assertTrue(!sizes.isEmpty(), "ffprobe shows frames of " + file);
        return sizes;
    }

    private static void assertFrameStep(long stepMs, double fps, String what) {
        long low = (long) Math.floor(1000.0 / fps);
        long high = (long) Math.ceil(1000.0 / fps);
        assertTrue(stepMs == low || stepMs == high, what + ": " + stepMs + " ms, expected " + low
                + (low == high ? "" : " or " + high));
    }
}
