package io.edgepush.agent.stream;

/**
 * Fixed settings of one {@link StreamOutput}.
 *
 * @param deviceId       the camera's device_id (logs)
 * @param streamName     the stream's name, e.g. {@code main} (logs)
 * @param frameDropping  drop frames up to the next keyframe while the uplink cannot keep up
 * @param fpsHint        expected frames per second, for onMetaData without VUI timing and the least step after a
 *                       gap; at least 1
 * @param silentAudio    weave a silent AAC-LC track (44100 Hz mono) into every publish
 * @param gopBufferBytes most NAL unit bytes the GOP buffer holds
 * @param gopBufferMs    longest span of media the GOP buffer holds, milliseconds
 * @param preRollMs      whole GOPs kept before the latest keyframe, milliseconds (0: only the latest GOP)
 * @param targetLatencyMs the most media time let queue on the way to the server, milliseconds
 *                       ({@code streaming.target_latency_ms}); with frame dropping on, non-reference pictures are
 *                       dropped above half of it and every picture up to the next IDR above all of it
 */
public record OutputSettings(String deviceId, String streamName, boolean frameDropping, double fpsHint,
                             boolean silentAudio, long gopBufferBytes, long gopBufferMs, long preRollMs,
                             long targetLatencyMs) {
    /** Default {@code target_latency_ms} (DESIGN.md section 4). */
    public static final long DEFAULT_TARGET_LATENCY_MS = 3000;

    public OutputSettings {
        if (targetLatencyMs < 1) {
            throw new IllegalArgumentException("targetLatencyMs must be positive, got " + targetLatencyMs);
        }
    }

    /** Backlog above which non-reference pictures are dropped: half the target latency, milliseconds. */
    public long dropNonReferenceAboveMs() {
        return targetLatencyMs / 2;
    }

    /** Backlog above which every picture up to the next IDR is dropped: the target latency, milliseconds. */
    public long dropToKeyframeAboveMs() {
        return targetLatencyMs;
    }

    /**
     * With a pre-roll, how much longer than it whole GOPs are kept, milliseconds: a motion event reaches the output
     * after the frames it concerns (EVENT delivery, the bitstream detector's look at a few frames, the control
     * thread), and its pre-roll is counted back from the motion, not from the newest frame.
     */
    public static final long PRE_ROLL_MARGIN_MS = 2000;

    /** Default GOP buffer bound in bytes: 2 s of the ULTRA preset (4 Mbit/s) plus a 4 s keyframe interval. */
    public static final long DEFAULT_GOP_BUFFER_BYTES = 3L * 1024 * 1024;
    /** Default GOP buffer bound in milliseconds of media. */
    public static final long DEFAULT_GOP_BUFFER_MS = 10_000;
}
