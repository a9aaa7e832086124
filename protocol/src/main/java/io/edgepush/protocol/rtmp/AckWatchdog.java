package io.edgepush.protocol.rtmp;

import java.util.concurrent.TimeUnit;

/**
 * Half-open connection detection from the server's Acknowledgements (Adobe RTMP spec 5.4.3): the server reports
 * the bytes it has received each time another Window Acknowledgement Size worth (5.4.4, the window we announced,
 * which nginx-rtmp and FFmpeg acknowledge at) has arrived. When the kernel still takes our data but nothing
 * reaches the server (peer gone, NAT mapping lost), the acknowledgements stop while the unacknowledged bytes grow.
 *
 * <p>The connection counts as half-open when the server has acknowledged at least once (servers that never
 * acknowledge are left to the write stall timer), more than two windows are unacknowledged, and no new
 * acknowledgement has come for the timeout. Sequence numbers are unsigned 32 bit and wrap; comparisons use
 * the signed 32-bit difference. Not thread safe: used on the event loop only.
 */
final class AckWatchdog {
    private final long timeoutNanos;
    private boolean acknowledged;
    private long lastSequence;
    private long lastAckNanos;

    /** @param timeoutMs how long acknowledgements may stall with two windows outstanding (> 0) */
    AckWatchdog(int timeoutMs) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** An Acknowledgement with {@code sequence} (unsigned 32 bit) arrived at {@code nowNanos}. */
    void onAcknowledgement(long sequence, long nowNanos) {
        if (!acknowledged || sequence != lastSequence) {
            lastAckNanos = nowNanos;
        }
        acknowledged = true;
        lastSequence = sequence & 0xFFFFFFFFL;
    }

    /**
     * @param bytesDelivered bytes we handed to the socket so far (after the handshake)
     * @param windowBytes    the acknowledgement window we announced (0: none, no check)
     * @param nowNanos       System.nanoTime()
     * @return why the connection counts as half-open, or null while it does not
     */
    String check(long bytesDelivered, long windowBytes, long nowNanos) {
        if (!acknowledged || windowBytes <= 0) {
            return null;
        }
        long unacknowledged = (int) (bytesDelivered - lastSequence); // signed 32-bit distance, wraps with the counter
        if (unacknowledged <= 2 * windowBytes || nowNanos - lastAckNanos < timeoutNanos) {
            return null;
        }
        return "the server acknowledged nothing for " + TimeUnit.NANOSECONDS.toMillis(nowNanos - lastAckNanos)
                + " ms while " + unacknowledged + " bytes (over two " + windowBytes + "-byte windows) are unacknowledged";
    }
}
