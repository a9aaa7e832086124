package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.stream.UplinkDropper.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dropper's choices on a GOP with non-reference pictures (I P b b P b b ...: lower-case b are non-reference),
 * run through a backlog that rises past both thresholds and falls again, with a decoder model that checks every
 * picture written can be decoded from what was written before it.
 */
class UplinkDropperTest {
    private static final long NON_REF_MS = 500;
    private static final long KEYFRAME_MS = 1000;

    /** One picture: its type letter and whether other pictures predict from it. */
    private record Picture(char type) {
        boolean keyframe() {
            return type == 'I';
        }

        boolean reference() {
            return type != 'b';
        }
    }

    private static List<Picture> gops(String pattern, int count) {
        List<Picture> out = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            for (char c : pattern.toCharArray()) {
                out.add(new Picture(c));
            }
        }
        return out;
    }

    @Test
    void belowTheFirstThresholdEverythingIsSent() {
        for (char type : "IPb".toCharArray()) {
            Picture p = new Picture(type);
            assertEquals(Verdict.SEND, UplinkDropper.judge(false, p.keyframe(), p.reference(), true, NON_REF_MS,
                    NON_REF_MS, KEYFRAME_MS), "at exactly the threshold, " + type + " is sent");
        }
    }

    @Test
    void betweenTheThresholdsOnlyNonReferencePicturesGo() {
        assertEquals(Verdict.DROP_NON_REFERENCE, UplinkDropper.judge(false, false, false, true, 700, NON_REF_MS,
                KEYFRAME_MS));
        assertEquals(Verdict.SEND, UplinkDropper.judge(false, false, true, true, 700, NON_REF_MS, KEYFRAME_MS));
        assertEquals(Verdict.SEND, UplinkDropper.judge(false, true, true, true, 700, NON_REF_MS, KEYFRAME_MS));
    }

    @Test
    void aboveTheSecondThresholdEverythingUpToTheNextKeyframeGoesAndTheKeyframeResumes() {
        assertEquals(Verdict.START_DROPPING, UplinkDropper.judge(false, false, true, true, 1200, NON_REF_MS,
                KEYFRAME_MS));
        assertEquals(Verdict.START_DROPPING, UplinkDropper.judge(false, false, false, true, 1200, NON_REF_MS,
                KEYFRAME_MS));
        assertEquals(Verdict.SEND, UplinkDropper.judge(false, true, true, true, 5000, NON_REF_MS, KEYFRAME_MS),
                "a keyframe is never what starts a drop: it is where decoding could resume");
        assertEquals(Verdict.KEEP_DROPPING, UplinkDropper.judge(true, false, true, true, 0, NON_REF_MS, KEYFRAME_MS),
                "a P picture after a dropped one cannot be decoded, however small the backlog");
        assertEquals(Verdict.KEEP_DROPPING, UplinkDropper.judge(true, true, true, true, 800, NON_REF_MS,
                KEYFRAME_MS), "a keyframe that comes before the backlog is back under the first threshold only "
                + "adds a large picture to a full uplink");
        assertEquals(Verdict.RESUME, UplinkDropper.judge(true, true, true, true, NON_REF_MS, NON_REF_MS,
                KEYFRAME_MS), "once it is, the keyframe resumes decoding");
    }

    @Test
    void aFullWriteQueueDropsEvenAKeyframe() {
        assertEquals(Verdict.START_DROPPING, UplinkDropper.judge(false, true, true, false, 0, NON_REF_MS,
                KEYFRAME_MS));
        assertEquals(Verdict.KEEP_DROPPING, UplinkDropper.judge(true, true, true, false, 0, NON_REF_MS,
                KEYFRAME_MS));
    }

    @Test
    void everyPictureWrittenThroughARisingAndFallingBacklogIsDecodable() {
        List<Picture> stream = gops("IPbbPbbPbbPbb", 6);
        StringBuilder written = new StringBuilder();
        StringBuilder verdicts = new StringBuilder();
        boolean dropping = false;
        boolean decodable = false; // the decoder holds every reference picture the next one may need
        int nonRefDrops = 0;
        int gopDrops = 0;
        for (int i = 0; i < stream.size(); i++) {
            Picture p = stream.get(i);
            long backlogMs = backlogAt(i, stream.size());
            Verdict v = UplinkDropper.judge(dropping, p.keyframe(), p.reference(), true, backlogMs, NON_REF_MS,
                    KEYFRAME_MS);
            switch (v) {
                case SEND, RESUME -> {
                    if (p.keyframe()) {
                        decodable = true;
                    }
                    assertEquals(true, decodable, "picture " + i + " (" + p.type() + ") written without its"
                            + " references; verdicts so far " + verdicts);
                    dropping = false;
                    written.append(p.type());
                }
                case DROP_NON_REFERENCE -> nonRefDrops++;
                case START_DROPPING, KEEP_DROPPING -> {
                    dropping = true;
                    if (p.reference()) {
                        decodable = false;
                    }
                    gopDrops++;
                }
            }
            verdicts.append(v.name().charAt(0));
        }
        assertEquals(true, nonRefDrops > 0, "the rising backlog first cost non-reference pictures: " + verdicts);
        assertEquals(true, gopDrops > 0, "then whole GOP tails: " + verdicts);
        assertEquals('I', written.charAt(0));
        assertEquals("IPbbPbbPbbPbb", written.substring(written.length() - 13),
                "once the backlog fell, the last GOP went out whole: " + written);
    }

    /** A backlog that climbs from 0 to 1500 ms over the first half of the stream, falls, and is 0 in the last GOP. */
    private static long backlogAt(int i, int n) {
        if (i >= n - 13) {
            return 0;
        }
        double half = n / 2.0;
        double x = i < half ? i / half : (n - 1 - i) / half;
        return Math.round(1500 * x);
    }
}
