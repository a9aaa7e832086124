package io.edgepush.agent.mqtt;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs {@link MqttLink}'s message handlers, with a bounded backlog: at most
 * {@value #MAX_QUEUED_MESSAGES} arrived messages and {@value #MAX_QUEUED_BYTES} payload bytes wait for it. A message
 * that does not fit is dropped (Paho's callback thread must not block, and a flood from the broker must not grow
 * the heap), counted in {@link #dropped()} and reported in one {@code event=mqtt_messages_dropped} log line per
 * second at most. Link tasks ({@link #execute}: connect handling) are few and never dropped. Thread-safe.
 */
final class DispatchQueue {
    /** Most arrived messages waiting for the dispatch thread. */
    static final int MAX_QUEUED_MESSAGES = 1000;
    /** Most payload bytes waiting for the dispatch thread. */
    static final long MAX_QUEUED_BYTES = 8L * 1024 * 1024;
    private static final long DROP_LOG_INTERVAL_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(DispatchQueue.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> PahoSupport.daemon(r, "mqtt-dispatch"));
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger highWater = new AtomicInteger();
    private long droppedSinceLog;
    private long lastLogNanos = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;

    /**
     * Queues the handling of an arrived message of {@code payloadBytes}, or drops it when the backlog is full.
     *
     * @return false when dropped
     */
    boolean offerMessage(String topic, int payloadBytes, Runnable handling) {
        int n = queuedMessages.incrementAndGet();
        long bytes = queuedBytes.addAndGet(payloadBytes);
        if (n > MAX_QUEUED_MESSAGES || bytes > MAX_QUEUED_BYTES) {
            release(payloadBytes);
            drop(topic, n - 1, bytes - payloadBytes);
            return false;
        }
        highWater.accumulateAndGet(n, Math::max);
        try {
            thread.execute(() -> {
                try {
                    handling.run();
                } finally {
                    release(payloadBytes);
                }
            });
        } catch (RejectedExecutionException e) {
            release(payloadBytes); // shut down: the link is closing
            return false;
        }
        return true;
    }

    /** Runs a link task on the dispatch thread, after the messages queued before it; ignored once shut down. */
    void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("mqtt: dispatch thread shut down, task dropped");
        }
    }

    /** Lets queued work finish and stops the thread. */
    void shutdown() {
        thread.shutdown();
    }

    /** Messages dropped so far because the backlog was full. */
    long dropped() {
        return dropped.get();
    }

    /** The most messages that have waited at once. */
    int highWater() {
        return highWater.get();
    }

    private void release(int payloadBytes) {
        queuedMessages.decrementAndGet();
        queuedBytes.addAndGet(-payloadBytes);
    }

    private void drop(String topic, int queued, long bytes) {
        dropped.incrementAndGet();
        synchronized (this) {
            droppedSinceLog++;
            long now = System.nanoTime();
            if (now - lastLogNanos >= DROP_LOG_INTERVAL_NANOS) {
                LOG.warn("event=mqtt_messages_dropped dropped={} queued_messages={} queued_bytes={} last_topic={}",
                        droppedSinceLog, queued, bytes, topic.length() > 128 ? topic.substring(0, 128) + "..." : topic);
                droppedSinceLog = 0;
                lastLogNanos = now;
            }
        }
    }
}
