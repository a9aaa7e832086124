package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedCameraTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static Clip small;
    private static Clip smallHevc;

    @BeforeAll
    static void loadClip() throws Exception {
        small = Clip.load(Fixtures.repoFixture("small.h264"));
        smallHevc = Clip.load(Fixtures.repoFixture("small.265"));
    }

    private static Ack send(GatewayRecorder gw, ControlOp op, long value) throws Exception {
        return gw.link.sendControl(op, value, 0).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void sendsHelloThenPacedFramesWithSequenceAndCaptureTimes() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(
                    new CameraOptions("SIM_CAM_1", small, 50, "127.0.0.1", server.boundPort(), true), null)) {
                Await.until(() -> gw.frames.size() >= 60, DEADLINE, "60 frames from the camera");
                // framesSent counts after the write returns, so the gateway may see frame 60 a moment earlier.
                Await.until(() -> cam.framesSent() >= 60, DEADLINE, "framesSent() to reach 60");
            }
        }
        assertEquals(List.of(new Hello("SIM_CAM_1", "sim-0.1", "h264",
                Hello.CAP_FORCE_IDR | Hello.CAP_START_STOP_ENCODER, 320, 240, 50, small.averageBitrateBps(50))),
                gw.hellos);
        List<GatewayRecorder.Received> f = gw.frames;
        for (int i = 1; i < 60; i++) {
            assertEquals(20_000, f.get(i).captureTimeUs() - f.get(i - 1).captureTimeUs(), "spacing at frame " + i);
        }
        // PROTOCOL.md 2.2: consecutive sequence numbers per stream, so the gateway saw no gap.
        assertEquals(0, gw.link.streamStats(0).sequenceGaps(), "sequence gaps on stream 0");
        // small.h264: IDR at access units 0 and 25, clip of 50 looped: keyframes exactly every 25 frames.
        for (int i = 0; i < 60; i++) {
            assertEquals(i % 25 == 0, f.get(i).keyframe(), "keyframe flag of frame " + i);
        }
        List<Integer> first = f.get(0).nalTypes();
        assertTrue(first.indexOf(NalUnitType.SPS) >= 0 && first.indexOf(NalUnitType.SPS) < first.indexOf(
                NalUnitType.IDR) && first.indexOf(NalUnitType.PPS) < first.indexOf(NalUnitType.IDR), first::toString);
    }

    @Test
    void forceIdrMakesTheNextFrameAKeyframeAndIsAcked() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(
                    new CameraOptions("SIM_CAM_2", small, 25, "127.0.0.1", server.boundPort(), true), null)) {
                Await.until(() -> gw.frames.size() >= 3, DEADLINE, "3 frames");
                AtomicInteger framesAtAck = new AtomicInteger(-1);
                Ack ack = gw.link.sendControl(ControlOp.FORCE_IDR, 0, 0)
                        .whenComplete((a, e) -> framesAtAck.set(gw.frames.size()))
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(ack.ok(), ack::toString);
                int at = framesAtAck.get();
                Await.until(() -> gw.frames.size() > at + 1, DEADLINE, "frames after the ACK");
                GatewayRecorder.Received next = gw.frames.get(at);
                assertTrue(next.keyframe(), "first frame after the FORCE_IDR ACK must be a keyframe: " + next);
                assertTrue(next.nalTypes().contains(NalUnitType.SPS), next::toString);
                // PROTOCOL.md 2.2: one counter per stream for every frame type (the ACK took one number too), so
                // the gateway saw no gap.
                assertEquals(0, gw.link.streamStats(0).sequenceGaps(), "sequence gaps on stream 0");
                assertEquals(40_000, next.captureTimeUs() - gw.frames.get(at - 1).captureTimeUs());
                assertFalse(gw.frames.get(at + 1).keyframe());

                Ack unsupported = gw.link.sendControl(ControlOp.SET_BITRATE, 500_000, 0)
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(Ack.UNSUPPORTED, unsupported.status());
            }
        }
    }

    @Test
    void reconnectsWhenTheGatewayComesBackAndStartsWithAnIdr() throws Exception {
        GatewayRecorder first = new GatewayRecorder();
        GatewayRecorder second = new GatewayRecorder();
        TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0);
        server.start(first);
        int port = server.boundPort();
        try (SimulatedCamera cam = SimulatedCamera.start(
                new CameraOptions("SIM_CAM_3", small, 50, "127.0.0.1", port, true), null)) {
            Await.until(() -> first.frames.size() >= 5, DEADLINE, "frames on the first connection");
            server.close();
            server = new TcpCameraServer("127.0.0.1", port);
            server.start(second);
            Await.until(() -> second.frames.size() >= 3, DEADLINE, "frames after reconnecting");
            assertEquals(2, cam.connections());
            assertEquals("SIM_CAM_3", second.hellos.get(0).deviceId());
            assertTrue(second.frames.get(0).keyframe(), "first frame after reconnect must be an IDR");
        } finally {
            server.close();
        }
    }

    @Test
    void withoutLoopSendsTheWholeClipOnceThenFinishes() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(new CameraOptions("SIM_CAM_4", small, 100,
                    "127.0.0.1", server.boundPort(), false, List.of(0.05)), null)) {
                cam.finished().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(50, cam.framesSent());
                Await.until(() -> gw.frames.size() == 50, DEADLINE, "all 50 frames at the gateway");
                Await.until(() -> !gw.disconnects.isEmpty(), DEADLINE, "the camera to hang up");
            }
        }
        // The clip lasts 0.5 s, so the MOTION_END due at 2.05 s is never sent.
        assertEquals(List.of(new Event(0, 50_000, Event.MOTION_START, "simulated motion")), gw.events);
    }

    @Test
    void motionEventsOnTheCameraClock() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(new CameraOptions("SIM_CAM_5", small, 50,
                    "127.0.0.1", server.boundPort(), true, List.of(0.1)), null)) {
                Await.until(() -> gw.events.size() >= 2, DEADLINE, "MOTION_START and MOTION_END");
                assertEquals(Hello.CAP_MOTION_EVENTS, cam.hello().capabilities() & Hello.CAP_MOTION_EVENTS);
            }
        }
        assertEquals(List.of(new Event(0, 100_000, Event.MOTION_START, "simulated motion"),
                new Event(0, 2_100_000, Event.MOTION_END, "simulated motion")), gw.events);
    }

    @Test
    void h265ClipSaysH265InHelloAndStartsAtAnIrapWithIncreasingCaptureTimes() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(
                    new CameraOptions("SIM_CAM_H265", smallHevc, 50, "127.0.0.1", server.boundPort(), true), null)) {
                Await.until(() -> gw.frames.size() >= 60, DEADLINE, "60 H.265 frames from the camera");
                assertEquals(Hello.CODEC_H265, cam.hello().codec());
            }
        }
        // small.265 is 320x184 coded, 320x180 after its conformance window.
        assertEquals(List.of(new Hello("SIM_CAM_H265", "sim-0.1", "h265",
                Hello.CAP_FORCE_IDR | Hello.CAP_START_STOP_ENCODER, 320, 180, 50, smallHevc.averageBitrateBps(50))),
                gw.hellos);
        List<GatewayRecorder.Received> f = gw.frames;
        GatewayRecorder.Received first = f.get(0);
        assertTrue(first.keyframe(), "first frame must be a keyframe: " + first);
        assertEquals(List.of(HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS,
                HevcNalUnitType.IDR_N_LP), first.nalTypes(), "first frame: VPS/SPS/PPS and the IDR picture");
        for (int i = 1; i < 60; i++) {
            assertTrue(f.get(i).captureTimeUs() > f.get(i - 1).captureTimeUs(), "captureTimeUs increases at " + i);
            assertEquals(20_000, f.get(i).captureTimeUs() - f.get(i - 1).captureTimeUs(), "spacing at frame " + i);
        }
        assertEquals(0, gw.link.streamStats(0).sequenceGaps(), "sequence gaps on stream 0");
        // IRAP pictures (IDR_N_LP at 0, CRA at 25) of a looped 50-picture clip: keyframes exactly every 25 frames.
        for (int i = 0; i < 60; i++) {
            GatewayRecorder.Received r = f.get(i);
            assertEquals(i % 25 == 0, r.keyframe(), "keyframe flag of frame " + i);
            boolean irap = r.nalTypes().stream().anyMatch(HevcNalUnitType::isKeyframe);
            assertEquals(r.keyframe(), irap, "keyframe flag matches an IRAP picture in frame " + i + ": " + r);
        }
    }

    @Test
    void h265ForceIdrJumpsToTheNextIrapAndIsRecorded() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(
                    new CameraOptions("SIM_CAM_H265_IDR", smallHevc, 25, "127.0.0.1", server.boundPort(), true),
                    null)) {
                Await.until(() -> gw.frames.size() >= 3, DEADLINE, "3 frames");
                assertEquals(List.of(), cam.controlsReceived());
                AtomicInteger framesAtAck = new AtomicInteger(-1);
                Ack ack = gw.link.sendControl(ControlOp.FORCE_IDR, 0, 0)
                        .whenComplete((a, e) -> framesAtAck.set(gw.frames.size()))
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(ack.ok(), ack::toString);
                assertEquals(List.of(new Control(ack.controlId(), ControlOp.FORCE_IDR, 0, 0)), cam.controlsReceived());
                int at = framesAtAck.get();
                Await.until(() -> gw.frames.size() > at + 1, DEADLINE, "frames after the ACK");
                GatewayRecorder.Received next = gw.frames.get(at);
                assertTrue(next.keyframe(), "first frame after the FORCE_IDR ACK must be a keyframe: " + next);
                // At frame 3..24 the next IRAP is the CRA at 25, with its VPS/SPS/PPS.
                assertEquals(List.of(HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS,
                        HevcNalUnitType.CRA_NUT), next.nalTypes(), next::toString);
                assertEquals(40_000, next.captureTimeUs() - gw.frames.get(at - 1).captureTimeUs());
                assertFalse(gw.frames.get(at + 1).keyframe());
            }
        }
    }

    @Test
    void controlsReceivedListsEveryControlInArrivalOrder() throws Exception {
        GatewayRecorder gw = new GatewayRecorder();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(gw);
            try (SimulatedCamera cam = SimulatedCamera.start(
                    new CameraOptions("SIM_CAM_CTL", small, 25, "127.0.0.1", server.boundPort(), true), null)) {
                Await.until(() -> gw.frames.size() >= 1, DEADLINE, "a first frame");
                assertEquals(List.of(), cam.controlsReceived());
                Ack forceIdr = send(gw, ControlOp.FORCE_IDR, 0);
                List<Control> afterFirst = cam.controlsReceived();
                Ack bitrate = send(gw, ControlOp.SET_BITRATE, 500_000);
                Ack stop = send(gw, ControlOp.STOP_ENCODER, 0);
                Ack start = send(gw, ControlOp.START_ENCODER, 0);
                assertEquals(List.of(Ack.OK, Ack.UNSUPPORTED, Ack.OK, Ack.OK),
                        List.of(forceIdr.status(), bitrate.status(), stop.status(), start.status()));
                assertEquals(List.of(new Control(forceIdr.controlId(), ControlOp.FORCE_IDR, 0, 0),
                        new Control(bitrate.controlId(), ControlOp.SET_BITRATE, 500_000, 0),
                        new Control(stop.controlId(), ControlOp.STOP_ENCODER, 0, 0),
                        new Control(start.controlId(), ControlOp.START_ENCODER, 0, 0)), cam.controlsReceived());
                assertEquals(List.of(new Control(forceIdr.controlId(), ControlOp.FORCE_IDR, 0, 0)), afterFirst,
                        "an earlier snapshot does not change");
                assertThrows(UnsupportedOperationException.class, () -> afterFirst.add(afterFirst.get(0)));
            }
        }
    }

    @Test
    void reconnectWithAnH265ClipStartsWithAnIrap() throws Exception {
        GatewayRecorder first = new GatewayRecorder();
        GatewayRecorder second = new GatewayRecorder();
        TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0);
        server.start(first);
        int port = server.boundPort();
        try (SimulatedCamera cam = SimulatedCamera.start(
                new CameraOptions("SIM_CAM_H265_RE", smallHevc, 50, "127.0.0.1", port, true), null)) {
            Await.until(() -> first.frames.size() >= 5, DEADLINE, "frames on the first connection");
            server.close();
            server = new TcpCameraServer("127.0.0.1", port);
            server.start(second);
            Await.until(() -> second.frames.size() >= 3, DEADLINE, "frames after reconnecting");
            assertEquals(2, cam.connections());
            assertEquals("h265", second.hellos.get(0).codec());
            GatewayRecorder.Received resumed = second.frames.get(0);
            assertTrue(resumed.keyframe(), "first frame after reconnect must be an IRAP: " + resumed);
            assertTrue(resumed.nalTypes().stream().anyMatch(HevcNalUnitType::isKeyframe), resumed::toString);
            assertTrue(resumed.nalTypes().contains(HevcNalUnitType.VPS), resumed::toString);
        } finally {
            server.close();
        }
    }

    @Test
    void anExplicitCodecMustBeTheClipsCodec() {
        CameraOptions auto = new CameraOptions("SIM_CAM_OPT", smallHevc, 25, "127.0.0.1", 7000, true);
        assertEquals(ClipCodec.AUTO, auto.codec());
        assertEquals("h265", auto.helloCodec());
        assertEquals(ClipCodec.H265, auto.withCodec(ClipCodec.H265).codec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> auto.withCodec(ClipCodec.H264));
        assertTrue(e.getMessage().startsWith("codec h264 asked for, but clip "), e.getMessage());
        assertEquals("h264", new CameraOptions("SIM_CAM_OPT", small, 25, "127.0.0.1", 7000, true)
                .withCodec(ClipCodec.H264).helloCodec());
    }
}
