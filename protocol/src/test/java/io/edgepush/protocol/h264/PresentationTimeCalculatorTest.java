package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.PicOrderCounterTest.frame;
import static io.edgepush.protocol.h264.PicOrderCounterTest.idr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamps for decode-order pictures at 25 fps (40 ms), expected values worked out by hand. */
class PresentationTimeCalculatorTest {
    private final List<String> sent = new ArrayList<>();
    private final PresentationTimeCalculator<String> calculator = new PresentationTimeCalculator<>(25,
            (name, dtsMs, compositionTimeMs) -> sent.add(name + " " + dtsMs + " " + compositionTimeMs));

    /** Main-profile SPS with pic_order_cnt_type 0, MaxPicOrderCntLsb 64 and the given max_num_reorder_frames. */
    static Sps spsWithReorder(int maxNumReorderFrames) {
        return new Sps(77, 0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 0, 6, false, 4, null, 0, 0, List.of(),
                maxNumReorderFrames);
    }

    @Test
    void bFramesGetCompositionTimeFromTheirDisplayRank() {
        Sps sps = spsWithReorder(1);
        // decode order I0 P6 B2 B4 P12 B8 B10; display order I0 B2 B4 P6 B8 B10 P12; PTS = (rank + 1) * 40
        calculator.push("I0", sps, idr(0), false);
        assertEquals(List.of("I0 0 40"), sent, "an IDR goes out at once: nothing of its period precedes it");
        calculator.push("P6", sps, frame(2, 1, 6, 0, 0), false);
        assertEquals(List.of("I0 0 40"), sent, "P6 waits: B pictures may come before it");
        calculator.push("B2", sps, frame(0, 2, 2, 0, 0), false);
        calculator.push("B4", sps, frame(0, 2, 4, 0, 0), false);
        calculator.push("P12", sps, frame(2, 2, 12, 0, 0), false);
        calculator.push("B8", sps, frame(0, 3, 8, 0, 0), false);
        calculator.push("B10", sps, frame(0, 3, 10, 0, 0), false);
        calculator.flush();
        assertEquals(List.of("I0 0 40", "P6 40 120", "B2 80 0", "B4 120 0", "P12 160 120", "B8 200 0",
                "B10 240 0"), sent);
    }

    @Test
    void idrOutputsEveryWaitingPictureFirst() {
        Sps sps = spsWithReorder(2);
        calculator.push("I0", sps, idr(0), false);
        calculator.push("P4", sps, frame(2, 1, 4, 0, 0), false);
        calculator.push("B2", sps, frame(0, 2, 2, 0, 0), false);
        calculator.push("I0'", sps, idr(0), false);
        calculator.push("P2'", sps, frame(2, 1, 2, 0, 0), false);
        calculator.flush();
        // ranks: I0 0, B2 1, P4 2, I0' 3, P2' 4; PTS = (rank + 2) * 40
        assertEquals(List.of("I0 0 80", "P4 40 120", "B2 80 40", "I0' 120 80", "P2' 160 80"), sent);
    }

    @Test
    void deeperReorderingThanAnnouncedRaisesTheDepthAndKeepsPtsAtOrAfterDts() {
        Sps sps = spsWithReorder(0);
        calculator.push("I0", sps, idr(0), false);
        calculator.push("P4", sps, frame(2, 1, 4, 0, 0), false);
        calculator.push("B2", sps, frame(0, 2, 2, 0, 0), false);
        assertEquals(1, calculator.reorderDepth());
        calculator.flush();
        assertEquals(List.of("I0 0 0", "P4 40 0", "B2 80 40"), sent);
    }

    @Test
    void pictureWithoutSliceHeaderIsPlacedAfterItsPeriod() {
        Sps sps = spsWithReorder(1);
        calculator.push("I0", sps, idr(0), false);
        calculator.push("P4", sps, frame(2, 1, 4, 0, 0), false);
        calculator.push("X", null, null, false);
        calculator.flush();
        assertEquals(List.of("I0 0 40", "P4 40 40", "X 80 40"), sent);
    }

    @Test
    void discardHandsBackPicturesNotYetSent() {
        Sps sps = spsWithReorder(2);
        calculator.push("I0", sps, idr(0), false);
        calculator.push("P4", sps, frame(2, 1, 4, 0, 0), false);
        List<String> discarded = new ArrayList<>();
        calculator.discard(discarded::add);
        assertEquals(List.of("P4"), discarded, "the IDR went out at once; P4 waits for its reorder depth");
        calculator.flush();
        assertEquals(1, sent.size(), "only I0 was handed on: " + sent);
    }

    @Test
    void reorderDepthIsFromVuiElseInferred() {
        assertEquals(3, PresentationTimeCalculator.reorderDepth(spsWithReorder(3)));
        Sps type2 = new Sps(66, 0xC0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 2, 0, false, 1, null);
        assertEquals(0, PresentationTimeCalculator.reorderDepth(type2), "POC type 2: output order = decode order");
        Sps intra = new Sps(100, 0x10, 40, 0, 1, false, 8, 8, 1920, 1080, 4, true, 0, 4, false, 0, null);
        assertEquals(0, PresentationTimeCalculator.reorderDepth(intra), "High with constraint_set3_flag");
        Sps hd = new Sps(100, 0, 40, 0, 1, false, 8, 8, 1920, 1080, 4, true, 0, 4, false, 4, null);
        assertEquals(4, PresentationTimeCalculator.reorderDepth(hd), "MaxDpbMbs 32768 / (120 * 68) MBs");
        Sps qcif = new Sps(77, 0, 9, 0, 1, false, 8, 8, 176, 144, 4, true, 0, 4, false, 4, null);
        assertEquals(4, PresentationTimeCalculator.reorderDepth(qcif), "level 1b: 396 / 99 MBs");
        Sps small = new Sps(77, 0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 0, 4, false, 4, null);
        assertEquals(16, PresentationTimeCalculator.reorderDepth(small), "8100 / 300 MBs, at most 16");
    }

    @Test
    void baselineWithoutVuiReorderDepthIsZero() {
        // profile_idc 66 has no B slices (A.2.1): no MaxDpbFrames of presentation delay on Baseline files.
        Sps baseline = new Sps(66, 0xC0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 0, 4, false, 4, null);
        assertEquals(0, PresentationTimeCalculator.reorderDepth(baseline));
        Sps main = new Sps(77, 0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 0, 4, false, 4, null);
        assertEquals(16, PresentationTimeCalculator.reorderDepth(main), "the same picture as Main profile");
    }
}
