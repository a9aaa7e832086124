package io.edgepush.agent.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.trigger.BitstreamMotionDetector.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link BitstreamMotionDetector} on synthetic size sequences: a camera at 25 fps with an IDR every second, IDR
 * slices of 12 kB, P slices of 400 bytes (3% of an IDR, a static scene at 640x360), each picture's size varied
 * by up to +-25% (keyframes +-5%) at random (seeded) as sensor noise and rate control vary it.
 */
class BitstreamMotionDetectorTest {
    private static final double STATIC_P_BYTES = 400;
    private static final double IDR_BYTES = 12_000;

    /** One change reported by the detector. */
    private record Event(long dtsMs, Change change, long onsetDtsMs) {
    }

    /** A simulated encoder feeding one detector, picture by picture in decoding order. */
    private static final class Camera {
        final BitstreamMotionDetector detector = new BitstreamMotionDetector();
        final List<Event> events = new ArrayList<>();
        final Random random = new Random(11);
        double fps = 25;
        /** Two non-reference B pictures between reference pictures (decoding order I P B B P B B ...). */
        boolean bFrames;
        /** P slice bytes (per picture at 25 fps without B-frames) at a time in ms. */
        DoubleUnaryOperator pBytes = t -> STATIC_P_BYTES;
        double idrBytes = IDR_BYTES;
        /** All sizes times this (a bitrate step). */
        double gain = 1;
        double timeMs;
        double nextKeyframeMs;
        int sinceKeyframe;

        /** Plays pictures up to (not including) {@code untilMs}. */
        Camera playUntil(long untilMs) {
            while (timeMs < untilMs) {
                long dtsMs = Math.round(timeMs);
                boolean keyframe = timeMs >= nextKeyframeMs - 1e-6;
                if (keyframe) {
                    nextKeyframeMs += 1000;
                    sinceKeyframe = 0;
                }
                boolean reference = keyframe || !bFrames || sinceKeyframe % 3 == 1;
                double bytes;
                if (keyframe) {
                    bytes = idrBytes;
                } else if (reference) {
                    // at a lower frame rate each P picture covers more time: same bytes per ms
                    bytes = pBytes.applyAsDouble(timeMs) * (25 / fps) * (bFrames ? 2 : 1);
                } else {
                    bytes = pBytes.applyAsDouble(timeMs) * (25 / fps) * 0.3;
                }
                // keyframes vary little under rate control (+-5%, as measured on x264), P pictures more (+-25%)
                bytes *= gain * (keyframe ? 0.95 + 0.1 * random.nextDouble() : 0.75 + 0.5 * random.nextDouble());
                Change change = detector.onAccessUnit(dtsMs, (int) Math.round(bytes), keyframe, reference);
                if (change != Change.NONE) {
                    events.add(new Event(dtsMs, change,
                            change == Change.MOTION_STARTED ? detector.motionStartDtsMs() : 0));
                }
                sinceKeyframe++;
                timeMs += 1000 / fps;
            }
            return this;
        }

        List<Event> starts() {
            return events.stream().filter(e -> e.change() == Change.MOTION_STARTED).toList();
        }
    }

    /** P pictures {@code factor} times larger from {@code fromMs} to {@code toMs}: something moving. */
    private static DoubleUnaryOperator burst(long fromMs, long toMs, double factor) {
        return t -> t >= fromMs && t < toMs ? STATIC_P_BYTES * factor : STATIC_P_BYTES;
    }

    private static void assertOneMotion(List<Event> events, long onsetMs, long endMs) {
        assertEquals(2, events.size(), "one start and one end: " + events);
        Event start = events.get(0);
        Event end = events.get(1);
        assertEquals(Change.MOTION_STARTED, start.change(), events.toString());
        assertTrue(start.dtsMs() >= onsetMs && start.dtsMs() <= onsetMs + 1000,
                "flagged within 1 s of the onset: " + events);
        assertTrue(Math.abs(start.onsetDtsMs() - onsetMs) <= 200, "onset near " + onsetMs + ": " + events);
        assertEquals(Change.MOTION_ENDED, end.change(), events.toString());
        assertTrue(end.dtsMs() > endMs && end.dtsMs() < endMs + 4000, "ended after it subsided: " + events);
    }

