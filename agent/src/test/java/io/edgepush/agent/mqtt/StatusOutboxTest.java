package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The status event queue against a scripted transport: bound, oldest dropped and counted, order, one flush. */
class StatusOutboxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Not connected / too many in flight: the outbox should try again later. */
    private static final class NotNow extends RuntimeException {
        NotNow() {
            super("not now");
        }
    }

    /** Records what is published; each publish stays unacknowledged until {@link #ackAll()}. */
    private static final class FakeTransport implements StatusOutbox.Transport {
        volatile boolean connected;
        volatile int refuseNextNow;
        volatile RuntimeException failNext;
        volatile int disconnectAfter = -1;
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> unacked = new CopyOnWriteArrayList<>();

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload) {
            if (!connected || refuseNextNow > 0) {
                refuseNextNow = Math.max(0, refuseNextNow - 1);
                return CompletableFuture.failedFuture(new NotNow());
            }
            if (failNext != null) {
                RuntimeException e = failNext;
                failNext = null;
                return CompletableFuture.failedFuture(e);
            }
            sent.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
            if (sent.size() == disconnectAfter) {
                connected = false;
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            unacked.add(f);
            return f;
        }

        @Override
        public boolean retryLater(Throwable error) {
            return error instanceof NotNow;
        }

        void ackAll() {
            List<CompletableFuture<Void>> now = new ArrayList<>(unacked);
            unacked.removeAll(now);
            now.forEach(f -> f.complete(null));
        }
    }

    private final FakeTransport transport = new FakeTransport();

    private StatusOutbox outbox(int capacity) {
        return new StatusOutbox(transport, capacity,
                (deviceId, n) -> ("dropped " + n).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String on(String device, String payload) {
        return "devices/" + device + "/stream/status " + payload;
    }

    @Test
    void eventsWaitWhileDisconnectedAndAreFlushedInOrderExactlyOnce() throws Exception {
        StatusOutbox o = outbox(10);
        CompletableFuture<Void> first = o.publish("A", bytes("e1"));
        o.publish("B", bytes("e2"));
        o.publish("A", bytes("e3"));
        assertEquals(List.of(), transport.sent);
        assertEquals(3, o.waiting());

        transport.connected = true;
        o.onConnected();
        assertEquals(List.of(on("A", "e1"), on("B", "e2"), on("A", "e3")), transport.sent);
        assertFalse(first.isDone(), "done only when acknowledged");
        transport.ackAll();
        first.get();
        o.onConnected();
        assertEquals(3, transport.sent.size(), "a second connect sends nothing again");
        assertEquals(0, o.waiting());
        assertEquals(0, o.droppedTotal());
    }

    @Test
    void fullQueueDropsTheOldestCountsPerDeviceAndReportsAfterTheFlush() {
        StatusOutbox o = outbox(3);
        CompletableFuture<Void> a1 = o.publish("A", bytes("a1"));
        CompletableFuture<Void> b1 = o.publish("B", bytes("b1"));
        o.publish("A", bytes("a2"));
        CompletableFuture<Void> a3 = o.publish("A", bytes("a3"));
        o.publish("B", bytes("b2"));
        o.publish("A", bytes("a4"));
        assertEquals(3, o.waiting());
        assertEquals(3, o.droppedTotal());
        assertInstanceOf(StatusOutbox.DroppedException.class,
                assertThrows(ExecutionException.class, a1::get).getCause());
        assertTrue(b1.isCompletedExceptionally());
        assertFalse(a3.isDone());

        transport.connected = true;
        o.onConnected();
        assertEquals(List.of(on("A", "a3"), on("B", "b2"), on("A", "a4"), on("A", "dropped 2"), on("B", "dropped 1")),
                transport.sent);
        transport.ackAll();
        o.publish("A", bytes("a5"));
        assertEquals(on("A", "a5"), transport.sent.get(5), "the tally was reset: no second notice");
        assertEquals(6, transport.sent.size());
    }

    @Test
    void atMostEightInFlightAndEachAcknowledgementLetsTheNextGo() {
        StatusOutbox o = outbox(100);
        transport.connected = true;
        for (int i = 0; i < 12; i++) {
            o.publish("A", bytes("e" + i));
        }
        assertEquals(StatusOutbox.MAX_IN_FLIGHT, transport.sent.size());
        transport.unacked.get(0).complete(null);
        assertEquals(StatusOutbox.MAX_IN_FLIGHT + 1, transport.sent.size());
        transport.ackAll();
        transport.ackAll();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add(on("A", "e" + i));
        }
        assertEquals(expected, transport.sent);
    }

    @Test
    void anEventTheClientCannotTakeNowStaysFirstAndIsRetried() {
        StatusOutbox o = outbox(10);
        transport.connected = true;
        transport.refuseNextNow = 1;
        o.publish("A", bytes("e1"));
        assertEquals(List.of(), transport.sent);
        assertEquals(1, o.waiting());
        Await.until(() -> transport.sent.size() == 1, WAIT, "the retry after " + StatusOutbox.RETRY_DELAY_MS + " ms");
        // The retry thread may still be inside its send loop; then it, not this thread, sends e2 on its next round.
        o.publish("A", bytes("e2"));
        Await.until(() -> transport.sent.size() == 2, WAIT, "e2 sent by whichever thread drives the queue");
        assertEquals(List.of(on("A", "e1"), on("A", "e2")), transport.sent);
    }

    @Test
    void connectionLostDuringTheFlushKeepsTheRestInOrder() {
        StatusOutbox o = outbox(10);
        for (int i = 1; i <= 5; i++) {
            o.publish("A", bytes("e" + i));
        }
        transport.connected = true;
        transport.disconnectAfter = 2;
        o.onConnected();
        assertEquals(List.of(on("A", "e1"), on("A", "e2")), transport.sent);
        assertEquals(3, o.waiting());
        o.publish("A", bytes("e6"));
        transport.connected = true;
        o.onConnected();
        assertEquals(List.of(on("A", "e1"), on("A", "e2"), on("A", "e3"), on("A", "e4"), on("A", "e5"),
                on("A", "e6")), transport.sent);
    }

    @Test
    void aRefusedPublishFailsOnlyThatEvent() throws Exception {
        StatusOutbox o = outbox(10);
        transport.connected = true;
        IllegalArgumentException refused = new IllegalArgumentException("bad topic");
        transport.failNext = refused;
        CompletableFuture<Void> bad = o.publish("A", bytes("e1"));
        CompletableFuture<Void> good = o.publish("A", bytes("e2"));
        assertSame(refused, assertThrows(ExecutionException.class, bad::get).getCause());
        assertEquals(List.of(on("A", "e2")), transport.sent);
        transport.ackAll();
        good.get();
        assertEquals(0, o.droppedTotal());
    }

    @Test
    void aDroppedNoticeGivesItsCountBack() {
        StatusOutbox o = outbox(2);
        o.publish("A", bytes("a1"));
        o.publish("A", bytes("a2"));
        o.publish("A", bytes("a3"));
        transport.connected = true;
        transport.disconnectAfter = 2;
        o.onConnected();
        assertEquals(List.of(on("A", "a2"), on("A", "a3")), transport.sent);
        assertEquals(1, o.waiting(), "the notice waits");
        o.publish("B", bytes("b1"));
        o.publish("B", bytes("b2"));
        transport.connected = true;
        o.onConnected();
        assertEquals(List.of(on("A", "a2"), on("A", "a3"), on("B", "b1"), on("B", "b2"), on("A", "dropped 1")),
                transport.sent, "the lost notice is not counted as an event of A; its count of 1 is reported again");
    }

    @Test
    void capacityMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> outbox(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
