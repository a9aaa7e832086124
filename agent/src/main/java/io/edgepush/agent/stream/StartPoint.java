package io.edgepush.agent.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the next publish of a {@link StreamOutput} resumes in its {@link GopBuffer}, and how much pre-roll the first
 * publish of a motion start sent.
 * <ul>
 *   <li>A start ({@link #newTimeline()}) resumes at the latest buffered keyframe; with a pre-roll at the oldest
 *       buffered keyframe within the pre-roll before the newest frame, and for a motion
 *       ({@link #newTimelineForEvent}) before the motion ({@link GopBuffer#preRollStartDtsMs}).</li>
 *   <li>A publish that ended ({@link #detached()}) resumes at the GOP holding the first frame not yet sent.</li>
 *   <li>Until a publish takes them ({@link #nothingWaits()}), the GOP buffer keeps every GOP from there on
 *       ({@link GopBuffer#protectFrom}).</li>
 * </ul>
 * Decode times are the source's ({@link io.edgepush.protocol.media.AccessUnit#dtsMs()}).
 *
 * <p>Not thread-safe: the {@link StreamOutput} that owns it serialises access.
 */
final class StartPoint {
    /** The output's logger: the {@code event=pre_roll} line is the output's. */
    private static final Logger log = LoggerFactory.getLogger(StreamOutput.class);

    private final OutputSettings settings;
    private final GopBuffer gop;
    /**
     * Where the next publish resumes: the latest keyframe at a start, the first frame not yet sent after a publish
     * ended; {@link Long#MIN_VALUE} for everything buffered, {@link Long#MAX_VALUE} while nothing waits to be sent.
     */
    private long resumeFromDtsMs = Long.MAX_VALUE;
    private long lastWrittenDtsMs = Long.MIN_VALUE;
    /** The motion this timeline was started for, or {@link Long#MIN_VALUE}. */
    private long eventDtsMs = Long.MIN_VALUE;
    /** The timeline's first frame written, or {@link Long#MIN_VALUE} before it. */
    private long firstDtsMs = Long.MIN_VALUE;
    /** Whether the publish attached last began its timeline (its first frame is the timeline's). */
    private boolean attachedFirstOfTimeline;

    /** @param gop BORROWED: the output's buffer, whose GOPs this protects */
    StartPoint(OutputSettings settings, GopBuffer gop) {
        this.settings = settings;
        this.gop = gop;
    }

    /** A start without a motion: from the latest buffered keyframe, or the whole pre-roll before the newest frame. */
    void newTimeline() {
        restart(Long.MIN_VALUE);
        long newest = gop.newestDtsMs();
        resumeFrom(settings.preRollMs() > 0 && newest != Long.MIN_VALUE
                ? gop.preRollStartDtsMs(newest, settings.preRollMs()) : gop.latestKeyframeDtsMs());
    }

    /**
     * A start for a motion at {@code eventDtsMs}: from up to the pre-roll before it. An event time farther than the
     * GOP buffer's span from the newest frame (another clock) counts as the newest frame's.
     */
    void newTimelineForEvent(long eventDtsMs) {
        long newest = gop.newestDtsMs();
        long at = newest == Long.MIN_VALUE || Math.abs(eventDtsMs - newest) > settings.gopBufferMs() ? newest
                : eventDtsMs;
        restart(at);
        resumeFrom(at == Long.MIN_VALUE ? Long.MIN_VALUE : gop.preRollStartDtsMs(at, settings.preRollMs()));
    }

    private void restart(long eventDtsMs) {
        lastWrittenDtsMs = Long.MIN_VALUE;
        this.eventDtsMs = eventDtsMs;
        firstDtsMs = Long.MIN_VALUE;
    }

    /** A publish was attached; {@code firstOfTimeline}: nothing was written on this timeline before it. */
    void attached(boolean firstOfTimeline) {
        attachedFirstOfTimeline = firstOfTimeline;
    }

    /** Where a publish attached now starts: the GOP holding this decode time ({@link GopBuffer#forEachFrom}). */
    long dueFromDtsMs() {
        return resumeFromDtsMs == Long.MAX_VALUE ? gop.latestKeyframeDtsMs() : resumeFromDtsMs;
    }

    /** The frames due went out, or the stream ended: nothing waits to be sent, no GOP is protected. */
    void nothingWaits() {
        resumeFrom(Long.MAX_VALUE);
    }

    /** The publish ended: the next one resumes at the first frame not yet sent (everything buffered, before any). */
    void detached() {
        resumeFrom(lastWrittenDtsMs == Long.MIN_VALUE ? Long.MIN_VALUE : lastWrittenDtsMs + 1);
    }

    /**
     * The source restarted and the buffer was emptied: a start or a broken publish that waits takes all of the new
     * source's frames; the motion was on the old clock.
     */
    void sourceRestarted() {
        lastWrittenDtsMs = Long.MIN_VALUE;
        eventDtsMs = Long.MIN_VALUE;
        if (resumeFromDtsMs != Long.MAX_VALUE) {
            resumeFrom(Long.MIN_VALUE);
        }
    }

    /** The frame at {@code dtsMs} was written; the timeline's first one logs the pre-roll of a motion start. */
    void written(long dtsMs) {
        if (firstDtsMs == Long.MIN_VALUE) {
            firstDtsMs = dtsMs;
            if (eventDtsMs != Long.MIN_VALUE) {
                log.info("event=pre_roll device_id={} stream_name={} motion_dts_ms={} first_dts_ms={} pre_roll_ms={}",
                        settings.deviceId(), settings.streamName(), eventDtsMs, firstDtsMs,
                        Math.max(0, eventDtsMs - firstDtsMs));
            }
        }
        lastWrittenDtsMs = dtsMs;
    }

    /** {@link StreamOutput#preRollSentMs()}: motion minus the first frame written (at least 0), or -1. */
    long preRollSentMs() {
        if (!attachedFirstOfTimeline || eventDtsMs == Long.MIN_VALUE || firstDtsMs == Long.MIN_VALUE) {
            return -1;
        }
        return Math.max(0, eventDtsMs - firstDtsMs);
    }

    private void resumeFrom(long dtsMs) {
        resumeFromDtsMs = dtsMs;
        gop.protectFrom(dtsMs);
    }
}
