package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed fixtures are what fixtures/README.md says, as seen by ffprobe (an independent decoder). */
class FixtureFilesTest {
    @ParameterizedTest
    @CsvSource({"small.h264, 50, 320, 240", "slices2.h264, 25, 320, 240", "vui.h264, 30, 320, 180"})
    void fixtureDecodesCleanlyWithTheDocumentedFramesAndSize(String name, int frames, int width, int height) {
        Path file = Fixtures.repoFixture(name);
        assertEquals(frames, Ffprobe.countFrames(file));
        assertEquals(new Ffprobe.VideoSize(width, height), Ffprobe.videoSize(file));
        assertEquals("", Ffprobe.decodeErrors(file));
    }

    @ParameterizedTest
    @CsvSource({"small.h264, 50, 2", "slices2.h264, 25, 1", "vui.h264, 30, 1"})
    void rawStreamPacketsAreAccessUnitsWithoutTimestamps(String name, int packets, int keyframes) {
        List<Ffprobe.Packet> list = Ffprobe.packets(Fixtures.repoFixture(name));
        assertEquals(packets, list.size());
        assertEquals(keyframes, list.stream().filter(Ffprobe.Packet::keyframe).count());
        assertTrue(list.get(0).keyframe());
        assertNull(list.get(0).dtsMs());
        assertFalse(list.stream().anyMatch(p -> p.sizeBytes() <= 0));
    }
}
