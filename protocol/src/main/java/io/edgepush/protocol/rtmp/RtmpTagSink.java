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
 * <p>It also measures the backlog in media time: for every tag it notes the publisher's running byte count
 * after the tag and the tag's timestamp; the bytes the connection has handed to the kernel
 * ({@link RtmpPublisher#bytesSent()} minus {@link RtmpPublisher#pendingWriteBytes()}) tell which tags are
 * still queued. {@link #backlogMs()} is the newest tag's timestamp minus that of the last tag wholly handed
 * to the kernel. Steady state allocates nothing (a ring of primitives that grows only when the backlog
 * outgrows it).
 *
 * <p>Thread safety: {@link #onTag} and {@link #use} must not run at the same time (the owner serialises them,
 * e.g. under one lock); the readings ({@link #backlogMs()}, {@link #backlogBytes()}, {@link #bytesWritten()}) may
 * come from any thread.
 */
public final class RtmpTagSink implements FlvVideoMuxer.TagSink {
    private static final int INITIAL_RING = 256;

    private volatile RtmpPublisher publisher;
    private long[] endBytes = new long[INITIAL_RING];
    private int[] timestamps = new int[INITIAL_RING];
    private int head;
    private int size;
    private int newestTimestampMs;
    private int flushedTimestampMs;
    private boolean anyFlushed;
    private volatile long bytesWritten;
    private volatile long tagsDiscarded;

    /**
     * Sends the following tags to {@code next} (null: none); the backlog count starts over for it.
     *
     * @param next a publisher that has seen NetStream.Publish.Start, or null
     */
    public synchronized void use(RtmpPublisher next) {
        publisher = next;
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
            bytes[i] = endBytes[(head + i) % endBytes.length];
            times[i] = timestamps[(head + i) % timestamps.length];
        }
        endBytes = bytes;
        timestamps = times;
        head = 0;
    }

    /** Forgets the tags the connection has handed to the kernel. */
    private void prune() {
        RtmpPublisher p = publisher;
        if (p == null) {
            return;
        }
        long handedToKernel = p.bytesSent() - p.pendingWriteBytes();
        while (size > 0 && endBytes[head] <= handedToKernel) {
            flushedTimestampMs = timestamps[head];
            anyFlushed = true;
            head = (head + 1) % endBytes.length;
            size--;
        }
    }

    /**
     * Media time queued in the RTMP connection, in milliseconds: the newest tag's timestamp minus the timestamp
     * of the last tag the connection has wholly handed to the kernel (0 when nothing is queued or no publisher is
     * in use).
     */
    public synchronized long backlogMs() {
        prune();
        if (size == 0 || publisher == null) {
            return 0;
        }
        return Math.max(0, newestTimestampMs - flushedTimestampMs);
    }

    /** Bytes queued in the RTMP connection and not yet handed to the kernel (0 when no publisher is in use). */
    public long backlogBytes() {
        RtmpPublisher p = publisher;
        return p == null ? 0 : p.pendingWriteBytes();
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
