package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.edgepush.bridge.wire.Vectors;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end over 127.0.0.1, ephemeral port: server + camera clients. */
class TcpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingListener listener = new RecordingListener();
    private final List<TcpCameraClient> clients = new ArrayList<>();
    private TcpCameraServer server;

    @BeforeEach
    void start() {
        server = new TcpCameraServer("127.0.0.1", 0,
                BridgeOptions.defaults().withControlTimeout(Duration.ofMillis(300)));
        server.start(listener);
    }

    @AfterEach
    void stop() {
        clients.forEach(TcpCameraClient::close);
        server.close();
    }

    private TcpCameraClient camera(String deviceId) throws Exception {
        TcpCameraClient c = TcpCameraClient.connect("127.0.0.1", server.boundPort());
        clients.add(c);
        c.sendHello(new Hello(deviceId, "1.2.3", "h264", 0x7F, 1280, 720, 20, 1_000_000));
        return c;
    }

    /**
     * One access unit: an IDR slice (NAL header 0x65) when {@code keyframe}, else a non-IDR slice (0x41, nal_ref_idc
     * 2); the next byte starts with bit 1 (first_mb_in_slice 0: a new picture) and carries {@code i} to tell frames
     * apart.
     */
    private static ByteBuf au(boolean keyframe, int i) {
        return PooledByteBufAllocator.DEFAULT.buffer().writeBytes(
                new byte[] {0, 0, 0, 1, keyframe ? (byte) 0x65 : 0x41, (byte) (0x80 | i), 0x11});
    }

    private static String auHex(boolean keyframe, int i) {
        return String.format("00000001%02x%02x11", keyframe ? 0x65 : 0x41, 0x80 | i);
    }

    @Test
    void helloThenTenVideoFramesArriveInOrder() throws Exception {
        TcpCameraClient cam = camera("CAM_A");
        for (int i = 0; i < 10; i++) {
            cam.sendVideo(0, 1_000_000L + i * 50_000L, i == 0, au(i == 0, i));
        }
        cam.sendEvent(new Event(0, 1_600_000, Event.MOTION_START, "zone=1"));
        Await.until(() -> listener.events.size() == 1, WAIT, "motion event");
        List<RecordingListener.Video> v = listener.videosOf("CAM_A");
        assertEquals(10, v.size());
        for (int i = 0; i < 10; i++) {
            long dtsMs = 1000L + i * 50L; // capture time in ms
            assertEquals(new RecordingListener.Video("CAM_A", 0, dtsMs, dtsMs, i == 0, true, auHex(i == 0, i)),
                    v.get(i), "frame " + i);
        }
        CameraLink link = listener.connected.get("CAM_A");
        assertEquals("CAM_A", link.deviceId());
        assertEquals(1280, link.hello().width());
        assertEquals(0, link.stats().sequenceGaps());
        assertEquals(0, link.stats().keyframeFlagMismatches());
        assertEquals(0, link.stats().malformedMessages());
        assertEquals(new Event(0, 1_600_000, Event.MOTION_START, "zone=1"), listener.events.get(0));
        assertEquals(10, listener.onLinkEventLoop.get(),
                "a TCP link names the event loop that delivers its access units (an RTMP publish can share it)");
    }

    @Test
    void controlRoundTripCompletesWithTheCamerasAck() throws Exception {
        List<Control> seen = new CopyOnWriteArrayList<>();
        TcpCameraClient cam = camera("CAM_C").onControl(c -> {
            seen.add(c);
            return c.op() == ControlOp.SET_FPS ? Ack.INVALID_VALUE : Ack.OK;
        });
        Await.until(() -> listener.connected.containsKey("CAM_C"), WAIT, "HELLO");
        CameraLink link = listener.connected.get("CAM_C");
        Ack ack = link.sendControl(new Control(41, ControlOp.SET_BITRATE, 750_000, 1)).get(10, TimeUnit.SECONDS);
        assertEquals(new Ack(41, Ack.OK, 1), ack);
        Ack bad = link.sendControl(ControlOp.SET_FPS, 99, 0).get(10, TimeUnit.SECONDS);
        assertEquals(Ack.INVALID_VALUE, bad.status());
        assertEquals(new Control(41, ControlOp.SET_BITRATE, 750_000, 1), seen.get(0));
        assertEquals(2, seen.size());
    }

    @Test
    void anAnswerWithAnAppliedValueReachesTheGatewayInTheAck() throws Exception {
        TcpCameraClient cam = camera("CAM_V").onControlAnswer(c -> switch (c.op()) {
            case SET_BITRATE -> CameraClient.ControlAnswer.ok(800_000); // the nearest setting it has
            case SET_PRESET -> CameraClient.ControlAnswer.status(Ack.INVALID_VALUE);
            case STOP_ENCODER -> null; // a handler bug: FAILED
            default -> CameraClient.ControlAnswer.status(Ack.OK);
        });
        Await.until(() -> listener.connected.containsKey("CAM_V"), WAIT, "HELLO");
        CameraLink link = listener.connected.get("CAM_V");
        assertEquals(new Ack(42, Ack.OK, 0, 800_000),
                link.sendControl(new Control(42, ControlOp.SET_BITRATE, 1_000_000)).get(10, TimeUnit.SECONDS));
        assertEquals(new Ack(43, Ack.INVALID_VALUE, 0, Ack.NO_VALUE),
                link.sendControl(new Control(43, ControlOp.SET_PRESET, 9)).get(10, TimeUnit.SECONDS));
        assertEquals(new Ack(44, Ack.FAILED, 0), link.sendControl(new Control(44, ControlOp.STOP_ENCODER, 0))
                .get(10, TimeUnit.SECONDS));
        assertEquals(new Ack(45, Ack.OK, 0), link.sendControl(new Control(45, ControlOp.FORCE_IDR, 0))
                .get(10, TimeUnit.SECONDS));
        assertEquals(0, link.stats().malformedMessages());
    }

    @Test
    void missingAckFailsTheFutureWithTimeoutAndDuplicateIdIsRefused() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.boundPort())) { // a camera that never answers
            raw.getOutputStream().write(Vectors.bytes(Vectors.VIDEO_MAIN_KEY + Vectors.HELLO));
            raw.getOutputStream().flush();
            Await.until(() -> listener.connected.containsKey("ESP32P4_CAM_001"), WAIT, "HELLO");
            CameraLink link = listener.connected.get("ESP32P4_CAM_001");
            assertEquals(1, link.stats().videoBeforeHello(), "VIDEO before HELLO is counted and dropped");
            var first = link.sendControl(new Control(5, ControlOp.FORCE_IDR, 0));
            var dup = link.sendControl(new Control(5, ControlOp.FORCE_IDR, 0));
            ExecutionException dupErr = assertThrows(ExecutionException.class, () -> dup.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, dupErr.getCause());
            ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(listener.videos.isEmpty());
        }
        Await.until(() -> listener.disconnected.containsKey("ESP32P4_CAM_001"), WAIT, "disconnect");
        assertEquals("connection closed by camera", listener.disconnected.get("ESP32P4_CAM_001"));
    }

    @Test
    void closingTheLinkFailsPendingControlsAndReportsTheReason() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.boundPort())) {
            raw.getOutputStream().write(Vectors.bytes(Vectors.HELLO));
            Await.until(() -> listener.connected.containsKey("ESP32P4_CAM_001"), WAIT, "HELLO");
            CameraLink link = listener.connected.get("ESP32P4_CAM_001");
            var pending = link.sendControl(new Control(9, ControlOp.STOP_ENCODER, 0), Duration.ofSeconds(30));
            link.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            Await.until(() -> listener.disconnected.containsKey("ESP32P4_CAM_001"), WAIT, "disconnect");
            assertEquals("closed by gateway", listener.disconnected.get("ESP32P4_CAM_001"));
        }
    }

    @Test
    void malformedHelloClosesTheConnectionWithoutReportingACamera() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.boundPort())) {
            // HELLO frame whose device_id length (5) overruns a 2-byte payload; CRCs from Python zlib.crc32.
            raw.getOutputStream().write(Vectors.bytes("45 50 01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                    + " 00 00 00 02 ca 60 e0 c8 05 41 df 9d 57 2c"));
            raw.setSoTimeout(10_000);
            readToEnd(raw); // returns when the gateway closes; a SocketTimeoutException fails the test
        }
        assertTrue(listener.connected.isEmpty());
    }

    private static void readToEnd(Socket s) throws IOException {
        while (s.getInputStream().read() >= 0) {
            // drain gateway heartbeats until the gateway closes
        }
    }

    @Test
    void twoCamerasOneSendsGarbageTheOthersFramesAllArrive() throws Exception {
        TcpCameraClient good = camera("CAM_GOOD");
        TcpCameraClient bad = camera("CAM_BAD");
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[97];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = (byte) (j % 3 == 0 ? 0x45 : j % 3 == 1 ? 0x50 : 0x01);
            }
            bad.sendRaw(PooledByteBufAllocator.DEFAULT.buffer().writeBytes(junk));
            good.sendVideo(0, i * 40_000L, i % 10 == 0, au(i % 10 == 0, i));
        }
        bad.sendVideo(1, 5, true, au(true, 99));
        Await.until(() -> listener.videosOf("CAM_GOOD").size() == 20 && listener.videosOf("CAM_BAD").size() == 1,
                WAIT, "all good frames and the bad camera's one frame");
        List<RecordingListener.Video> v = listener.videosOf("CAM_GOOD");
        for (int i = 0; i < 20; i++) {
            assertEquals(40L * i, v.get(i).dtsMs(), "frame " + i + " in order, by capture time");
            assertEquals(auHex(i % 10 == 0, i), v.get(i).hex(), "frame " + i);
        }
        assertEquals(new RecordingListener.Video("CAM_BAD", 1, 0, 0, true, true, auHex(true, 99)),
                listener.videosOf("CAM_BAD").get(0), "captured at 5 us: dts 0 ms");
        assertEquals(0, listener.connected.get("CAM_GOOD").stats().bytesSkipped());
        assertTrue(listener.connected.get("CAM_BAD").stats().bytesSkipped() >= 20 * 97 - 30);
    }
}