    @Test
    void staticSceneWithNoiseAndPeriodicKeyframesNeverStartsMotion() {
        Camera camera = new Camera().playUntil(120_000);
        assertEquals(List.of(), camera.events);
        assertFalse(camera.detector.inMotion());
    }

    @Test
    void keyframesTenTimesThePSizeDoNotStartMotion() {
        Camera camera = new Camera();
        camera.idrBytes = 10 * STATIC_P_BYTES;
        camera.playUntil(60_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void aFiveSecondBurstOfThreeTimesThePSizeStartsAndEndsOneMotion() {
        Camera camera = new Camera();
        camera.pBytes = burst(20_000, 25_000, 3);
        camera.playUntil(40_000);
        assertOneMotion(camera.events, 20_000, 25_000);
        assertFalse(camera.detector.inMotion());
    }

    @Test
    void aMotionLongerThanTheBaselineWindowLastsUntilItSubsides() {
        Camera camera = new Camera();
        camera.pBytes = burst(20_000, 45_000, 3);
        camera.playUntil(60_000);
        assertOneMotion(camera.events, 20_000, 45_000);
    }

    @Test
    void withNonReferenceBFramesTheBurstIsFoundFromThePPictures() {
        Camera camera = new Camera();
        camera.bFrames = true;
        camera.pBytes = burst(20_000, 25_000, 3);
        camera.playUntil(40_000);
        assertOneMotion(camera.events, 20_000, 25_000);
    }

    @Test
    void inMotionAndOnsetAreReportedWhileTheMotionLasts() {
        Camera camera = new Camera();
        assertThrows(IllegalStateException.class, camera.detector::motionStartDtsMs);
        camera.pBytes = burst(20_000, 30_000, 3);
        camera.playUntil(25_000);
        assertTrue(camera.detector.inMotion());
        assertEquals(camera.starts().get(0).onsetDtsMs(), camera.detector.motionStartDtsMs());
    }

    @Test
    void abrStepUpByHalfWithTheHintDoesNotStartMotionAndLaterMotionIsStillFound() {
        Camera camera = new Camera().playUntil(20_000);
        camera.detector.encoderChanged();
        camera.gain = 1.5; // from the IDR at 20 s on
        camera.pBytes = burst(40_000, 45_000, 3);
        camera.playUntil(60_000);
        assertOneMotion(camera.events, 40_000, 45_000);
    }

    @Test
    void abrStepUpByHalfWithoutTheHintDoesNotStartMotion() {
        Camera camera = new Camera().playUntil(20_000);
        camera.gain = 1.5;
        camera.pBytes = burst(40_000, 45_000, 3);
        camera.playUntil(60_000);
        assertOneMotion(camera.events, 40_000, 45_000);
    }

    @Test
    void abrStepUpWhoseKeyframesGrowLessThanThePPicturesDoesNotStartMotion() {
        Camera camera = new Camera().playUntil(20_000);
        camera.idrBytes = IDR_BYTES * 1.3 / 1.5; // with gain 1.5: keyframes +30%, P pictures +50%
        camera.gain = 1.5;
        camera.playUntil(60_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void abrStepDownByHalfWithTheHintKeepsTheDetectorSensitive() {
        Camera camera = new Camera().playUntil(20_000);
        camera.detector.encoderChanged();
        camera.gain = 0.5;
        camera.pBytes = burst(25_000, 30_000, 3); // 5 s after the step: a baseline that had not rescaled misses it
        camera.playUntil(45_000);
        assertOneMotion(camera.events, 25_000, 30_000);
    }

    @Test
    void abrStepDownByHalfWithoutTheHintKeepsTheDetectorSensitive() {
        Camera camera = new Camera().playUntil(20_000);
        camera.gain = 0.5;
        camera.pBytes = burst(25_000, 30_000, 3);
        camera.playUntil(45_000);
        assertOneMotion(camera.events, 25_000, 30_000);
    }

    @Test
    void hintedChangeDuringMotionKeepsTheMotion() {
        Camera camera = new Camera();
        camera.pBytes = burst(20_000, 30_000, 3);
        camera.playUntil(24_500);
        camera.detector.encoderChanged();
        camera.gain = 0.6; // from the IDR at 25 s on
        camera.playUntil(40_000);
        assertOneMotion(camera.events, 20_000, 30_000);
    }

    @Test
    void oneOddKeyframeDoesNotRescaleTheBaseline() {
        Camera camera = new Camera().playUntil(20_000);
        camera.idrBytes = IDR_BYTES / 2; // the keyframe at 20 s only: a baseline halved by it would flag below
        camera.playUntil(20_500);
        camera.idrBytes = IDR_BYTES;
        camera.pBytes = t -> STATIC_P_BYTES * 1.6;
        camera.playUntil(40_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void frameRateChangeFrom25To15DoesNotStartMotion() {
        Camera camera = new Camera().playUntil(20_000);
        camera.fps = 15; // same bitrate: every picture 25/15 larger, keyframes too
        camera.idrBytes = IDR_BYTES * 25 / 15;
        camera.pBytes = burst(40_000, 45_000, 3);
        camera.playUntil(60_000);
        assertOneMotion(camera.events, 40_000, 45_000);
    }

    @Test
    void frameRateChangeWithResetDoesNotStartMotion() {
        Camera camera = new Camera().playUntil(20_000);
        camera.detector.reset();
        camera.fps = 15;
        camera.playUntil(40_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void slowRiseOverFifteenSecondsToTwoAndAHalfTimesDoesNotStartMotion() {
        Camera camera = new Camera();
        camera.pBytes = t -> STATIC_P_BYTES * (1 + 1.5 * Math.min(1, Math.max(0, (t - 20_000) / 15_000)));
        camera.playUntil(60_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void nearEmptyPPicturesDoNotStartMotionOnNoise() {
        Camera camera = new Camera();
        // 20-byte P pictures (skipped macroblocks) that now and then triple: 1.5 bytes per ms, not much above the
        // floor of 1.2 bytes per ms (a tenth of the 12 kB keyframes per second)
        camera.pBytes = t -> (t % 7_000) < 1_000 ? 60 : 20;
        camera.playUntil(60_000);
        assertEquals(List.of(), camera.events);
    }

    @Test
    void decodeTimeGoingBackForgetsTheBaselineAndEndsTheMotion() {
        Camera camera = new Camera();
        camera.pBytes = burst(20_000, 60_000, 3);
        camera.playUntil(25_000);
        assertTrue(camera.detector.inMotion());
        camera.timeMs = 0; // the camera restarted its clock
        camera.nextKeyframeMs = 0;
        camera.pBytes = t -> STATIC_P_BYTES;
        camera.playUntil(20_000);
        assertEquals(List.of(Change.MOTION_STARTED, Change.MOTION_ENDED),
                camera.events.stream().map(Event::change).toList());
        assertEquals(0, camera.events.get(1).dtsMs());
    }

    @Test
    void resetForgetsAMotion() {
        Camera camera = new Camera();
        camera.pBytes = burst(20_000, 60_000, 3);
        camera.playUntil(25_000);
        camera.detector.reset();
        assertFalse(camera.detector.inMotion());
        assertThrows(IllegalStateException.class, camera.detector::motionStartDtsMs);
    }

    @Test
    void selectFindsTheKthSmallest() {
        double[] a = {5, 1, 4, 1, 3, 9, 2, 6};
        assertEquals(1, BitstreamMotionDetector.select(a.clone(), 8, 0));
        assertEquals(1, BitstreamMotionDetector.select(a.clone(), 8, 1));
        assertEquals(3, BitstreamMotionDetector.select(a.clone(), 8, 3));
        assertEquals(4, BitstreamMotionDetector.select(a.clone(), 8, 4));
        assertEquals(9, BitstreamMotionDetector.select(a.clone(), 8, 7));
        assertEquals(3, BitstreamMotionDetector.select(a.clone(), 5, 2));
    }
}
