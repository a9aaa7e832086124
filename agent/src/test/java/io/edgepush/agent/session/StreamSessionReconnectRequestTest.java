package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 8: a server sends onStatus NetConnection.Connect.ReconnectRequest with a new tcUrl mid-stream;
 * the session publishes to the new server, switches there at the next keyframe (onMetaData, sequence header,
 * keyframe first; timestamps continue) and unpublishes the old connection, staying STREAMING throughout. With
 * silent audio the new connection gets its own AAC sequence header and an audio run from the handover keyframe.
 */
class StreamSessionReconnectRequestTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void reconnectRequestMovesTheStreamToTheNewServerAtAKeyframeWithoutLeavingStreaming() throws Exception {
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        try (ScriptedRtmpServer next = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             ScriptedRtmpServer first = ScriptedRtmpServer.start(requestingReconnectAfter(5,
                     "rtmp://127.0.0.1:" + next.port() + "/live"));
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), first.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            int[] index = {0};
            // One access unit per poll (40 ms of capture clock each), until the new server has video.
            Await.until(() -> {
                feed(f.session, units.get(index[0] % units.size()), index[0] * 40_000L);
                index[0]++;
                return !next.received(FlvTagType.VIDEO).isEmpty();
            }, TIMEOUT, () -> "video on the new server after " + index[0] + " frames; " + f.listener);
            for (int i = 0; i < 3; i++, index[0]++) {
                feed(f.session, units.get(index[0] % units.size()), index[0] * 40_000L);
            }
            first.await(m -> "deleteStream".equals(m.name()), "the old publish to be deleted");
            next.await(m -> m.typeId() == FlvTagType.VIDEO && m.payload()[1] == 1 && m.payload()[0] != 0x17,
                    "inter frames after the keyframe");

            List<Received> onNext = next.received().stream()
                    .filter(m -> m.typeId() == FlvTagType.VIDEO || m.typeId() == FlvTagType.SCRIPT_DATA).toList();
            assertEquals(FlvTagType.SCRIPT_DATA, onNext.get(0).typeId(), "onMetaData first");
            assertEquals(0x17, onNext.get(1).payload()[0], "then an AVC keyframe tag");
            assertEquals(0, onNext.get(1).payload()[1], "... carrying the sequence header");
            assertEquals(0x17, onNext.get(2).payload()[0], "then the keyframe itself");
            assertEquals(1, onNext.get(2).payload()[1]);
            List<Received> oldVideo = first.received(FlvTagType.VIDEO);
            int lastOld = oldVideo.get(oldVideo.size() - 1).timestampMs();
            assertTrue(onNext.get(2).timestampMs() > lastOld, "timestamps continue: " + onNext.get(2).timestampMs()
                    + " after " + lastOld);
            assertEquals("connecting streaming", f.listener.path(), "no reconnecting");
            assertTrue(f.listener.errors.isEmpty() && f.listener.stopped.isEmpty(), f.listener::toString);
            assertEquals(SessionState.STREAMING, f.session.state());
            assertEquals(next.urlText("key1"), f.session.publishUrl());
            assertEquals(List.of(first.urlText("key1")), f.listener.started, "one stream_started");

            f.session.stop().get(10, TimeUnit.SECONDS);
            next.await(m -> "deleteStream".equals(m.name()), "the new publish to be deleted on stop");
            assertEquals(1, f.listener.stopped.size());
        }
    }

    @Test
    void withSilentAudioTheAudioTrackRestartsOnTheNewServerAtTheHandoverKeyframe() throws Exception {
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        try (ScriptedRtmpServer next = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             ScriptedRtmpServer first = ScriptedRtmpServer.start(requestingReconnectAfter(5,
                     "rtmp://127.0.0.1:" + next.port() + "/live"));
             SessionFixture f = new SessionFixture(true, new Backoff(50, 200, 3), first.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            int[] index = {0};
            Await.until(() -> {
                feed(f.session, units.get(index[0] % units.size()), index[0] * 40_000L);
                index[0]++;
                return next.received(FlvTagType.VIDEO).size() >= 4;
            }, TIMEOUT, () -> "video on the new server after " + index[0] + " frames; " + f.listener);

            List<Received> onNext = next.received().stream()
                    .filter(m -> m.typeId() == FlvTagType.VIDEO || m.typeId() == FlvTagType.AUDIO).toList();
            // FLV spec E.4.2: 0xAF = AAC, 44 kHz, 16-bit, stereo flag as muxers write it; AACPacketType 0 = header.
            assertEquals(FlvTagType.AUDIO, onNext.get(0).typeId(), "the AAC sequence header comes first");
            assertEquals((byte) 0xAF, onNext.get(0).payload()[0]);
            assertEquals(0, onNext.get(0).payload()[1], "AACPacketType 0: AudioSpecificConfig");
            assertEquals(FlvTagType.VIDEO, onNext.get(1).typeId());
            assertEquals(0x17, onNext.get(1).payload()[0], "then the AVC sequence header");
            int keyframeMs = onNext.get(1).timestampMs();
            assertEquals(keyframeMs, onNext.get(0).timestampMs(), "the new audio run starts at the keyframe");
            List<Received> audio = next.received(FlvTagType.AUDIO);
            assertTrue(audio.size() >= 2 && audio.get(1).payload()[1] == 1 && audio.get(1).timestampMs() == keyframeMs,
                    "then raw AAC frames from the keyframe's timestamp on");
            List<Received> oldAudio = first.received(FlvTagType.AUDIO);
            assertEquals(0, oldAudio.get(0).payload()[1], "the first server got its own AAC sequence header");
            assertEquals(1, oldAudio.stream().filter(m -> m.payload()[1] == 0).count(), "only one on the old server");
        }
    }

    @Test
    void reconnectRequestToAnUnreachableServerKeepsTheCurrentConnection() throws Exception {
        List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ScriptedRtmpServer first = ScriptedRtmpServer.start(requestingReconnectAfter(2,
                     "rtmp://127.0.0.1:" + closedPort + "/live"));
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), first.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            int[] index = {0};
            int total = units.size() * 2;
            Await.until(() -> {
                feed(f.session, units.get(index[0] % units.size()), index[0] * 40_000L);
                index[0]++;
                return first.received(FlvTagType.VIDEO).size() >= total;
            }, TIMEOUT, () -> "all video on the first server; " + f.listener);
            assertEquals("connecting streaming", f.listener.path());
            assertEquals(first.urlText("key1"), f.session.publishUrl());
            assertTrue(f.listener.errors.isEmpty(), f.listener::toString);
        }
    }

    /** Accepts the publish, then sends the reconnect request after {@code videos} video messages. */
    private static ScriptedRtmpServer.Script requestingReconnectAfter(int videos, String tcUrl) {
        AtomicInteger seen = new AtomicInteger();
        return new ScriptedRtmpServer.Script() {
            @Override
            public void onMessage(ScriptedRtmpServer.Connection c, Received message) {
                if (message.typeId() == FlvTagType.VIDEO && seen.incrementAndGet() == videos) {
                    c.sendCommand(0, "onStatus", 0, null, Map.of("level", "status",
                            "code", "NetConnection.Connect.ReconnectRequest", "description", "node draining",
                            "tcUrl", tcUrl));
                }
            }
        };
    }

    private static void feed(StreamSession session, List<byte[]> accessUnit, long captureTimeUs) {
        session.onAccessUnit(FixtureAccessUnits.accessUnit(accessUnit, captureTimeUs / 1000));
    }
}
