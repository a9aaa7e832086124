package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Ladder clip file names: {@code <width>x<height>_<fps>_<kbps>.h264}. */
class LadderRungTest {
    @Test
    void parsesTheSettingFromTheFileName() {
        assertEquals(new LadderRung(1920, 1080, 25, 2_000_000), LadderRung.parseFileName("1920x1080_25_2000.h264"));
        assertEquals(new LadderRung(1280, 720, 20, 1_000_000), LadderRung.parseFileName("1280x720_20_1000.h264"));
        assertEquals(new LadderRung(640, 480, 15, 500_000), LadderRung.parseFileName("640x480_15_500.h265"));
        LadderRung r = LadderRung.parseFileName("1280x720_20_700.h264");
        assertEquals("1280x720_20_700", r.name());
        assertEquals(1280L * 720, r.pixels());
        assertEquals(0x050002D0L, r.resolutionValue(), "(1280 << 16) | 720, as SET_RESOLUTION");
    }

    @Test
    void onlyH264AndH265FilesAreClipsOfALadder() {
        assertTrue(LadderRung.isClipFileName("1920x1080_25_2000.h264"));
        assertTrue(LadderRung.isClipFileName("whatever.H265"));
        assertFalse(LadderRung.isClipFileName("README.md"));
        assertFalse(LadderRung.isClipFileName("1920x1080_25_2000.mp4"));
        assertFalse(LadderRung.isClipFileName(".1920x1080_25_2000.h264.part"), "make-ladder.sh's temporary file");
    }

    @Test
    void aClipNameOutsideThePatternIsAClearError() {
        for (String bad : List.of("clip.h264", "1920x1080_25.h264", "1920x1080_25_2000kbps.h264",
                "1920-1080_25_2000.h264", "1920x1080_25_2000.H264", "1920x1080_25_2.5.h264")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LadderRung.parseFileName(bad), bad);
            assertEquals(bad + ": a ladder clip must be named <width>x<height>_<fps>_<kbps>.h264 (or .h265),"
                    + " e.g. 1280x720_20_1000.h264", e.getMessage());
        }
    }

    @Test
    void aValueOutOfRangeNamesTheFileAndTheField() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> LadderRung.parseFileName("0x480_15_500.h264"));
        assertEquals("0x480_15_500.h264: width must be 16..8192 pixels, got 0", size.getMessage());
        IllegalArgumentException fps = assertThrows(IllegalArgumentException.class,
                () -> LadderRung.parseFileName("640x480_0_500.h264"));
        assertEquals("640x480_0_500.h264: fps must be 1..240, got 0", fps.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> LadderRung.parseFileName("640x480_15_0.h264"));
        assertEquals("640x480_15_0.h264: bitrate must be 1..4294967295 bps, got 0", rate.getMessage());
    }

    @Test
    void highestFirstIsBitrateThenPixelsThenFps() {
        LadderRung big = new LadderRung(1920, 1080, 25, 1_000_000);
        LadderRung bigFast = new LadderRung(1920, 1080, 30, 1_000_000);
        LadderRung small = new LadderRung(1280, 720, 60, 1_000_000);
        LadderRung rich = new LadderRung(640, 480, 15, 1_000_001);
        assertEquals(List.of(rich, bigFast, big, small),
                Stream.of(small, big, rich, bigFast).sorted(LadderRung.HIGHEST_FIRST).toList());
    }
}
