package io.edgepush.agent.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limit of {@code devices/{device_id}/stream/command} (issue 12 item 5), decided before a payload is parsed: per
 * device a {@link TokenBucket} of {@value #COMMANDS_PER_SEC} commands per second with a burst of
 * {@value #COMMAND_BURST}. A command over the limit is not carried out; it is answered with a {@code command_ack}
 * {@code ok:false, error:"rate_limited"} only while a second bucket allows ({@value #REJECT_ACKS_PER_SEC} per second,
 * burst {@value #REJECT_ACK_BURST}), so the answers cannot flood either. Every rejected command is counted; the
 * count goes out in one {@code event=commands_rate_limited} log line per device and {@value #SUMMARY_INTERVAL_MS} ms
 * at most (written with the next command after the interval). Devices without sessions share one pair of
 * buckets, so topics with made-up device ids add no state. Fixed constants, not configuration. Thread-safe.
 */
final class CommandAdmission {
    /** Commands carried out per device and second, sustained. */
    static final double COMMANDS_PER_SEC = 20;
    /** Commands carried out per device at once after a quiet spell. */
    static final int COMMAND_BURST = 50;
    /** {@code rate_limited} acks per device and second, sustained. */
    static final double REJECT_ACKS_PER_SEC = 1;
    /** {@code rate_limited} acks per device at once. */
    static final int REJECT_ACK_BURST = 5;
    /** Least time between two summary log lines of one device, milliseconds. */
    static final long SUMMARY_INTERVAL_MS = 1000;
    /** The key shared by devices the config does not know. */
    private static final String UNKNOWN = "(unknown)";

    private static final Logger log = LoggerFactory.getLogger(CommandAdmission.class);

    /** What to do with one command. */
    enum Verdict {
        /** Parse and carry it out. */
        ADMIT,
        /** Do not carry it out; answer {@code rate_limited} (its command_id, if it can be read). */
        REJECT_WITH_ACK,
        /** Do not carry it out and do not answer. */
        REJECT
    }

    private final class Device {
        final TokenBucket commands = new TokenBucket(COMMANDS_PER_SEC, COMMAND_BURST, nanoClock);
        final TokenBucket rejectAcks = new TokenBucket(REJECT_ACKS_PER_SEC, REJECT_ACK_BURST, nanoClock);
        long rejectedSinceSummary;
        long lastSummaryNanos = nanoClock.getAsLong();
    }

    private final Predicate<String> knownDevice;
    private final LongSupplier nanoClock;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param knownDevice true for the device ids that have sessions (each gets its own buckets)
     * @param nanoClock   monotonic time, nanoseconds
     */
    CommandAdmission(Predicate<String> knownDevice, LongSupplier nanoClock) {
        this.knownDevice = knownDevice;
        this.nanoClock = nanoClock;
    }

    /** Decides about one command that arrived for {@code deviceId}. */
    Verdict admit(String deviceId) {
        String key = knownDevice.test(deviceId) ? deviceId : UNKNOWN;
        Device d = devices.computeIfAbsent(key, k -> new Device());
        if (d.commands.tryTake()) {
            admitted.incrementAndGet();
            return Verdict.ADMIT;
        }
        rejected.incrementAndGet();
        synchronized (d) {
            d.rejectedSinceSummary++;
            long now = nanoClock.getAsLong();
            long sinceMs = (now - d.lastSummaryNanos) / 1_000_000;
            if (sinceMs >= SUMMARY_INTERVAL_MS) {
                log.warn("event=commands_rate_limited device_id={} rejected={} interval_ms={} limit_per_sec={} "
                        + "burst={}", key, d.rejectedSinceSummary, sinceMs, COMMANDS_PER_SEC, COMMAND_BURST);
                d.rejectedSinceSummary = 0;
                d.lastSummaryNanos = now;
            }
        }
        return d.rejectAcks.tryTake() ? Verdict.REJECT_WITH_ACK : Verdict.REJECT;
    }

    /** Commands admitted so far. */
    long admitted() {
        return admitted.get();
    }

    /** Commands rejected so far (answered or not). */
    long rejected() {
        return rejected.get();
    }
}
