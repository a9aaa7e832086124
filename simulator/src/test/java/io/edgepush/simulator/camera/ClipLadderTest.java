package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a ladder directory: file names, the clips, and the errors that name what to fix. */
class ClipLadderTest {
    private static void copy(String fixture, Path dir, String name) throws IOException {
        Files.copy(Fixtures.repoFixture(fixture), dir.resolve(name));
    }

    private static String loadError(Path dir) {
        return assertThrows(IOException.class, () -> ClipLadder.load(dir)).getMessage();
    }

    @Test
    void loadsTheRungsOfAScene(@TempDir Path dir) throws IOException {
        TinyLadder.make(dir);
        Files.writeString(dir.resolve("README.txt"), "other files are ignored");
        ClipLadder ladder = ClipLadder.load(dir);
        assertEquals(List.of(TinyLadder.HIGH, TinyLadder.MID, TinyLadder.LOW), ladder.ladder().rungs());
        assertEquals(TinyLadder.HIGH, ladder.highest());
        assertEquals(ClipCodec.H264, ladder.codec());
        assertEquals(TinyLadder.SECONDS * 1_000_000L, ladder.durationUs());
        Clip low = ladder.clip(TinyLadder.LOW);
        assertEquals(128, low.width());
        assertEquals(TinyLadder.SECONDS * 10, low.size());
        // An IDR every second: frames 0, 20, 40 at 20 fps; 0, 10, 20 at 10 fps.
        assertArrayEquals(new int[] {0, 20, 40}, ladder.clip(TinyLadder.HIGH).idrIndexes());
        assertArrayEquals(new int[] {0, 10, 20}, low.idrIndexes());
        assertThrows(IllegalArgumentException.class, () -> ladder.clip(new LadderRung(640, 480, 15, 500_000)));
    }

    @Test
    void aMissingOrEmptyDirectoryIsAnError(@TempDir Path dir) throws IOException {
        assertEquals("ladder directory " + dir.resolve("nope") + ": no such directory", loadError(dir.resolve("nope")));
        Files.writeString(dir.resolve("notes.txt"), "no clips here");
        assertEquals("ladder directory " + dir + " holds no clip named <width>x<height>_<fps>_<kbps>.h264 (make one"
                + " with scripts/make-ladder.sh " + dir + ")", loadError(dir));
    }

    @Test
    void aClipNameOutsideThePatternIsNamed(@TempDir Path dir) throws IOException {
        copy("small.h264", dir, "320x240_25_500.h264");
        copy("small.h264", dir, "small.h264");
        assertEquals("ladder directory " + dir + ": small.h264: a ladder clip must be named"
                + " <width>x<height>_<fps>_<kbps>.h264 (or .h265), e.g. 1280x720_20_1000.h264", loadError(dir));
    }

    @Test
    void clipsOfDifferentCodecsAreRefused(@TempDir Path dir) throws IOException {
        copy("small.h264", dir, "320x240_25_500.h264");
        copy("small.265", dir, "320x180_25_400.h265");
        String error = loadError(dir);
        assertTrue(error.startsWith("ladder clips must share one codec: "), error);
        assertTrue(error.contains("320x240_25_500.h264 is H.264") && error.contains("320x180_25_400.h265 is H.265"),
                error);
    }

    @Test
    void twoFilesOfOneRungAreRefused(@TempDir Path dir) throws IOException {
        copy("small.h264", dir, "320x240_25_500.h264");
        copy("small.265", dir, "320x240_25_500.h265");
        assertEquals("ladder directory " + dir + ": 320x240_25_500.h264 and 320x240_25_500.h265 are the same rung"
                + " 320x240_25_500", loadError(dir));
    }

    @Test
    void aNameThatLiesAboutThePictureSizeIsRefused(@TempDir Path dir) throws IOException {
        copy("small.h264", dir, "640x480_25_500.h264");
        assertEquals(dir.resolve("640x480_25_500.h264") + ": its SPS says 320x240 pixels, its name 640x480",
                loadError(dir));
    }

    @Test
    void anUnplayableClipIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("320x240_25_500.h264"), "not video");
        String error = loadError(dir);
        assertTrue(error.startsWith(dir.resolve("320x240_25_500.h264").toString()), error);
    }

    @Test
    void rungsOfDifferentLengthsAreNotOneScene(@TempDir Path dir, @TempDir Path shorter) throws IOException {
        TinyLadder.make(dir, TinyLadder.SECONDS, TinyLadder.HIGH);
        TinyLadder.make(shorter, 2, TinyLadder.LOW);
        Files.copy(shorter.resolve("128x96_10_150.h264"), dir.resolve("128x96_10_150.h264"));
        String error = loadError(dir);
        assertTrue(error.startsWith("the rungs of a ladder must cover the same scene: "), error);
        assertTrue(error.contains("128x96_10_150.h264 lasts 2.000 s (20 frames at 10 fps)"), error);
        assertTrue(error.contains("192x144_20_400.h264 3.000 s (60 frames at 20 fps)"), error);
    }

    @Test
    void keyframesAtOtherTimesAreRefused(@TempDir Path dir) {
        TinyLadder.make(dir, TinyLadder.SECONDS, TinyLadder.HIGH);
        // The low rung with an IDR every 1.5 s (frames 0 and 15 at 10 fps) instead of every second.
        Path ffmpeg = Peers.require("ffmpeg");
        Processes.run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=128x96:rate=10:duration=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "15",
                "-keyint_min", "15", "-sc_threshold", "0", "-bf", "0", "-f", "h264",
                dir.resolve("128x96_10_150.h264").toString()), Duration.ofSeconds(60)).requireSuccess();
        String error = loadError(dir);
        assertTrue(error.startsWith("ladder keyframes are not aligned in time: "), error);
        assertTrue(error.contains("-force_key_frames"), error);
    }
}
