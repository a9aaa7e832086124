package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.testkit.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ladder camera ({@link CameraOptions#ladder}) against a real gateway side ({@link TcpCameraServer}): the tiny
 * ladder of {@link TinyLadder} (HIGH 192x144 20 fps 400 kbps, MID 160x120 20 fps 250 kbps, LOW 128x96 10 fps 150
 * kbps, a 3 s scene with an IDR every second). Every frame the gateway receives is identified by its first slice
 * NAL unit as (rung, access unit index), so the tests check where in the scene each frame comes from.
 */
class SimulatedCameraLadderTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /**
     * Frames the gateway may still hold when an ACK arrives: it hands a picture on only after up to the stream's
     * reorder depth of later pictures (B-frames; 1 for x264's 2 non-reference B-frames). So of the frames received
     * after an ACK, the first few may have been sent before the CONTROL: the first one sent after it is at most this
     * many places later.
     */
    private static final int HELD_BACK = 2;
    private static final long LADDER_CAPS = Hello.CAP_SET_BITRATE | Hello.CAP_SET_FPS | Hello.CAP_SET_RESOLUTION
            | Hello.CAP_SET_PRESET | Hello.CAP_FORCE_IDR | Hello.CAP_START_STOP_ENCODER;
    @TempDir
    static Path dir;
    private static ClipLadder ladder;
    /** First slice NAL unit (without start code) -> where it is in the ladder. */
    private static final Map<ByteBuffer, Source> SOURCES = new HashMap<>();

    /** Where a received frame came from: a rung and an access unit index of its clip. */
    private record Source(LadderRung rung, int index) {
        long sceneUs() {
            return index * 1_000_000L / rung.fps();
        }

        boolean keyframe() {
            return ladder.clip(rung).isKeyframe(index);
        }
    }

    @BeforeAll
    static void makeLadder() throws IOException {
        ladder = ClipLadder.load(TinyLadder.make(dir));
        for (LadderRung r : ladder.ladder().rungs()) {
            Clip clip = ladder.clip(r);
            for (int i = 0; i < clip.size(); i++) {
                Source previous = SOURCES.put(firstSlice(clip.accessUnit(i)), new Source(r, i));
                assertNull(previous, "two access units with the same slice: " + previous + " and " + r + " " + i);
            }
        }
    }

    /** The first H.264 slice NAL unit (type 1 or 5) of an Annex B access unit as the clip stores it. */
    private static ByteBuffer firstSlice(byte[] annexB) {
        int start = -1;
        for (int i = 0; i + 3 <= annexB.length; i++) {
            boolean startCode = annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1;
            if (startCode || i + 3 == annexB.length) {
                if (start >= 0) {
                    int end = startCode ? i : annexB.length;
                    while (startCode && end > start && annexB[end - 1] == 0) {
                        end--; // the leading zero of a 4-byte start code
                    }
                    int type = annexB[start] & 0x1F;
                    if (type == NalUnitType.SLICE || type == NalUnitType.IDR) {
                        return ByteBuffer.wrap(Arrays.copyOfRange(annexB, start, end)).asReadOnlyBuffer();
                    }
                }
                start = i + 3;
            }
        }
        throw new AssertionError("no slice in access unit");
    }

    private static Source source(GatewayRecorder.Received frame) {
        Source s = SOURCES.get(frame.firstSlice());
        assertNotNull(s, "a frame that is in no clip of the ladder: " + frame);
        return s;
    }

    /** Index of the first frame at or after {@code from} whose rung is {@code rung}, waiting for it. */
    private static int awaitFirstFrameOf(GatewayRecorder gw, LadderRung rung, int from) {
        int[] found = {-1};
        Await.until(() -> {
            List<GatewayRecorder.Received> f = gw.frames;
            for (int i = from; i < f.size(); i++) {
                if (source(f.get(i)).rung().equals(rung)) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        }, DEADLINE, "a frame of rung " + rung.name());
        return found[0];
    }

    private static Ack send(GatewayRecorder gw, ControlOp op, long value, int streamId, AtomicInteger framesAtAck)
            throws Exception {
        return gw.link.sendControl(op, value, streamId).whenComplete((a, e) -> framesAtAck.set(gw.frames.size()))
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * After a CONTROL whose ACK arrived when {@code from} frames had arrived: frames {@code from..to-1} are
     * consecutive access units of the old rung (looping at the clip's end) without a keyframe once the CONTROL was
     * applied, and frame {@code to} is the new rung's keyframe with its parameter sets, at the scene time of the GOP
     * boundary the old rung reached; capture times keep the old rung's spacing up to the switch.
     */
    private static void assertSwitchAtGopBoundary(GatewayRecorder gw, int from, int to, LadderRung oldRung,
            LadderRung newRung) {
        List<GatewayRecorder.Received> f = gw.frames;
        Clip oldClip = ladder.clip(oldRung);
        for (int i = from; i < to; i++) {
            Source s = source(f.get(i));
            assertEquals(oldRung, s.rung(), "frame " + i + " before the GOP boundary comes from the old rung");
            assertTrue(!s.keyframe() || i < from + HELD_BACK,
                    "the switch happens at the first GOP boundary after the CONTROL, not after frame " + i);
            if (i > from) {
                assertEquals((source(f.get(i - 1)).index() + 1) % oldClip.size(), s.index(), "no skip at " + i);
            }
        }
        assertTrue(to - from <= oldRung.fps() + HELD_BACK,
                "the GOP boundary came within one GOP: " + (to - from) + " frames");
        Source last = source(f.get(to - 1));
        int boundary = (last.index() + 1) % oldClip.size();
        assertTrue(oldClip.isKeyframe(boundary), "the old rung's next frame would have been a keyframe");
        GatewayRecorder.Received first = f.get(to);
        Source s = source(first);
        assertEquals(newRung, s.rung());
        assertTrue(first.keyframe(), "the first frame of the new rung is a keyframe: " + first);
        assertTrue(first.nalTypes().containsAll(List.of(NalUnitType.SPS, NalUnitType.PPS, NalUnitType.IDR)),
                first::toString);
        assertEquals(List.of(newRung.width(), newRung.height()), List.of(first.spsWidth(), first.spsHeight()),
                "its SPS has the new picture size");
        assertEquals(new Source(oldRung, boundary).sceneUs(), s.sceneUs(), "the scene goes on where it was");
        assertEquals(1_000_000L / oldRung.fps(), first.captureTimeUs() - f.get(to - 1).captureTimeUs(),
                "the old rung's spacing up to the switch");
    }

    @Test
    void movesBetweenRungsAtGopBoundariesAndReportsWhatItApplied() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        GatewayRecorder again = new GatewayRecorder();
        TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0);
        server.start(gw);
        int port = server.boundPort();
        try (SimulatedCamera cam = SimulatedCamera.start(
                CameraOptions.ladder("LADDER_CAM", ladder, "127.0.0.1", port, true, List.of()), null)) {
            Await.until(() -> gw.frames.size() >= 5, DEADLINE, "5 frames");
            // HELLO: the highest rung, and every CONTROL the ladder honours.
            assertEquals(List.of(new Hello("LADDER_CAM", "sim-0.1", "h264", LADDER_CAPS, 192, 144, 20, 400_000)),
                    gw.hellos);
            assertEquals(TinyLadder.HIGH, cam.currentRung());
            assertEquals(Ladder.Request.of(TinyLadder.HIGH), cam.requested());
            assertEquals(new Source(TinyLadder.HIGH, 0), source(gw.frames.get(0)), "starts at the scene's start");

            // Values out of range, an unknown preset, another stream: refused, nothing changes.
            AtomicInteger at = new AtomicInteger();
            assertEquals(Ack.INVALID_VALUE, send(gw, ControlOp.SET_BITRATE, 0, 0, at).status());
            assertEquals(Ack.INVALID_VALUE, send(gw, ControlOp.SET_FPS, 0, 0, at).status());
            assertEquals(Ack.INVALID_VALUE, send(gw, ControlOp.SET_RESOLUTION, 0, 0, at).status());
            assertEquals(Ack.INVALID_VALUE, send(gw, ControlOp.SET_PRESET, 7, 0, at).status());
            assertEquals(Ack.UNSUPPORTED, send(gw, ControlOp.SET_BITRATE, 300_000, 1, at).status());
            assertEquals(Ladder.Request.of(TinyLadder.HIGH), cam.requested());

            // SET_BITRATE 300 kbps: MID (250 kbps) is the closest size under it; the ACK says 250 000.
            Ack bitrate = send(gw, ControlOp.SET_BITRATE, 300_000, 0, at);
            assertEquals(new Ack(bitrate.controlId(), Ack.OK, 0, 250_000), bitrate);
            int afterBitrate = at.get();
            int midStart = awaitFirstFrameOf(gw, TinyLadder.MID, afterBitrate);
            assertSwitchAtGopBoundary(gw, afterBitrate, midStart, TinyLadder.HIGH, TinyLadder.MID);
            assertEquals(TinyLadder.MID, cam.currentRung());
            assertEquals(1, cam.rungSwitches());

            // SET_RESOLUTION 128x96: LOW, at 10 fps from its first frame on.
            Ack resolution = send(gw, ControlOp.SET_RESOLUTION, (128L << 16) | 96, 0, at);
            assertEquals(new Ack(resolution.controlId(), Ack.OK, 0, (128L << 16) | 96), resolution);
            int afterResolution = at.get();
            int lowStart = awaitFirstFrameOf(gw, TinyLadder.LOW, afterResolution);
            assertSwitchAtGopBoundary(gw, afterResolution, lowStart, TinyLadder.MID, TinyLadder.LOW);
            Await.until(() -> gw.frames.size() >= lowStart + 4, DEADLINE, "frames of the low rung");
            for (int i = lowStart + 1; i < lowStart + 4; i++) {
                assertEquals(100_000, gw.frames.get(i).captureTimeUs() - gw.frames.get(i - 1).captureTimeUs(),
                        "10 fps spacing after the switch, frame " + i);
            }
            assertEquals(2, cam.rungSwitches());

            // FORCE_IDR: the next frame is the low rung's keyframe nearest to where the scene was (under a GOP).
            Ack forced = send(gw, ControlOp.FORCE_IDR, 0, 0, at);
            assertEquals(new Ack(forced.controlId(), Ack.OK, 0), forced);
            int afterForce = at.get();
            Await.until(() -> gw.frames.size() > afterForce + HELD_BACK + 1, DEADLINE, "frames after FORCE_IDR");
            int idr = afterForce;
            while (!gw.frames.get(idr).keyframe()) {
                Source s = source(gw.frames.get(idr));
                assertEquals((source(gw.frames.get(idr - 1)).index() + 1) % ladder.clip(s.rung()).size(), s.index(),
                        "frames sent before the FORCE_IDR, in order");
                idr++;
            }
            assertTrue(idr < afterForce + HELD_BACK, "the first frame sent after FORCE_IDR is a keyframe: " + idr);
            GatewayRecorder.Received next = gw.frames.get(idr);
            assertTrue(next.nalTypes().contains(NalUnitType.SPS), next::toString);
            Source expected = source(gw.frames.get(idr - 1));
            Source got = source(next);
            assertEquals(TinyLadder.LOW, got.rung());
            long sceneUs = ladder.durationUs();
            long moved = Math.floorMod(got.sceneUs() - (expected.sceneUs() + 100_000), sceneUs);
            assertTrue(Math.min(moved, sceneUs - moved) <= 500_000, "moved by at most half a GOP: " + moved + " us");
            assertEquals(100_000, next.captureTimeUs() - gw.frames.get(idr - 1).captureTimeUs());

            // SET_PRESET 2 (high: 1920x1080 25 fps 2 Mbps): the largest rung; the ACK carries the preset code.
            Ack preset = send(gw, ControlOp.SET_PRESET, 2, 0, at);
            assertEquals(new Ack(preset.controlId(), Ack.OK, 0, 2), preset);
            int highStart = awaitFirstFrameOf(gw, TinyLadder.HIGH, at.get());
            assertSwitchAtGopBoundary(gw, at.get(), highStart, TinyLadder.LOW, TinyLadder.HIGH);
            assertEquals(new Ladder.Request(1920, 1080, 25, 2_000_000), cam.requested());

            // SET_FPS 10 at 128x96 (after SET_RESOLUTION): the ACK says the fps of the rung it chose.
            send(gw, ControlOp.SET_RESOLUTION, (128L << 16) | 96, 0, at);
            Ack fps = send(gw, ControlOp.SET_FPS, 12, 0, at);
            assertEquals(new Ack(fps.controlId(), Ack.OK, 0, 10), fps);
            awaitFirstFrameOf(gw, TinyLadder.LOW, at.get());

            List<GatewayRecorder.Received> all = gw.frames;
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).captureTimeUs() > all.get(i - 1).captureTimeUs(), "capture time at " + i);
            }
            assertEquals(new GatewayRecorder.WireChecks(0, 0), gw.wireChecks());

            // A new connection: its HELLO reports the current rung, and it starts at a keyframe.
            server.close();
            server = new TcpCameraServer("127.0.0.1", port);
            server.start(again);
            Await.until(() -> again.frames.size() >= 2, DEADLINE, "frames after reconnecting");
            assertEquals(List.of(new Hello("LADDER_CAM", "sim-0.1", "h264", LADDER_CAPS, 128, 96, 10, 150_000)),
                    again.hellos);
            assertEquals(cam.hello(), again.hellos.get(0));
            assertTrue(again.frames.get(0).keyframe());
        } finally {
            server.close();
        }
    }

    @Test
    void aSwitchPendingAtForceIdrHappensAtOnce() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(CameraOptions.ladder("LADDER_CAM_2", ladder,
                    "127.0.0.1", server.boundPort(), true, List.of()), null)) {
                // In the middle of a GOP of HIGH (IDRs at 0, 20, 40), so no GOP boundary comes before FORCE_IDR.
                Await.until(() -> {
                    int n = gw.frames.size();
                    return n >= 3 && source(gw.frames.get(n - 1)).index() % 20 >= 3
                            && source(gw.frames.get(n - 1)).index() % 20 <= 12;
                }, DEADLINE, "a frame in the middle of a GOP");
                // Sent back to back: SET_BITRATE 200 kbps (only LOW is under it), then FORCE_IDR.
                var bitrate = gw.link.sendControl(ControlOp.SET_BITRATE, 200_000, 0);
                AtomicInteger at = new AtomicInteger();
                Ack forced = send(gw, ControlOp.FORCE_IDR, 0, 0, at);
                Ack bitrateAck = bitrate.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(new Ack(bitrateAck.controlId(), Ack.OK, 0, 150_000), bitrateAck);
                assertTrue(forced.ok());
                int afterForce = at.get();
                int lowStart = awaitFirstFrameOf(gw, TinyLadder.LOW, 0);
                assertTrue(lowStart >= afterForce && lowStart < afterForce + HELD_BACK,
                        "the first frame sent after the FORCE_IDR is the first of the new rung: " + lowStart);
                GatewayRecorder.Received first = gw.frames.get(lowStart);
                assertTrue(first.keyframe(), first::toString);
                assertEquals(List.of(128, 96), List.of(first.spsWidth(), first.spsHeight()), "LOW's SPS");
                Source before = source(gw.frames.get(lowStart - 1));
                assertEquals(TinyLadder.HIGH, before.rung());
                Clip high = ladder.clip(TinyLadder.HIGH);
                assertFalse(high.isKeyframe((before.index() + 1) % high.size()),
                        "not a GOP boundary of HIGH: the forced IDR made the switch");
                long moved = Math.abs(source(first).sceneUs() - (before.sceneUs() + 50_000));
                assertTrue(moved <= 500_000, "at LOW's keyframe nearest to the scene position: moved " + moved + " us");
                assertEquals(50_000, first.captureTimeUs() - gw.frames.get(lowStart - 1).captureTimeUs());
                assertEquals(1, cam.rungSwitches());
                assertEquals(TinyLadder.LOW, cam.currentRung());
            }
        }
    }
}
