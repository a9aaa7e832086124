package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.testkit.HexBytes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw Annex B cameras (issue 4 item 5). Slices are hand-made: 0x65/0x41 NAL headers (IDR / non-IDR, ISO/IEC
 * 14496-10 7.3.1) followed by a byte whose first bit is 1, i.e. first_mb_in_slice = ue(v) 0: each begins a new
 * picture, so each is one access unit.
 */
class RawAnnexBServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String IDR = "00 00 00 01 65 88 84";
    private static final String P2 = "00 00 00 01 41 9a 02";
    private final RecordingListener listener = new RecordingListener();
    private RawAnnexBServer server;

    @BeforeEach
    void start() {
        server = new RawAnnexBServer(List.of(new RawAnnexBServer.Listen("127.0.0.1", 0, "CAM_RAW_FIXED"),
                new RawAnnexBServer.Listen("127.0.0.1", 0, null)),
                (peer, port) -> "RAW_" + peer.getAddress().getHostAddress() + "_" + port,
                BridgeOptions.defaults());
        server.start(listener);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect(int listenIndex) throws IOException {
        return new Socket("127.0.0.1", server.boundPort(listenIndex));
    }

    private static void write(Socket s, String hex) throws IOException {
        s.getOutputStream().write(HexBytes.bytes(hex));
        s.getOutputStream().flush();
    }

    @Test
    void accessUnitsAreSplitStampedAtArrivalAndTheLastIsDeliveredWhenTheCameraCloses() throws Exception {
        try (Socket cam = connect(0)) {
            write(cam, "12 34 " + IDR + P2 + " 00 00 01");
            Await.until(() -> listener.videosOf("CAM_RAW_FIXED").size() == 1, WAIT, "first access unit");
            write(cam, "41 9a 05" + P2);
            Await.until(() -> listener.videosOf("CAM_RAW_FIXED").size() == 2, WAIT, "second access unit");
        }
        Await.until(() -> listener.disconnected.containsKey("CAM_RAW_FIXED"), WAIT, "disconnect");
        List<RecordingListener.Video> v = listener.videosOf("CAM_RAW_FIXED");
        assertEquals(4, v.size(), "the access unit in progress is delivered at the camera's close");
        assertEquals(new RecordingListener.Video("CAM_RAW_FIXED", 0, v.get(0).dtsMs(), v.get(0).dtsMs(), true, true,
                "0000000165888" + "4"), v.get(0));
        assertEquals(List.of("00000001419a02", "00000001419a05", "00000001419a02"),
                v.subList(1, 4).stream().map(RecordingListener.Video::hex).toList());
        assertFalse(v.get(1).keyframe());
        assertTrue(v.get(1).reference(), "nal_ref_idc 2");
        assertEquals(v.get(0).dtsMs() + 1, v.get(1).dtsMs(), "both began in the first write: stamped 1 ms apart");
        assertTrue(v.get(2).dtsMs() > v.get(1).dtsMs(), "arrival stamps: " + v);
        assertTrue(v.get(3).dtsMs() > v.get(2).dtsMs(), "arrival stamps: " + v);
        for (RecordingListener.Video a : v) {
            assertEquals(a.dtsMs(), a.ptsMs(), "no reordering without an SPS: " + a);
        }
        assertEquals("connection closed by camera", listener.disconnected.get("CAM_RAW_FIXED"));
        CameraLink link = listener.connected.get("CAM_RAW_FIXED");
        assertEquals(new Hello("CAM_RAW_FIXED", "raw-annexb", "h264", 0, 0, 0, 0, 0), link.hello());
        assertEquals(2, link.stats().bytesSkipped(), "the two bytes before the first start code");
        assertEquals(4, link.stats().framesDecoded());
        assertTrue(link.peer().startsWith("raw-tcp:127.0.0.1:"), link.peer());
    }

    @Test
    void sharedPortNamesTheCameraByPeerAndControlsAreAnsweredUnsupportedLocally() throws Exception {
        try (Socket cam = connect(1)) {
            write(cam, IDR + P2);
            String id = "RAW_127.0.0.1_" + server.boundPort(1);
            Await.until(() -> listener.connected.containsKey(id), WAIT, "camera named by peer address");
            CameraLink link = listener.connected.get(id);
            Ack ack = link.sendControl(new Control(31, ControlOp.FORCE_IDR, 0, 0)).get(1, TimeUnit.SECONDS);
            assertEquals(new Ack(31, Ack.UNSUPPORTED, 0), ack);
            assertEquals(Ack.UNSUPPORTED, link.sendControl(ControlOp.SET_BITRATE, 1000, 0).get(1, TimeUnit.SECONDS).status());
            link.close();
            Await.until(() -> listener.disconnected.containsKey(id), WAIT, "closed by gateway");
            assertEquals("closed by gateway", listener.disconnected.get(id));
            assertEquals(0, listener.videosOf(id).size(), "nothing complete yet; what is held is dropped at close");
        }
    }

    @Test
    void refusedPeerIsClosedAndNeverReported() throws Exception {
        server.close();
        server = new RawAnnexBServer(List.of(new RawAnnexBServer.Listen("127.0.0.1", 0, null)), (peer, port) -> null,
                BridgeOptions.defaults());
        server.start(listener);
        try (Socket cam = connect(0)) {
            write(cam, IDR + P2 + P2);
            cam.setSoTimeout(10_000);
            assertClosedByPeer(cam);
        }
        assertTrue(listener.connected.isEmpty());
    }

    @Test
    void garbageIsCountedAndIdleConnectionsAreClosed() throws Exception {
        server.close();
        server = new RawAnnexBServer(List.of(new RawAnnexBServer.Listen("127.0.0.1", 0, "CAM_IDLE")),
                (peer, port) -> null, new BridgeOptions(1024, Duration.ofSeconds(5), Duration.ofMillis(300),
                        Duration.ofSeconds(2), Duration.ofSeconds(2)));
        server.start(listener);
        try (Socket cam = connect(0)) {
            Await.until(() -> listener.connected.containsKey("CAM_IDLE"), WAIT, "connected at accept");
            write(cam, "ab cd ef 01 02 03");
            cam.setSoTimeout(10_000);
            assertEquals(-1, cam.getInputStream().read(), "idle connection closed");
        }
        Await.until(() -> listener.disconnected.containsKey("CAM_IDLE"), WAIT, "idle timeout reported");
        assertEquals("nothing received for 300 ms", listener.disconnected.get("CAM_IDLE"));
        assertEquals(6, listener.connected.get("CAM_IDLE").stats().bytesSkipped());
        assertTrue(listener.videos.isEmpty());
    }

    @Test
    void nalUnitOverTheLimitIsDroppedAndCountedAndTheStreamGoesOn() throws Exception {
        server.close();
        server = new RawAnnexBServer(List.of(new RawAnnexBServer.Listen("127.0.0.1", 0, "CAM_BIG")),
                (peer, port) -> null, new BridgeOptions(16, Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofSeconds(2), Duration.ofSeconds(2)));
        server.start(listener);
        try (Socket cam = connect(0)) {
            write(cam, IDR + " 00 00 01 41 9a" + " 55".repeat(100) + P2 + " 00 00 00 01 41 00" + IDR + " 00 00 01");
            Await.until(() -> listener.videosOf("CAM_BIG").size() == 2, WAIT, "two access units");
            CameraLink link = listener.connected.get("CAM_BIG");
            Await.until(() -> link.stats().malformedMessages() == 1, WAIT, "malformed slice counted");
            assertEquals(1, link.stats().oversizeFrames());
        }
        Await.until(() -> listener.disconnected.containsKey("CAM_BIG"), WAIT, "disconnect");
        assertEquals(List.of("0000000165888" + "4", "00000001419a02", "0000000165888" + "4"),
                listener.videosOf("CAM_BIG").stream().map(RecordingListener.Video::hex).toList());
    }

    @Test
    void bindFailureNamesTheAddress() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            RawAnnexBServer clash = new RawAnnexBServer(List.of(new RawAnnexBServer.Listen("127.0.0.1",
                    taken.getLocalPort(), "X")), (p, l) -> null, BridgeOptions.defaults());
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> clash.start(listener));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    /**
     * The gateway closed {@code cam}: an end of stream, or a reset when it closed with the camera's bytes still
     * unread in its receive buffer (TCP then sends RST, as Linux does for epoll and NIO alike).
     */
    private static void assertClosedByPeer(Socket cam) throws IOException {
        try {
            assertEquals(-1, cam.getInputStream().read(), "gateway closes the connection");
        } catch (java.net.SocketException e) {
            assertTrue(e.getMessage().contains("reset"), "closed with a reset, not " + e);
        }
    }
}
