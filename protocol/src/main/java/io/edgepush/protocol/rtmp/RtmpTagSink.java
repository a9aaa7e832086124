package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.netty.buffer.ByteBuf;
import java.util.function.LongConsumer;

/**
 * The end of the media path: FLV tags from a muxer (and a silent audio track) go straight to the
 * {@link RtmpPublisher} in use as RTMP messages (script data -> type 18 on chunk stream 4, audio -> type 8,
 * video -> type 9; Adobe RTMP spec 7.1). The owner of the stream switches publishers with {@link #use}; a tag
 * written while none is in use is released and counted as discarded.
 *
 * <p>It also measures the uplink: for every tag it notes the publisher's running byte count after the tag and the
 * tag's timestamp. A tag counts as arrived once the connection has handed it to the kernel ({@link
 * RtmpPublisher#bytesSent()} minus {@link RtmpPublisher#pendingWriteBytes()}) and, with a server that acknowledges
 * ({@link RtmpPublisher#bytesAcknowledged()}, Adobe RTMP spec 5.4.3), it lies within two acknowledgement windows
 * (or two of the server's measured strides between acknowledgements, if more) of the bytes acknowledged: the server
 * acknowledges once per window, so up to that much may have arrived unannounced.
 * {@link #backlogMs()} is the newest tag's timestamp minus that of the last tag counted as arrived: media time
 * queued between this sink and the server, in our write queue and socket buffers exactly, and beyond them (a
 * congested modem, a full router queue) less at most the slack. {@link #bytesDelivered()} counts the bytes so
 * counted, for delivery-rate measurement. Steady state allocates nothing (a ring of primitives that grows only when
 * the backlog outgrows it).
 *
 * <p>Thread safety: {@link #onTag} and {@link #use} must not run at the same time (the owner serialises them,
 * e.g. under one lock); the readings ({@link #backlogMs()}, {@link #backlogBytes()}, {@link #bytesWritten()},
 * {@link #bytesDelivered()}) may come from any thread.
 */
public final class RtmpTagSink implements FlvVideoMuxer.TagSink {
    /**
     * Bytes past the last acknowledgement that may have arrived unannounced: two acknowledgement windows (the
     * server acknowledges after a whole window, and only between its reads), or twice the server's measured
     * stride between acknowledgements when that is more.
     */
    static final long ACK_SLACK_BYTES = 2L * RtmpPublisher.WINDOW_ACK_SIZE;
    private static final int INITIAL_RING = 256;

    private volatile RtmpPublisher publisher;
    /** When the frame of the next video tag entered the gateway ({@link System#nanoTime()}), 0: unknown. */
    private long frameReceivedNanos;
    /** Gets each video tag's added latency once written, or null. */
    private LongConsumer videoWritten;
    private long[] endBytes = new long[INITIAL_RING];
    private int[] timestamps = new int[INITIAL_RING];
    private int head;
    private int size;
    private int newestTimestampMs;
    private int flushedTimestampMs;
    private boolean anyFlushed;
    private volatile long bytesWritten;
    private volatile long tagsDiscarded;
    /** Bytes delivered on publishers used before the current one. */
    private long deliveredBefore;
    /** The most {@link #bytesDelivered()} has said: it never goes back (a write in flight may dip the estimate). */
    private long deliveredMax;

    /**
     * Sends the following tags to {@code next} (null: none); the backlog count starts over for it.
     *
     * @param next a publisher that has seen NetStream.Publish.Start, or null
     */
    public synchronized void use(RtmpPublisher next) {
        RtmpPublisher previous = publisher;
        if (previous != null) {
            deliveredBefore = Math.max(deliveredMax, deliveredBefore + delivered(previous));
        }
        publisher = next;
        head = 0;
        size = 0;
        anyFlushed = false;
    }

    /**
     * Measures added latency: each video tag after this goes out with the time its frame entered the gateway (set
     * by {@link #frameReceivedAt} before the frame's tags are written), and {@code written} gets the nanoseconds from
     * then to its last byte handed to the socket ({@link RtmpPublisher#sendVideo(int, ByteBuf, long, LongConsumer)}).
     *
     * @param written called on the connection's event loop; null stops measuring
     */
    public void measureAddedLatency(LongConsumer written) {
        this.videoWritten = written;
    }

    /** The frame whose tags come next entered the gateway at {@code nanos} ({@link System#nanoTime()}; 0: unknown). */
    public void frameReceivedAt(long nanos) {
        this.frameReceivedNanos = nanos;
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
            LongConsumer written = videoWritten;
            if (written != null && frameReceivedNanos != 0) {
                p.sendVideo(timestampMs, body, frameReceivedNanos, written);
            } else {
                p.sendVideo(timestampMs, body);
            }
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
        for (int i = 0; i < size; i++) {
            int from = (head + i) % endBytes.length;
            bytes[i] = endBytes[from];
            times[i] = timestamps[from];
        }
        endBytes = bytes;
        timestamps = times;
        head = 0;
    }

    /**
     * Bytes counted as arrived on {@code p}: handed to the kernel and, with a server that acknowledges, within
     * {@link #ACK_SLACK_BYTES} of the bytes it acknowledged.
     */
    private static long delivered(RtmpPublisher p) {
        long handed = p.bytesSent() - p.pendingWriteBytes();
        long acked = p.bytesAcknowledged();
        return acked < 0 ? handed : Math.min(handed, acked + Math.max(ACK_SLACK_BYTES, 2 * p.ackStrideBytes()));
    }

    /** Forgets the tags counted as arrived. */
    private void prune() {
        RtmpPublisher p = publisher;
        if (p == null) {
            return;
        }
        long arrived = delivered(p);
        while (size > 0 && endBytes[head] <= arrived) {
            flushedTimestampMs = timestamps[head];
            anyFlushed = true;
            head = (head + 1) % endBytes.length;
            size--;
        }
    }

    /**
     * Media time on its way to the server, in milliseconds: the newest tag's timestamp minus the timestamp of the
     * last tag counted as arrived (see the class comment). 0 when nothing is on its way or no publisher is in use.
     */
    public synchronized long backlogMs() {
        prune();
        if (size == 0 || publisher == null) {
            return 0;
        }
        return Math.max(0, newestTimestampMs - flushedTimestampMs);
    }

    /**
     * RTMP bytes sent and not counted as arrived (see the class comment). 0 when no publisher is in use.
     */
    public long backlogBytes() {
        RtmpPublisher p = publisher;
        return p == null ? 0 : Math.max(0, p.bytesSent() - delivered(p));
    }

    /**
     * RTMP bytes counted as arrived (see the class comment), summed over every publisher used so far: sampled
     * twice, the difference over the time between is the delivery rate.
     */
    public synchronized long bytesDelivered() {
        RtmpPublisher p = publisher;
        deliveredMax = Math.max(deliveredMax, deliveredBefore + (p == null ? 0 : delivered(p)));
        return deliveredMax;
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
