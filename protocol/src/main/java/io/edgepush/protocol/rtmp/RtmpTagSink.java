package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.netty.buffer.ByteBuf;

/**
 * The end of the media path: FLV tags from a muxer (and a silent audio track) go straight to the
 * {@link RtmpPublisher} in use as RTMP messages (script data -> type 18 on chunk stream 4, audio -> type 8,
 * video -> type 9; Adobe RTMP spec 7.1). The owner of the stream switches publishers with {@link #use}; a tag
 * written while none is in use is released and counted as discarded.
 *
 * <p>It also measures the uplink: for every tag it notes the publisher's running byte count after the tag, the
 * tag's timestamp and when it was sent. The bytes the server has acknowledged ({@link
 * RtmpPublisher#bytesAcknowledged()}, Adobe RTMP spec 5.4.3) tell which tags have arrived; for a server that does
 * not acknowledge finely enough, the bytes handed to the kernel ({@link RtmpPublisher#bytesSent()} minus {@link
 * RtmpPublisher#pendingWriteBytes()}) stand in. {@link #backlogMs()} is the newest tag's timestamp minus that of the
 * last tag known to have arrived: media time queued anywhere between this sink and the server (our write queue,
 * socket buffers, a congested modem). {@link #ackDelayMs()} is how long the last acknowledged tag took from being
 * sent to being acknowledged (queueing delay plus round trip), and {@link #bytesDelivered()} counts the bytes known
 * to have arrived, for delivery-rate measurement. Steady state allocates nothing (a ring of primitives that grows
 * only when the backlog outgrows it).
 *
 * <p>Thread safety: {@link #onTag} and {@link #use} must not run at the same time (the owner serialises them,
 * e.g. under one lock); the readings ({@link #backlogMs()}, {@link #backlogBytes()}, {@link #bytesWritten()},
 * {@link #bytesDelivered()}, {@link #ackDelayMs()}) may come from any thread.
 */
public final class RtmpTagSink implements FlvVideoMuxer.TagSink {
    private static final int INITIAL_RING = 256;

    private volatile RtmpPublisher publisher;
    private long[] endBytes = new long[INITIAL_RING];
    private int[] timestamps = new int[INITIAL_RING];
    private long[] sentNanos = new long[INITIAL_RING];
    private int head;
    private int size;
    private int newestTimestampMs;
    private int flushedTimestampMs;
    private boolean anyFlushed;
    private volatile long bytesWritten;
    private volatile long tagsDiscarded;
    /** Bytes delivered on publishers used before the current one. */
    private long deliveredBefore;
    private volatile long ackDelayMs = -1;

    /**
     * Sends the following tags to {@code next} (null: none); the backlog count starts over for it.
     *
     * @param next a publisher that has seen NetStream.Publish.Start, or null
     */
    public synchronized void use(RtmpPublisher next) {
        RtmpPublisher previous = publisher;
        if (previous != null) {
            deliveredBefore += delivered(previous);
        }
        publisher = next;
        ackDelayMs = -1;
        head = 0;
        size = 0;
        anyFlushed = false;
    }

    /** The publisher tags go to, or null. */
    public RtmpPublisher publisher() {
        return publisher;
    }

    /**
     * Sends one tag. TAKES OWNERSHIP of {@code body}; released at once when no publisher is in use.
     *
     * @param tagType {@link FlvTagType#VIDEO}, {@link FlvTagType#AUDIO} or {@link FlvTagType#SCRIPT_DATA}
     * @param timestampMs decode timestamp, milliseconds (unsigned 32 bit on the wire, wraps)
     */
    @Override
    public void onTag(int tagType, int timestampMs, ByteBuf body) {
        RtmpPublisher p = publisher;
        if (p == null) {
            body.release();
            tagsDiscarded++;
            return;
        }
        bytesWritten += body.readableBytes();
        if (tagType == FlvTagType.SCRIPT_DATA) {
            p.sendMetaData(body);
        } else if (tagType == FlvTagType.AUDIO) {
            p.sendAudio(timestampMs, body);
        } else {
            p.sendVideo(timestampMs, body);
        }
        if (tagType != FlvTagType.SCRIPT_DATA) {
            noteQueued(p.bytesSent(), timestampMs);
        }
    }

