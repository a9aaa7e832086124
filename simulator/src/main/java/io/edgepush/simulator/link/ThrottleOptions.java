package io.edgepush.simulator.link;

import java.util.Objects;

/**
 * Settings of a {@link ThrottleProxy}.
 *
 * @param listenHost address to listen on, e.g. "127.0.0.1"
 * @param listenPort TCP port to listen on, 0..65535; 0 = an ephemeral port (see {@link ThrottleProxy#port()})
 * @param targetHost where each accepted connection is forwarded, e.g. the RTMP server's host
 * @param targetPort the target's TCP port, 1..65535
 * @param rateBps initial uplink rate in bits per second, 0..100 Gbit/s; 0 = paused (nothing is sent)
 * @param delayMs one-way delay in milliseconds, 0..600000, added in each direction
 * @param queueBytes size of the bottleneck queue ("router buffer") in bytes, at least 1: the proxy stops reading
 *     from its clients while this many bytes wait to be sent
 * @throws IllegalArgumentException if a value is out of range
 */
public record ThrottleOptions(String listenHost, int listenPort, String targetHost, int targetPort, long rateBps,
        long delayMs, int queueBytes) {
    /** Default bottleneck queue, 64 KiB. */
    public static final int DEFAULT_QUEUE_BYTES = 64 * 1024;
    /** Largest one-way delay, 10 minutes. */
    public static final long MAX_DELAY_MS = 600_000;

    public ThrottleOptions {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(targetHost, "targetHost");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort must be 0..65535, got " + listenPort);
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be 1..65535, got " + targetPort);
        }
        LinkShaper.checkRate(rateBps);
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be 0.." + MAX_DELAY_MS + ", got " + delayMs);
        }
        if (queueBytes < 1) {
            throw new IllegalArgumentException("queueBytes must be at least 1, got " + queueBytes);
        }
    }

    /** A proxy at {@code rateBps} with no delay and a {@link #DEFAULT_QUEUE_BYTES} queue. */
    public static ThrottleOptions of(String listenHost, int listenPort, String targetHost, int targetPort,
            long rateBps) {
        return new ThrottleOptions(listenHost, listenPort, targetHost, targetPort, rateBps, 0, DEFAULT_QUEUE_BYTES);
    }

    /** The same with another one-way delay (milliseconds). */
    public ThrottleOptions withDelayMs(long ms) {
        return new ThrottleOptions(listenHost, listenPort, targetHost, targetPort, rateBps, ms, queueBytes);
    }

    /** The same with another bottleneck queue size (bytes). */
    public ThrottleOptions withQueueBytes(int bytes) {
        return new ThrottleOptions(listenHost, listenPort, targetHost, targetPort, rateBps, delayMs, bytes);
    }

    /** The same with another initial rate (bits per second). */
    public ThrottleOptions withRateBps(long bps) {
        return new ThrottleOptions(listenHost, listenPort, targetHost, targetPort, bps, delayMs, queueBytes);
    }
}
