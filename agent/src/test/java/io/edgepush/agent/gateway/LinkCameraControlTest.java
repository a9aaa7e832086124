package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.ControlSender;
import io.edgepush.bridge.transport.CameraClient;
import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Controls from a session reach the camera, are retried while unacknowledged, and are reported when lost. */
class LinkCameraControlTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record Failure(String deviceId, String streamName, ControlSender.Outcome outcome) {
    }

    @Test
    void lostAcksAreRetriedThenReportedAsControlFailed() throws Exception {
        AtomicReference<CameraLink> link = new AtomicReference<>();
        List<Failure> failures = new CopyOnWriteArrayList<>();
        List<Control> seen = new CopyOnWriteArrayList<>();
        AtomicInteger bitrateCalls = new AtomicInteger();
        try (TcpCameraServer server = new TcpCameraServer("127.0.0.1", 0)) {
            server.start(new CameraListener() {
                @Override
                public void onCameraConnected(CameraLink l) {
                    link.set(l);
                }
            });
            try (CameraClient camera = CameraClient.tcp("127.0.0.1", server.boundPort())) {
                camera.onControl(c -> {
                    seen.add(c);
                    if (c.op() == ControlOp.FORCE_IDR) {
                        return CameraClient.NO_ACK;                     // every FORCE_IDR ACK is lost
                    }
                    return bitrateCalls.incrementAndGet() == 1 ? CameraClient.NO_ACK : Ack.OK; // first lost
                });
                camera.sendHello(new Hello("CAM_L", "1", "h264", 0x3F, 640, 480, 25, 500_000));
                Await.until(() -> link.get() != null, WAIT, "HELLO");
                CameraControl control = new LinkCameraControl(new ControlSender(link.get(), 3, Duration.ofMillis(150)),
                        1, "sub", (d, s, o) -> failures.add(new Failure(d, s, o)));
                control.requestKeyframe();
                control.configure(new io.edgepush.agent.quality.EncoderSettings(0, 0, 0, 400_000), null);
                Await.until(() -> failures.size() == 1 && bitrateCalls.get() == 2, WAIT,
                        "FORCE_IDR reported, SET_BITRATE acknowledged on its second send");
            }
        }
        Failure f = failures.get(0);
        assertEquals("CAM_L", f.deviceId());
        assertEquals("sub", f.streamName());
        assertEquals(ControlOp.FORCE_IDR, f.outcome().control().op());
        assertEquals(1, f.outcome().control().streamId());
        assertEquals(3, f.outcome().attempts());
        assertNull(f.outcome().ack());
        assertEquals(3, seen.stream().filter(c -> c.op() == ControlOp.FORCE_IDR).count());
        assertEquals(1, seen.stream().filter(c -> c.op() == ControlOp.FORCE_IDR).map(Control::controlId).distinct().count());
    }

    @Test
    void unknownRawPeersAreNamedOnlyWhenAccepted() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress("192.168.4.77", 50412);
        InetSocketAddress v6 = new InetSocketAddress("::1", 50412);
        Map<String, String> known = Map.of("192.168.4.20", "CAM_RAW_1");
        assertEquals("CAM_RAW_1", RawIngest.deviceIdFor(known, false, new InetSocketAddress("192.168.4.20", 1), 7001));
        assertEquals("RAW_192.168.4.77_7001", RawIngest.deviceIdFor(known, true, v4, 7001));
        assertNull(RawIngest.deviceIdFor(known, false, v4, 7001));
        String id = RawIngest.deviceIdFor(known, true, v6, 7001);
        assertEquals("RAW_0-0-0-0-0-0-0-1_7001", id);
        assertTrue(id.matches("[A-Za-z0-9_.-]{1,64}"), "a valid device_id");
    }

    @Test
    void bridgeCountersAreAbsentWhileTheCameraIsOffline() throws Exception {
        assertNull(StatusReporter.bridgeCounters(sessionWith(CameraControl.OFFLINE)));
    }

    /** A session that never runs (no control thread, nothing to publish to), with {@code control} attached. */
    private static StreamSession sessionWith(CameraControl control) throws Exception {
        AgentConfig config = ConfigLoader.parse("{\"gateway_id\": \"gw-x\", \"mqtt\": {\"broker_url\":"
                + " \"tcp://127.0.0.1:1\"}, \"cameras\": [{\"device_id\": \"CAM_X\", \"streams\": [{\"stream_name\":"
                + " \"main\", \"rtmp\": {\"urls\": [\"rtmp://127.0.0.1:1/live/key\"]}}]}]}");
        StreamSession s = new SessionRegistry(config, RtmpPublisherOptions.defaults(), null, null, deviceId -> null)
                .find("CAM_X", "main").orElseThrow();
        s.attachCamera(control);
        return s;
    }
}