    private synchronized void noteQueued(long endByte, int timestampMs) {
        if (size == endBytes.length) {
            grow();
        }
        int slot = (head + size) % endBytes.length;
        endBytes[slot] = endByte;
        timestamps[slot] = timestampMs;
        sentNanos[slot] = System.nanoTime();
        size++;
        newestTimestampMs = timestampMs;
        if (!anyFlushed && size == 1) {
            flushedTimestampMs = timestampMs;
        }
        prune();
    }

    private void grow() {
        long[] bytes = new long[endBytes.length * 2];
        int[] times = new int[timestamps.length * 2];
        long[] sent = new long[sentNanos.length * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % endBytes.length;
            bytes[i] = endBytes[from];
            times[i] = timestamps[from];
            sent[i] = sentNanos[from];
        }
        endBytes = bytes;
        timestamps = times;
        sentNanos = sent;
        head = 0;
    }

    /** Bytes known to have arrived on {@code p}: acknowledged by the server, else handed to the kernel. */
    private static long delivered(RtmpPublisher p) {
        long acked = p.bytesAcknowledged();
        return acked >= 0 ? acked : p.bytesSent() - p.pendingWriteBytes();
    }

    /** Forgets the tags known to have arrived; notes the acknowledgement delay of the last one. */
    private void prune() {
        RtmpPublisher p = publisher;
        if (p == null) {
            return;
        }
        boolean acknowledged = p.bytesAcknowledged() >= 0;
        long arrived = delivered(p);
        long lastSentNanos = Long.MIN_VALUE;
        while (size > 0 && endBytes[head] <= arrived) {
            flushedTimestampMs = timestamps[head];
            lastSentNanos = sentNanos[head];
            anyFlushed = true;
            head = (head + 1) % endBytes.length;
            size--;
        }
        if (acknowledged && lastSentNanos != Long.MIN_VALUE) {
            ackDelayMs = Math.max(0, (p.lastAcknowledgementNanos() - lastSentNanos) / 1_000_000);
        }
    }

    /**
     * Media time on its way to the server, in milliseconds: the newest tag's timestamp minus the timestamp of the
     * last tag known to have arrived (acknowledged by the server; with a server that does not acknowledge finely,
     * handed to the kernel). 0 when nothing is on its way or no publisher is in use.
     */
    public synchronized long backlogMs() {
        prune();
        if (size == 0 || publisher == null) {
            return 0;
        }
        return Math.max(0, newestTimestampMs - flushedTimestampMs);
    }

    /**
     * RTMP bytes sent and not known to have arrived (not acknowledged by the server; with a server that does not
     * acknowledge finely, not handed to the kernel). 0 when no publisher is in use.
     */
    public long backlogBytes() {
        RtmpPublisher p = publisher;
        return p == null ? 0 : Math.max(0, p.bytesSent() - delivered(p));
    }

    /**
     * RTMP bytes known to have arrived (acknowledged by the server, else handed to the kernel), summed over every
     * publisher used so far: sampled twice, the difference over the time between is the delivery rate.
     */
    public synchronized long bytesDelivered() {
        RtmpPublisher p = publisher;
        return deliveredBefore + (p == null ? 0 : delivered(p));
    }

    /**
     * How long the last tag known to have arrived took from being sent to being acknowledged, milliseconds: the
     * round trip plus the time it queued on the way. -1 until the current publisher's server has acknowledged a
     * tag (and always with a server that does not acknowledge finely).
     */
    public long ackDelayMs() {
        return ackDelayMs;
    }

    /** Tag body bytes given to publishers so far (FLV payload, without RTMP chunk headers). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Tags released because no publisher was in use. */
    public long tagsDiscarded() {
        return tagsDiscarded;
    }
}
