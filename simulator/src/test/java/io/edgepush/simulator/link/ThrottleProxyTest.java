package io.edgepush.simulator.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.simulator.link.TcpPeers.Client;
import io.edgepush.simulator.link.TcpPeers.Mode;
import io.edgepush.simulator.link.TcpPeers.Server;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThrottleProxyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final long FAST_BPS = 50_000_000;

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ThrottleProxy proxy(Server server, long rateBps) throws IOException {
        return ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", server.port(), rateBps));
    }

    @Test
    void twoMegabytesArriveCompleteAndInOrderBothWays() throws Exception {
        byte[] payload = randomBytes(2 * 1024 * 1024, 1);
        try (Server echo = new Server(Mode.ECHO);
             ThrottleProxy proxy = ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", echo.port(),
                     FAST_BPS).withDelayMs(5));
             Client client = new Client(proxy.port(), 0)) {
            client.send(payload, false);
            Await.until(() -> echo.receivedBytes() == payload.length, DEADLINE,
                    () -> "2 MB at the server, got " + echo.receivedBytes());
            assertArrayEquals(payload, echo.received(), "upstream bytes complete and in order");
            Await.until(() -> client.receivedBytes() == payload.length, DEADLINE,
                    () -> "2 MB echoed back to the client, got " + client.receivedBytes());
            assertArrayEquals(payload, client.received(), "downstream bytes complete and in order");
            Await.until(() -> proxy.bytesDelivered() == payload.length, DEADLINE, "the delivered counter");
            assertEquals(payload.length, proxy.bytesReceived());
            assertEquals(0, proxy.queuedBytes());
            assertEquals(0, proxy.inFlightBytes());
            assertEquals(1, proxy.openConnections());
        }
    }

    @Test
    void atRateZeroNothingArrivesUntilTheRateIsRaised() throws Exception {
        byte[] payload = randomBytes(40 * 1024, 2);
        try (Server sink = new Server(Mode.SINK);
             ThrottleProxy proxy = proxy(sink, 0);
             Client client = new Client(proxy.port(), 0)) {
            Await.until(() -> sink.accepted() == 1, DEADLINE, "the proxy's connection to the server");
            client.send(payload, false);
            Await.until(() -> proxy.bytesReceived() == payload.length, DEADLINE,
                    () -> "all 40 KiB read into the bottleneck queue, got " + proxy.bytesReceived());
            assertEquals(payload.length, proxy.queuedBytes(), "everything waits in the queue");
            assertEquals(0, proxy.bytesDelivered());
            assertEquals(0, sink.receivedBytes(), "nothing reached the server at rate 0");

            proxy.setRateBps(FAST_BPS);
            assertEquals(FAST_BPS, proxy.rateBps());
            Await.until(() -> sink.receivedBytes() == payload.length, DEADLINE,
                    () -> "40 KiB at the server after the rate was raised, got " + sink.receivedBytes());
            assertArrayEquals(payload, sink.received());
            Await.until(() -> proxy.queuedBytes() == 0, DEADLINE, "an empty queue");
        }
    }

    @Test
    void aFullQueueStopsReadingFromTheClientSoItsWritesBackUp() throws Exception {
        byte[] payload = randomBytes(4 * 1024 * 1024, 3);
        int queueBytes = 64 * 1024;
        try (Server sink = new Server(Mode.SINK);
             ThrottleProxy proxy = ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", sink.port(), 0)
                     .withQueueBytes(queueBytes));
             Client client = new Client(proxy.port(), 32 * 1024)) {
            client.send(payload, false);
            Await.until(() -> proxy.queuedBytes() >= queueBytes && !client.channel().isWritable()
                    && client.pendingOutboundBytes() > 0, DEADLINE,
                    () -> "a full queue and a client backed up: queued " + proxy.queuedBytes() + ", client writable "
                            + client.channel().isWritable() + ", pending " + client.pendingOutboundBytes());
            long received = proxy.bytesReceived();
            assertTrue(received <= queueBytes + ThrottleProxy.MAX_READ_BYTES,
                    "the proxy read at most one read past its queue size, read " + received);
            assertEquals(0, sink.receivedBytes());

            proxy.setRateBps(FAST_BPS);
            Await.until(() -> sink.receivedBytes() == payload.length, DEADLINE,
                    () -> "4 MiB at the server after the rate was raised, got " + sink.receivedBytes());
            assertArrayEquals(payload, sink.received());
            assertTrue(client.channel().isWritable());
        }
    }

    @Test
    void aTraceSetsTheRateStepByStepAndTheLastRateHolds() throws Exception {
        LinkTrace trace = LinkTrace.parse("0 0\n0.05 2000\n0.1 50000\n", "test trace");
        byte[] payload = randomBytes(100 * 1024, 4);
        try (Server sink = new Server(Mode.SINK);
             ThrottleProxy proxy = proxy(sink, 1_000_000);
             Client client = new Client(proxy.port(), 0)) {
            TraceRun run = proxy.runTrace(trace);
            assertEquals(0, proxy.rateBps(), "the step at 0 s applies at once");
            assertEquals(2_000_000, run.rateBpsAt(Duration.ofMillis(60)));
            Await.until(run::isDone, DEADLINE, "the trace's last step");
            assertEquals(FAST_BPS, proxy.rateBps());
            client.send(payload, false);
            Await.until(() -> sink.receivedBytes() == payload.length, DEADLINE, "100 KiB at the last step's rate");
            assertArrayEquals(payload, sink.received());
        }
    }

    @Test
    void aCancelledTraceAppliesNoMoreSteps() throws Exception {
        LinkTrace trace = LinkTrace.parse("0 300\n3600 900\n", "test trace");
        try (Server sink = new Server(Mode.SINK); ThrottleProxy proxy = proxy(sink, 1_000_000)) {
            TraceRun run = proxy.runTrace(trace);
            assertFalse(run.isDone());
            run.cancel();
            assertTrue(run.isDone());
            assertEquals(300_000, proxy.rateBps());
        }
    }

    @Test
    void aClientThatClosesHasItsBytesDeliveredThenTheServerSideIsClosed() throws Exception {
        byte[] payload = randomBytes(200 * 1024, 5);
        try (Server sink = new Server(Mode.SINK);
             ThrottleProxy proxy = proxy(sink, 0);
             Client client = new Client(proxy.port(), 0)) {
            Await.until(() -> sink.accepted() == 1, DEADLINE, "the proxy's connection to the server");
            client.send(payload, true);
            Await.until(() -> proxy.queuedBytes() > 0, DEADLINE, "bytes in the queue");
            proxy.setRateBps(FAST_BPS);
            Await.until(() -> sink.closed() == 1, DEADLINE, "the server side closed after the client left");
            assertArrayEquals(payload, sink.received(), "everything the client sent arrived before the close");
            Await.until(() -> proxy.openConnections() == 0, DEADLINE, "the connection to be finished");
        }
    }

    @Test
    void aServerThatClosesClosesTheClient() throws Exception {
        try (Server closer = new Server(Mode.CLOSE_ON_FIRST_BYTES);
             ThrottleProxy proxy = proxy(closer, FAST_BPS);
             Client client = new Client(proxy.port(), 0)) {
            client.send(new byte[] {1, 2, 3}, false);
            Await.until(() -> !client.channel().isActive(), DEADLINE, "the client connection closed by the proxy");
            Await.until(() -> proxy.openConnections() == 0, DEADLINE, "the connection to be finished");
        }
    }

    @Test
    void anUnreachableTargetClosesTheClient() throws Exception {
        int nobody = FreePorts.tcp();
        try (ThrottleProxy proxy = ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", nobody,
                FAST_BPS));
             Client client = new Client(proxy.port(), 0)) {
            Await.until(() -> !client.channel().isActive(), DEADLINE, "the client connection closed by the proxy");
            assertEquals(0, proxy.bytesReceived());
        }
    }

    @Test
    void closingTheProxyWithBytesQueuedAndInsideTheDelayReleasesThem() throws Exception {
        byte[] payload = randomBytes(50 * 1024, 6);
        try (Server sink = new Server(Mode.SINK);
             ThrottleProxy proxy = ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", sink.port(), 0)
                     .withDelayMs(60_000));
             Client client = new Client(proxy.port(), 0)) {
            client.send(payload, false);
            Await.until(() -> proxy.bytesReceived() == payload.length, DEADLINE, "bytes in the queue");
            proxy.setRateBps(8_000_000); // 1000 B/ms: some bytes leave, the rest stays queued for a while
            Await.until(() -> proxy.inFlightBytes() > 0, DEADLINE, "bytes inside the delay");
            proxy.close();
            Await.until(() -> !client.channel().isActive(), DEADLINE, "the client closed with the proxy");
            assertEquals(0, sink.receivedBytes());
        }
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ThrottleOptions.of("127.0.0.1", 0, "h", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ThrottleOptions.of("127.0.0.1", 0, "h", 1, -1));
        assertThrows(IllegalArgumentException.class,
                () -> ThrottleOptions.of("127.0.0.1", 0, "h", 1, 1).withDelayMs(-1));
        assertThrows(IllegalArgumentException.class,
                () -> ThrottleOptions.of("127.0.0.1", 0, "h", 1, 1).withQueueBytes(0));
        assertEquals(ThrottleOptions.DEFAULT_QUEUE_BYTES, ThrottleOptions.of("127.0.0.1", 0, "h", 1, 1).queueBytes());
    }
}
