package io.edgepush.agent.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link BitstreamMotionDetector} on real x264 encodings made by {@code scripts/make-motion-clips.sh} (see its
 * header: a static textured scene with sensor noise; the same with an object moving across from 10 s to 15 s; the
 * same with a slow 20 s brightness fall), read into access units at 25 fps as a file push reads them. Needs bash
 * and ffmpeg with libx264 (Peers: skipped without them, failed with REQUIRE_PEERS=1). The clips are made
 * once per JVM under {@code target/motion-clips/<rate control>} and kept if present. Rate controls: system
 * property {@code motion.clips.rc}, comma-separated, default {@code cbr} (near-CBR with filler, as camera
 * encoders); {@code cbr,vbr} adds the capped-CRF encoding. Prints per clip the numbers the detector saw.
 */
class MotionClipsTest {
    private static final double FPS = 25;

    /** What the detector did over one clip. */
    private record Run(String clip, int frames, double meanPSliceBytes, double meanPAccessUnitBytes,
                       List<Long> startedAtDtsMs, List<Long> onsetDtsMs, List<Long> endedAtDtsMs, double maxScore) {
        void print() {
            System.out.printf(Locale.ROOT,
                    "motion clip %-16s frames=%d meanP=%.0f B (slices; %.0f B whole access units) started=%s "
                            + "onset=%s ended=%s maxScore=%.2f%n",
                    clip, frames, meanPSliceBytes, meanPAccessUnitBytes, startedAtDtsMs, onsetDtsMs, endedAtDtsMs,
                    maxScore);
        }
    }

    @Test
    void movingObjectStartsMotionWithinASecondAndEndsAfterItLeaves() {
        for (String rc : rateControls()) {
            Run run = detect(clip(rc, "moving"));
            run.print();
            assertEquals(1, run.startedAtDtsMs().size(), rc + ": one motion: " + run);
            long started = run.startedAtDtsMs().get(0);
            assertTrue(started >= 10_000 && started <= 11_000, rc + ": flagged at " + started + " ms: " + run);
            assertTrue(run.onsetDtsMs().get(0) >= 9_000 && run.onsetDtsMs().get(0) <= started,
                    rc + ": onset " + run.onsetDtsMs().get(0) + " ms: " + run);
            assertEquals(1, run.endedAtDtsMs().size(), rc + ": one end: " + run);
            long ended = run.endedAtDtsMs().get(0);
            assertTrue(ended > 15_000 && ended < 25_000, rc + ": ended at " + ended + " ms: " + run);
        }
    }

    @Test
    void staticSceneWithSensorNoiseNeverStartsMotion() {
        for (String rc : rateControls()) {
            Run run = detect(clip(rc, "static"));
            run.print();
            assertEquals(List.of(), run.startedAtDtsMs(), rc + ": " + run);
        }
    }

    @Test
    void slowLightChangeNeverStartsMotion() {
        for (String rc : rateControls()) {
            Run run = detect(clip(rc, "light"));
            run.print();
            assertEquals(List.of(), run.startedAtDtsMs(), rc + ": " + run);
        }
    }

    private static List<String> rateControls() {
        return List.of(System.getProperty("motion.clips.rc", "cbr").split(","));
    }

    private static Path clip(String rc, String name) {
        return MotionClips.clip(rc, name);
    }

    /** Reads {@code file} into access units at {@value #FPS} fps and runs a detector over them. */
    private static Run detect(Path file) {
        BitstreamMotionDetector detector = new BitstreamMotionDetector();
        List<Long> started = new ArrayList<>();
        List<Long> onsets = new ArrayList<>();
        List<Long> ended = new ArrayList<>();
        double[] maxScore = {0};
        long[] counts = new long[4]; // frames, P pictures, P slice bytes, P access unit bytes
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             AnnexBReader nalUnits = new AnnexBReader(in, 1 << 24);
             AccessUnitReader reader = AccessUnitReader.atFrameRate(VideoCodec.H264, FPS, au -> {
                 try {
                     counts[0]++;
                     if (au.reference() && !au.keyframe()) {
                         counts[1]++;
                         counts[2] += BitstreamMotionDetector.sliceBytes(au);
                         counts[3] += au.sizeBytes();
                     }
                     BitstreamMotionDetector.Change change = detector.onAccessUnit(au);
                     maxScore[0] = Math.max(maxScore[0], detector.score());
                     if (change == BitstreamMotionDetector.Change.MOTION_STARTED) {
                         started.add(au.dtsMs());
                         onsets.add(detector.motionStartDtsMs());
                     } else if (change == BitstreamMotionDetector.Change.MOTION_ENDED) {
                         ended.add(au.dtsMs());
                     }
                 } finally {
                     au.release();
                 }
             })) {
            ByteBuf nal;
            while ((nal = nalUnits.next(PooledByteBufAllocator.DEFAULT)) != null) {
                reader.push(nal, 0);
            }
            reader.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Run(file.getParent().getFileName() + "/" + file.getFileName(), (int) counts[0],
                (double) counts[2] / Math.max(1, counts[1]), (double) counts[3] / Math.max(1, counts[1]), started,
                onsets, ended, maxScore[0]);
    }
}
