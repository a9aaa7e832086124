package io.edgepush.agent.stream;

import static io.edgepush.agent.stream.OutputHarness.BASE_MS;
import static io.edgepush.agent.stream.OutputHarness.CLIP;
import static io.edgepush.agent.stream.OutputHarness.concat;
import static io.edgepush.agent.stream.OutputHarness.inters;
import static io.edgepush.agent.stream.OutputHarness.media;
import static io.edgepush.agent.stream.OutputHarness.mediaBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.flv.FlvTagType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamOutput} against real publishers on {@link ScriptedRtmpServer}s: buffering before a publish,
 * attach from the buffered keyframe or from the camera's next one, detach and a later attach on the same
 * timeline, end of sequence, close, and a corrupt parameter set. Handover: {@link StreamOutputHandoverTest}.
 * Expected media are worked out by hand: picture i has source time BASE + 40 i, the first frame written is 0.
 */
@Timeout(60)
class StreamOutputTest {
    private OutputHarness h;

    @BeforeEach
    void setUp() {
        h = new OutputHarness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static List<String> start(long ms) {
        return List.of("meta", "seq@" + ms, "key@" + ms);
    }

    @Test
    void framesOfferedBeforeAttachAreBufferedAndAttachGoesLiveFromTheBufferedKeyframe() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        h.offer(0, 4);
        assertEquals(OutputState.NOT_PUBLISHING, h.output.state());
        assertEquals(5, h.output.bufferedFrames());
        assertEquals(0, h.counters.sent.get(), "nothing goes out without a publish");
        RtmpPublisher p1 = h.publish(s1);
        h.output.attach(p1);
        assertEquals(OutputState.CATCHING_UP, h.output.state(), "at once from the buffered keyframe");
        h.offer(5, 6);
        assertEquals(OutputState.LIVE, h.output.state(), "live once the connection took the burst");

        assertEquals(concat(start(0), inters(40, 6)), media(s1, p1),
                "onMetaData, sequence header, the buffered GOP at 0..160, then 200 and 240");
        assertEquals(0, h.idrRequests.get(), "no IDR asked for: the buffer had a keyframe");
        assertEquals(7, h.counters.sent.get());
        assertEquals(Map.of(), h.counters.dropped);
        assertEquals(mediaBytes(s1), h.counters.bytes.get(), "tag body bytes: onMetaData and video");
        assertEquals(240, h.output.lastTimestampMs());
    }

    @Test
    void theFirstPublishOfATimelineSendsThePreRollAndAReconnectOnlyTheLatestGop() throws Exception {
        try (OutputHarness pre = new OutputHarness(2000)) {
            pre.offer(0, 29); // two GOPs: IDR 0 (BASE), IDR 25 (BASE + 1000), newest BASE + 1160: both within 2 s
            pre.output.newTimeline(); // a start, as StreamSession.start() does
            ScriptedRtmpServer s1 = pre.server();
            RtmpPublisher p1 = pre.publish(s1);
            pre.output.attach(p1);
            pre.offer(30, 30);
            assertEquals(concat(start(0), inters(40, 24), List.of("key@1000"), inters(1040, 5)), media(s1, p1),
                    "a start sends the whole pre-roll from IDR 0 with its original spacing");

            pre.output.detach();
            ScriptedRtmpServer s2 = pre.server();
            RtmpPublisher p2 = pre.publish(s2);
            pre.output.attach(p2);
            assertEquals(concat(start(1240), inters(1280, 5)), media(s2, p2),
                    "a reconnect sends only the latest GOP (IDR 25..30), one frame interval after the last written");
            assertEquals(0, pre.idrRequests.get());
        }
    }

    @Test
    void aStartResumesAtTheKeyframeItFoundEvenWhenTheNextGopBeganBeforeThePublishWasUp() throws Exception {
        h.offer(0, 9);
        h.output.newTimeline(); // start at picture 9: the stream is due from IDR 0
        h.offer(10, 27);        // IDR 25 arrives while the publish is still connecting
        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.output.attach(p1);
        assertEquals(concat(start(0), inters(40, 24), List.of("key@1000"), inters(1040, 2)), media(s1, p1),
                "no frame since the start is lost: both GOPs go out");
        assertEquals(0, h.idrRequests.get());
    }

    @Test
    void attachWithNothingBufferedAsksOnceForAKeyframeAndGoesLiveOnIt() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.output.attach(p1);
        assertEquals(OutputState.AWAITING_KEYFRAME, h.output.state());
        assertEquals(1, h.idrRequests.get(), "asked for at once");

        int mark = h.buffersMade();
        h.offer(1, 3);
        assertEquals(OutputState.AWAITING_KEYFRAME, h.output.state());
        assertEquals(1, h.idrRequests.get(), "asked for once, not again for every frame while waiting");
        assertEquals(0, h.output.bufferedFrames(), "no keyframe before them: not kept");
        assertEquals(Collections.nCopies(h.buffersMade() - mark, 0), h.refCnts(mark), "released at once");

