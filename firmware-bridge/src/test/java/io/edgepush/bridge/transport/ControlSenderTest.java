package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.ControlSender;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 4 item 4: CONTROL retried with the same id while the ACK is missing, then reported. */
class ControlSenderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(150);
    private final RecordingListener listener = new RecordingListener();
    private final List<Control> seen = new CopyOnWriteArrayList<>();
    private TcpCameraServer server;
    private TcpCameraClient camera;
    private CameraLink link;

    @BeforeEach
    void start() throws Exception {
        server = new TcpCameraServer("127.0.0.1", 0);
        server.start(listener);
        camera = TcpCameraClient.connect("127.0.0.1", server.boundPort());
        camera.sendHello(new Hello("CAM_CTL", "1", "h264", 0x3F, 640, 480, 25, 500_000));
        Await.until(() -> listener.connected.containsKey("CAM_CTL"), WAIT, "HELLO");
        link = listener.connected.get("CAM_CTL");
    }

    @AfterEach
    void stop() {
        camera.close();
        server.close();
    }

    /** The camera drops the ACK of the first {@code dropped} sends, then answers {@code status}. */
    private void dropFirstAcks(int dropped, int status) {
        AtomicInteger calls = new AtomicInteger();
        camera.onControl(c -> {
            seen.add(c);
            return calls.incrementAndGet() <= dropped ? TcpCameraClient.NO_ACK : status;
        });
    }

    @Test
    void lostFirstAckIsRetriedWithTheSameControlId() throws Exception {
        dropFirstAcks(1, Ack.OK);
        ControlSender.Outcome o = new ControlSender(link, 3, ACK_TIMEOUT)
                .send(new Control(77, ControlOp.SET_BITRATE, 800_000, 0)).get(10, TimeUnit.SECONDS);
        assertTrue(o.ok());
        assertEquals(2, o.attempts());
        assertEquals(new Ack(77, Ack.OK, 0), o.ack());
        assertEquals(List.of(new Control(77, ControlOp.SET_BITRATE, 800_000, 0),
                new Control(77, ControlOp.SET_BITRATE, 800_000, 0)), seen, "same control twice");
    }

    @Test
    void twoLostAcksStillSucceedOnTheThirdAttempt() throws Exception {
        dropFirstAcks(2, Ack.OK);
        ControlSender.Outcome o = new ControlSender(link, 3, ACK_TIMEOUT).send(ControlOp.FORCE_IDR, 0, 0)
                .get(10, TimeUnit.SECONDS);
        assertTrue(o.ok());
        assertEquals(3, o.attempts());
        assertEquals(3, seen.size());
    }

    @Test
    void neverAcknowledgedGivesUpAfterMaxAttemptsWithTheTimeout() throws Exception {
        dropFirstAcks(Integer.MAX_VALUE, Ack.OK);
        ControlSender.Outcome o = new ControlSender(link, 3, ACK_TIMEOUT).send(ControlOp.SET_FPS, 15, 0)
                .get(10, TimeUnit.SECONDS);
        assertTrue(o.unacknowledged());
        assertFalse(o.ok());
        assertNull(o.ack());
        assertEquals(3, o.attempts());
        assertInstanceOf(TimeoutException.class, o.failure());
        assertEquals(3, seen.size());
        assertEquals(1, seen.stream().map(Control::controlId).distinct().count());
    }

    @Test
    void anAckWithAnErrorStatusIsAnAnswerAndIsNotRetried() throws Exception {
        dropFirstAcks(0, Ack.INVALID_VALUE);
        ControlSender.Outcome o = new ControlSender(link, 3, ACK_TIMEOUT).send(ControlOp.SET_FPS, 999, 0)
                .get(10, TimeUnit.SECONDS);
        assertFalse(o.ok());
        assertFalse(o.unacknowledged());
        assertEquals(Ack.INVALID_VALUE, o.ack().status());
        assertEquals(1, o.attempts());
    }

    @Test
    void closedLinkEndsTheAttemptsAtOnce() throws Exception {
        link.close();
        Await.until(() -> listener.disconnected.containsKey("CAM_CTL"), WAIT, "disconnect");
        ControlSender.Outcome o = new ControlSender(link, 3, ACK_TIMEOUT).send(ControlOp.STOP_ENCODER, 0, 0)
                .get(10, TimeUnit.SECONDS);
        assertEquals(1, o.attempts());
        assertInstanceOf(IOException.class, o.failure());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ControlSender(link, 0, ACK_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ControlSender(link, 1, Duration.ZERO));
    }
}
