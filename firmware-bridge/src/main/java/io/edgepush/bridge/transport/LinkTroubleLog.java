package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraLinkStats;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Rate-limited log of a link's input trouble (resync, CRC errors, oversize frames, malformed messages,
 * sequence gaps): the first trouble is logged at once, later trouble as at most one summary line per interval
 * (1 s by default) with the increments since the previous line, so 1 MiB of garbage yields a handful of lines,
 * never one per byte or frame. Each line: {@code event=bridge_input_errors device_id=... peer=... bytes_skipped=+N
 * crc_errors=+N oversize_frames=+N malformed_messages=+N video_before_hello=+N sequence_gaps=+N frames_lost=+N}
 * (only the counters that moved) plus {@code last_error="..."} when a malformed message was seen.
 * Called from the link's transport thread only.
 */
final class LinkTroubleLog {
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String[] NAMES = {"bytes_skipped", "crc_errors", "oversize_frames", "malformed_messages",
        "video_before_hello", "sequence_gaps", "frames_lost"};

    private final String peer;
    private final long intervalNanos;
    private final Consumer<String> out;
    private final long[] logged = new long[NAMES.length];
    private long lastLineNanos;
    private boolean anyLine;
    private String lastError;

    /**
     * @param peer          transport and address, e.g. "tcp:127.0.0.1:50412"
     * @param intervalNanos shortest time between two lines
     * @param out           receives each line (e.g. a logger's warn)
     */
    LinkTroubleLog(String peer, long intervalNanos, Consumer<String> out) {
        this.peer = peer;
        this.intervalNanos = intervalNanos;
        this.out = out;
    }

    /** Remembers the message of the latest malformed frame for the next line. */
    void malformed(String error) {
        lastError = error;
    }

    /** Logs the increments since the last line if any counter moved and the interval has passed (or none logged). */
    void update(String deviceId, CameraLinkStats now, long nowNanos) {
        if (anyLine && nowNanos - lastLineNanos < intervalNanos) {
            return;
        }
        flush(deviceId, now, nowNanos);
    }

    /** Logs the increments since the last line if any counter moved, whatever the time (link closing). */
    void flush(String deviceId, CameraLinkStats now, long nowNanos) {
        long[] current = {now.bytesSkipped(), now.crcErrors(), now.oversizeFrames(), now.malformedMessages(),
            now.videoBeforeHello(), now.sequenceGaps(), now.framesLost()};
        StringBuilder line = null;
        for (int i = 0; i < current.length; i++) {
            long delta = current[i] - logged[i];
            if (delta > 0) {
                if (line == null) {
                    line = new StringBuilder("event=bridge_input_errors device_id=").append(deviceId)
                            .append(" peer=").append(peer);
                }
                line.append(' ').append(NAMES[i]).append("=+").append(delta);
            }
            logged[i] = current[i];
        }
        if (line == null) {
            return;
        }
        if (lastError != null) {
            line.append(" last_error=\"").append(lastError).append('"');
            lastError = null;
        }
        anyLine = true;
        lastLineNanos = nowNanos;
        out.accept(line.toString());
    }
}
