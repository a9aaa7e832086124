package io.edgepush.agent.mqtt;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded, in-order queue between {@link StatusPublisher} and the broker for status events (issue 5 item 7):
 * every event goes through it, so events published while the broker is unreachable (before the first connect
 * too) wait here and go out in the order they were published once it is back.
 *
 * <ul>
 * <li>Capacity {@code capacity} events waiting; when full, the oldest waiting event is dropped and counted per
 *     device (its future fails with {@link DroppedException}).</li>
 * <li>At most {@value #MAX_IN_FLIGHT} events unacknowledged at a time (QoS 1 PUBACK, MQTT 5.0 4.3.2), below the
 *     broker's Receive Maximum (mosquitto's default is 20, MQTT 5.0 3.2.2.3.3); in-order delivery of QoS 1 messages
 *     on one topic is the broker's duty (MQTT 5.0 4.6).</li>
 * <li>An event the client does not take right now ({@link Transport#retryLater}: not connected, too many in flight)
 *     goes back to the head of the queue; sending resumes on {@link #onConnected()}, when an in-flight event is
 *     acknowledged, or after {@value #RETRY_DELAY_MS} ms when nothing of ours is in flight.</li>
 * <li>Whenever the queue has drained after drops, each affected device gets one event built by
 *     {@code dropNotice(deviceId, dropped)} (e.g. {@code status_events_dropped} {"dropped": n}) at the tail.
 *     If that notice is itself dropped, its count goes back to the device's tally.</li>
 * </ul>
 * A publish the client accepted is its job from then on: Paho keeps unacknowledged QoS 1 messages across a
 * reconnect (Clean Start 0) and sends them again, before anything this queue sends after the reconnect.
 * Thread-safe; never blocks; the transport's publish is called from whichever thread drives the queue.
 */
final class StatusOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(StatusOutbox.class);
    /** Default number of events that may wait. */
    public static final int DEFAULT_CAPACITY = 1000;
    static final int MAX_IN_FLIGHT = 8;
    static final long RETRY_DELAY_MS = 100;

    /** Where events go: in production {@link MqttLink} at QoS 1, not retained. */
    public interface Transport {
        /** Whether the connection is up now. */
        boolean isConnected();

        /** Publishes; the future completes when acknowledged, or fails (possibly at once). */
        CompletableFuture<Void> publish(String topic, byte[] payload);

        /** True if a publish that failed at once with {@code error} should be tried again later. */
        boolean retryLater(Throwable error);
    }

    /** The future of an event dropped because the queue was full. */
    public static final class DroppedException extends RuntimeException {
        DroppedException(String deviceId, int capacity) {
            super("status event for device_id=" + deviceId + " dropped: " + capacity + " events already waiting");
        }
    }

    private record Entry(String deviceId, String topic, byte[] payload, long noticeCount,
                         CompletableFuture<Void> done) {
    }

    private final Transport transport;
    private final int capacity;
    private final BiFunction<String, Long, byte[]> dropNotice;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final Map<String, Long> droppedByDevice = new LinkedHashMap<>();
    private final AtomicInteger pumpRequests = new AtomicInteger();
    private int inFlight;
    private long droppedTotal;

    /**
     * @param capacity   how many events may wait, at least 1
     * @param dropNotice builds the payload of the notice telling a device's listeners how many of its events were
     *                   dropped; published on {@link StatusPublisher#statusTopic(String)}
     * @throws IllegalArgumentException if capacity is below 1
     */
    public StatusOutbox(Transport transport, int capacity, BiFunction<String, Long, byte[]> dropNotice) {
        if (capacity < 1) {
            throw new IllegalArgumentException("status outbox capacity must be at least 1, got " + capacity);
        }
        this.transport = transport;
        this.capacity = capacity;
        this.dropNotice = dropNotice;
    }

    /**
     * Queues one event for {@code devices/{deviceId}/stream/status} and sends it as soon as it may.
     *
     * @param payload the UTF-8 JSON event; not copied, do not change it afterwards
     * @return completes when the broker acknowledged it; fails with {@link DroppedException} if dropped, or with
     *         the client's error if the publish was refused
     */
    public CompletableFuture<Void> publish(String deviceId, byte[] payload) {
        Entry e = new Entry(deviceId, StatusPublisher.statusTopic(deviceId), payload, 0, new CompletableFuture<>());
        synchronized (this) {
            add(e);
        }
        pump();
        return e.done();
    }

    /** Sends what waits; call after every (re)connect. */
    public void onConnected() {
        pump();
    }

    /** Events waiting now (not counting those in flight). */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Events dropped since this outbox was made (notices included). */
    public synchronized long droppedTotal() {
        return droppedTotal;
    }

    private void add(Entry e) {
        if (waiting.size() >= capacity) {
            Entry old = waiting.pollFirst();
            droppedTotal++;
            droppedByDevice.merge(old.deviceId(), old.noticeCount() > 0 ? old.noticeCount() : 1, Long::sum);
            if (droppedTotal == 1 || droppedTotal % 100 == 0) {
                LOG.warn("mqtt: status outbox full ({} waiting), dropped the oldest event of device_id={} "
                        + "({} dropped so far)", capacity, old.deviceId(), droppedTotal);
            }
            old.done().completeExceptionally(new DroppedException(old.deviceId(), capacity));
        }
        waiting.addLast(e);
    }

    /** Runs the send loop on this thread unless another thread runs it; then that one goes round once more. */
    private void pump() {
        if (pumpRequests.getAndIncrement() != 0) {
            return;
        }
        int requests = 1;
        do {
            sendWhatMay();
            requests = pumpRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    private void sendWhatMay() {
        while (transport.isConnected()) {
            Entry e;
            synchronized (this) {
                if (inFlight >= MAX_IN_FLIGHT || waiting.isEmpty()) {
                    return;
                }
                e = waiting.pollFirst();
                inFlight++;
                if (waiting.isEmpty()) {
                    addDropNotices();
                }
            }
            CompletableFuture<Void> sent = transport.publish(e.topic(), e.payload());
            Throwable refusedNow = sent.isCompletedExceptionally() ? sent.handle((v, err) -> err).join() : null;
            if (refusedNow != null && transport.retryLater(unwrap(refusedNow))) {
                boolean idle;
                synchronized (this) {
                    inFlight--;
                    waiting.addFirst(e);
                    idle = inFlight == 0;
                }
                if (idle) {
                    CompletableFuture.delayedExecutor(RETRY_DELAY_MS, TimeUnit.MILLISECONDS).execute(this::pump);
                }
                return;
            }
            sent.whenComplete((v, err) -> acknowledged(e, err));
        }
    }

    private void acknowledged(Entry e, Throwable err) {
        synchronized (this) {
            inFlight--;
        }
        if (err == null) {
            e.done().complete(null);
        } else {
            LOG.warn("mqtt: status event for device_id={} not delivered: {}", e.deviceId(), unwrap(err).toString());
            e.done().completeExceptionally(unwrap(err));
        }
        pump();
    }

    /** Appends one notice per device with drops, resetting the tally. Caller holds the lock. */
    private void addDropNotices() {
        if (droppedByDevice.isEmpty()) {
            return;
        }
        Map<String, Long> counts = new LinkedHashMap<>(droppedByDevice);
        droppedByDevice.clear();
        counts.forEach((deviceId, n) -> {
            LOG.warn("event=status_events_dropped device_id={} dropped={}", deviceId, n);
            add(new Entry(deviceId, StatusPublisher.statusTopic(deviceId), dropNotice.apply(deviceId, n), n,
                    new CompletableFuture<>()));
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
