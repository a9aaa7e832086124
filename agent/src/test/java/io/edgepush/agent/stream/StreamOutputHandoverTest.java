package io.edgepush.agent.stream;

import static io.edgepush.agent.stream.OutputHarness.concat;
import static io.edgepush.agent.stream.OutputHarness.inters;
import static io.edgepush.agent.stream.OutputHarness.media;
import static io.edgepush.agent.stream.OutputHarness.videoCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamOutput#handOver}: the stream moves to another publish at the next keyframe with its timestamps
 * going on, or stays where it is when the handover is cancelled. The clip's IDRs are pictures 0 and 25 (stream
 * timestamps 0 and 1000); its two SPS/PPS pairs are byte-identical, so the old publish gets no new header at 25.
 */
@Timeout(60)
class StreamOutputHandoverTest {
    private OutputHarness h;
    private ScriptedRtmpServer s1;
    private ScriptedRtmpServer s2;
    private RtmpPublisher p1;
    private RtmpPublisher p2;

    @BeforeEach
    void setUp() throws Exception {
        h = new OutputHarness();
        s1 = h.server();
        s2 = h.server();
        p1 = h.publish(s1);
        p2 = h.publish(s2);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static List<String> start(long ms) {
        return List.of("meta", "seq@" + ms, "key@" + ms);
    }

    @Test
    void framesStayOnTheFirstPublishUntilTheNextKeyframeThenMoveWithTheTimelineGoingOn() throws Exception {
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        h.offer(1, 10);
        CompletableFuture<RtmpPublisher> previous = h.output.handOver(p2);
        assertEquals(OutputState.HANDOVER_PENDING, h.output.state());
        assertEquals(1, h.idrRequests.get(), "the camera is asked for a keyframe");
        h.offer(11, 24);
        assertFalse(previous.isDone(), "no keyframe yet");
        assertEquals(OutputState.HANDOVER_PENDING, h.output.state());

        h.offer(25, 25);
        assertTrue(previous.isDone(), "switched at the keyframe");
        assertSame(p1, previous.getNow(null), "completes with the publisher that carried the stream");
        assertEquals(OutputState.LIVE, h.output.state());
        h.offer(26, 27);

        assertEquals(concat(start(0), inters(40, 24)), media(s1, p1), "0..960 on the first publish");
        assertEquals(concat(start(1000), inters(1040, 2)), media(s2, p2),
                "onMetaData, sequence header and the keyframe at 1000 (after 960), then 1040, 1080");
        assertEquals(28, h.counters.sent.get());
    }

    @Test
    void cancelHandoverReturnsToLiveAndFailsTheFuture() throws Exception {
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        h.offer(1, 3);
        CompletableFuture<RtmpPublisher> first = h.output.handOver(p2);
        CompletableFuture<RtmpPublisher> second = h.output.handOver(p2);
        assertThrows(CancellationException.class, () -> first.getNow(null), "replaced by the later handover");
        assertEquals(OutputState.HANDOVER_PENDING, h.output.state());
        assertEquals(2, h.idrRequests.get());

        h.output.cancelHandover(p1); // not the pending publish: nothing happens
        assertFalse(second.isDone());
        assertEquals(OutputState.HANDOVER_PENDING, h.output.state());

        h.output.cancelHandover(p2);
        assertEquals(OutputState.LIVE, h.output.state());
        assertTrue(second.isCompletedExceptionally());
        assertThrows(CancellationException.class, () -> second.getNow(null));

        h.offer(4, 26);
        assertEquals(concat(start(0), inters(40, 24), List.of("key@1000", "inter@1040")), media(s1, p1),
                "the keyframe at 1000 stays on the first publish");
        assertEquals(List.of(), media(s2, p2), "nothing on the abandoned one");
    }

    @Test
    void detachAbandonsAPendingHandover() throws Exception {
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        CompletableFuture<RtmpPublisher> handover = h.output.handOver(p2);
        h.output.detach();
        assertEquals(OutputState.NOT_PUBLISHING, h.output.state());
        assertThrows(CancellationException.class, () -> handover.getNow(null));
        h.offer(1, 25);
        assertEquals(start(0), media(s1, p1));
        assertEquals(List.of(), media(s2, p2));
    }

    @Test
    void aHandoverWithoutAPublishFailsAtOnce() {
        CompletableFuture<RtmpPublisher> handover = h.output.handOver(p2);
        assertThrows(CancellationException.class, () -> handover.getNow(null));
        assertEquals(OutputState.NOT_PUBLISHING, h.output.state());
        assertEquals(0, h.idrRequests.get());
    }

    @Test
    void aHandoverAskedForWhileAwaitingAKeyframeTakesThatKeyframe() throws Exception {
        h.output.attach(p1); // nothing buffered: awaiting
        CompletableFuture<RtmpPublisher> previous = h.output.handOver(p2);
        assertEquals(OutputState.AWAITING_KEYFRAME, h.output.state(), "waits in that state");
        h.offer(20, 24);
        assertFalse(previous.isDone());
        assertEquals(0, videoCount(s2));
        h.offer(25, 26);
        assertSame(p1, previous.getNow(null));
        assertEquals(OutputState.LIVE, h.output.state());
        assertEquals(List.of(), media(s1, p1), "nothing was ever written to the first publish");
        assertEquals(concat(start(0), inters(40, 1)), media(s2, p2));
    }

    @Test
    void aHandoverAskedForWhileCatchingUpWaitsForTheNextKeyframe() throws Exception {
        h.output.offer(h.picture(0));
        h.output.attach(p1);
        assertEquals(OutputState.CATCHING_UP, h.output.state());
        CompletableFuture<RtmpPublisher> previous = h.output.handOver(p2); // an endpoint refresh right after attach
        h.offer(1, 24);
        assertEquals(OutputState.HANDOVER_PENDING, h.output.state(), "caught up, the handover still waits");
        assertFalse(previous.isDone());
        h.offer(25, 26);
        assertSame(p1, previous.getNow(null), "switched at the keyframe");
        assertEquals(OutputState.LIVE, h.output.state());
        assertEquals(concat(start(0), inters(40, 24)), media(s1, p1));
        assertEquals(concat(start(1000), inters(1040, 1)), media(s2, p2));
    }
}
