package io.edgepush.agent.config;

/**
 * Session behaviour ({@code $.streaming}); every key is optional, defaults from DESIGN.md section 4/5
 * ({@link #DEFAULTS}).
 *
 * @param enableAdaptiveBitrate change the camera encoder's bitrate/fps/resolution to follow the uplink (true)
 * @param enableFrameDropping   drop non-reference frames / whole GOPs when the uplink falls behind (true)
 * @param targetLatencyMs       end-to-end latency to aim for, milliseconds (3000)
 * @param autoReconnect         reconnect RTMP after a failure (true)
 * @param maxRetryAttempts      attempts before giving up with state 6 (10)
 * @param initialRetryDelayMs   first retry delay, milliseconds, doubled per attempt (1000)
 * @param maxRetryDelayMs       retry delay cap, milliseconds (60000)
 * @param metricsIntervalSec    stream_metrics event period, seconds (5)
 * @param preRollSec            buffered video sent before a motion event, seconds (2)
 * @param postRollSec           keep streaming after the last motion event, seconds (10)
 * @param serverIdleTimeoutMs   how long an RTMP server keeps the stale publish of a dead connection, milliseconds
 *                              (10000): after "Already publishing" or a bare close right after publish, the same
 *                              URL is retried no sooner (nginx-rtmp's drop_idle_publisher is off by default;
 *                              set this to the server's value)
 * @param stablePeriodMs        a publish that stays up this long, milliseconds, counts as recovered: the retry
 *                              counter ({@code reconnect_attempts}) and the backoff start again from the beginning
 *                              (30000)
 * @param gopBufferBytes        most bytes of coded video each stream keeps since its latest keyframe, so a new
 *                              publish starts at once from it (3 MiB: a 4 s GOP of the ULTRA preset with room)
 * @param gopBufferMs           longest span of video each stream keeps, milliseconds (10000)
 */
public record StreamingConfig(boolean enableAdaptiveBitrate, boolean enableFrameDropping, int targetLatencyMs,
                              boolean autoReconnect, int maxRetryAttempts, int initialRetryDelayMs,
                              int maxRetryDelayMs, int metricsIntervalSec, int preRollSec, int postRollSec,
                              int serverIdleTimeoutMs, int stablePeriodMs, long gopBufferBytes, int gopBufferMs) {

    /** All defaults, used for absent keys (and when {@code $.streaming} is absent). */
    public static final StreamingConfig DEFAULTS =
            new StreamingConfig(true, true, 3000, true, 10, 1000, 60_000, 5, 2, 10, 10_000, 30_000,
                    3L * 1024 * 1024, 10_000);
}