        h.offer(25, 26); // the camera's IDR at source BASE + 1000, then BASE + 1040
        assertEquals(OutputState.LIVE, h.output.state());
        assertEquals(concat(start(0), inters(40, 1)), media(s1, p1), "no non-keyframe before the keyframe");
        assertEquals(1, h.idrRequests.get());
        assertEquals(2, h.counters.sent.get());
    }

    @Test
    void detachStopsSendingAndALaterAttachContinuesTheTimeline() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        ScriptedRtmpServer s2 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        RtmpPublisher p2 = h.publish(s2);
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        h.offer(1, 5); // 40..200 on p1
        h.output.detach();
        assertEquals(OutputState.NOT_PUBLISHING, h.output.state());
        h.offer(6, 9); // buffered only
        assertEquals(10, h.output.bufferedFrames());

        h.output.attach(p2);
        assertEquals(OutputState.CATCHING_UP, h.output.state());
        h.offer(10, 10);

        assertEquals(concat(start(0), inters(40, 5)), media(s1, p1), "nothing after the detach on p1");
        // the buffered GOP (pictures 0..9) is replayed one interval after 200: 240..600, then picture 10 at 640
        assertEquals(concat(start(240), inters(280, 10)), media(s2, p2));
        assertEquals(0, h.idrRequests.get());
        assertEquals(640, h.output.lastTimestampMs());
    }

    @Test
    void aSourceRestartEmptiesTheBufferAwaitsAKeyframeAndContinuesAfterTheTimeAway() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.clockMs.set(1_000_000);
        h.output.offer(h.picture(0));
        h.output.attach(p1); // picture 0 written at clock 1_000_000
        for (int i = 1; i <= 3; i++) {
            h.clockMs.set(1_000_000 + 40L * i);
            h.output.offer(h.picture(i)); // 40, 80, 120; the last at clock 1_000_120
        }
        h.output.sourceRestarted();
        assertEquals(OutputState.AWAITING_KEYFRAME, h.output.state());
        assertEquals(0, h.output.bufferedFrames());
        assertEquals(Collections.nCopies(h.buffersMade(), 0), h.refCnts(0), "the buffer is emptied");

        h.clockMs.set(1_005_000);
        h.output.offer(h.accessUnit(CLIP.get(30), 3)); // the camera's clock restarted: not a keyframe
        assertEquals(1, h.idrRequests.get(), "a non-keyframe while awaiting asks for an IDR");
        h.clockMs.set(1_005_040);
        h.output.offer(h.accessUnit(CLIP.get(25), 10));
        h.clockMs.set(1_005_080);
        h.output.offer(h.accessUnit(CLIP.get(26), 50));
        assertEquals(OutputState.LIVE, h.output.state());
        // 120 + max(40, 1_005_040 - 1_000_120 = 4920) = 5040, then the source spacing: 5080
        assertEquals(concat(start(0), inters(40, 3), List.of("key@5040", "inter@5080")), media(s1, p1));
    }

    @Test
    void endOfSequenceWritesTheAvcEndOfSequenceTagAndStopsPublishing() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        h.offer(1, 3);
        h.output.endOfSequence();
        assertEquals(OutputState.NOT_PUBLISHING, h.output.state());
        h.offer(4, 4);

        assertEquals(concat(start(0), inters(40, 3), List.of("eos@120")), media(s1, p1));
        List<ScriptedRtmpServer.Received> video = s1.received(FlvTagType.VIDEO);
        assertArrayEquals(new byte[] {0x17, 0x02, 0, 0, 0}, video.get(video.size() - 1).payload(),
                "keyframe|AVC, AVCPacketType 2 (end of sequence), CompositionTime 0");
        assertEquals(mediaBytes(s1), h.counters.bytes.get(), "the end-of-sequence tag is counted too");
        assertEquals(5, h.output.bufferedFrames());
    }

    @Test
    void closeReleasesTheBufferAndLaterOffersAreReleasedAtOnce() throws Exception {
        h.offer(0, 4);
        assertEquals(Collections.nCopies(h.buffersMade(), 1), h.refCnts(0), "held by the buffer");
        h.output.close();
        assertEquals(OutputState.CLOSED, h.output.state());
        assertEquals(0, h.output.bufferedFrames());
        assertEquals(Collections.nCopies(h.buffersMade(), 0), h.refCnts(0), "released by close()");

        int mark = h.buffersMade();
        h.offer(5, 5);
        assertEquals(Collections.nCopies(h.buffersMade() - mark, 0), h.refCnts(mark), "released on arrival");

        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.output.attach(p1);
        assertEquals(OutputState.CLOSED, h.output.state(), "no attach after close");
        var handover = h.output.handOver(p1);
        assertThrows(CancellationException.class, () -> handover.getNow(null));
        h.output.close(); // idempotent
        assertEquals(StreamOutput.Backlog.NONE, h.output.backlog(), "nothing queued without a publish");
        h.offer(25, 25);
        assertEquals(List.of(), media(s1, p1));
        assertEquals(0, h.idrRequests.get());
    }

    @Test
    void anAccessUnitWithAnSpsThatDoesNotParseIsACorruptDropAndTheStreamGoesOn() throws Exception {
        ScriptedRtmpServer s1 = h.server();
        RtmpPublisher p1 = h.publish(s1);
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[] {0x67, 0x42}); // SPS: profile_idc 66, then truncated
        bad.addAll(CLIP.get(1));
        h.output.offer(h.accessUnit(bad, BASE_MS + 40));
        assertEquals(Map.of(OutputCounters.DropReason.CORRUPT, 1), h.counters.dropped);
        assertEquals(1, h.counters.sent.get());
        assertEquals(OutputState.LIVE, h.output.state());

        h.offer(2, 3);
        assertEquals(concat(start(0), inters(80, 2)), media(s1, p1), "the bad picture is left out, no new header");
        assertEquals(3, h.counters.sent.get());
        assertEquals(Map.of(OutputCounters.DropReason.CORRUPT, 1), h.counters.dropped);
        assertEquals(120, h.output.lastTimestampMs());
    }
}
