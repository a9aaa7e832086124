package io.edgepush.agent.session;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.stream.OutputSettings;

/**
 * Identity and fixed settings of a {@link StreamSession}, from the agent config (DESIGN.md section 5:
 * {@code cameras[].streams[]} and {@code streaming}).
 *
 * @param deviceId            the camera's device_id
 * @param cameraId            {@code cameras[].camera_id}
 * @param streamId            {@code streams[].stream_id}: the bridge stream id of the frames
 * @param streamName          {@code streams[].stream_name}, e.g. {@code main}
 * @param autoReconnect       retry after failures ({@code streaming.auto_reconnect})
 * @param frameDropping       drop frames until the next keyframe while the uplink cannot keep up
 * @param fpsHint             expected frames per second (the preset's), for onMetaData and gaps
 * @param backoff             retry delays and budget
 * @param serverIdleTimeoutMs how long a server keeps the stale publish of a dead connection, milliseconds:
 *                            the least wait before publishing the same name to the same URL again after
 *                            RETRY_AFTER_IDLE_TIMEOUT
 * @param silentAudio         add a silent AAC-LC track to every publish ({@code rtmp.silent_audio})
 * @param stablePeriodMs      a publish up this long, milliseconds, resets the retry count and backoff
 * @param gopBufferBytes      most NAL unit bytes the stream's GOP buffer holds ({@code streaming.gop_buffer_bytes})
 * @param gopBufferMs         longest span of media the GOP buffer holds, milliseconds
 *                            ({@code streaming.gop_buffer_ms})
 * @param adaptiveBitrate     adapt the encoder's bitrate to the uplink ({@code streaming.enable_adaptive_bitrate})
 * @param abrController       which bitrate controller ({@code streaming.abr_controller})
 * @param targetLatencyMs     most media time let queue before dropping, milliseconds
 *                            ({@code streaming.target_latency_ms})
 * @param custom              the stream's {@code custom} encoder settings for the {@code custom} preset
 *                            ({@link EncoderSettings#NONE} when not configured)
 * @param preRollMs           {@code motion_based}: the buffered whole GOPs from up to this long before a motion are
 *                            sent first, milliseconds ({@code streaming.pre_roll_sec}); 0 for other triggers
 * @param probeWhenExhausted  once the retry budget is used up, keep trying every {@code max_retry_delay_ms} instead of
 *                            giving up (the stream's trigger is in {@code streaming.keep_probing_triggers})
 */
record SessionSettings(String deviceId, int cameraId, int streamId, String streamName,
                              boolean autoReconnect, boolean frameDropping, double fpsHint, Backoff backoff,
                              long serverIdleTimeoutMs, boolean silentAudio, long stablePeriodMs,
                              long gopBufferBytes, long gopBufferMs, boolean adaptiveBitrate,
                              AgentConfig.AbrController abrController, long targetLatencyMs, EncoderSettings custom,
                              long preRollMs, boolean probeWhenExhausted) {

    /**
     * Without adaptive bitrate, with the default target latency, no custom settings, and giving up once the retries
     * are exhausted (tests).
     */
    SessionSettings(String deviceId, int cameraId, int streamId, String streamName, boolean autoReconnect,
                    boolean frameDropping, double fpsHint, Backoff backoff, long serverIdleTimeoutMs,
                    boolean silentAudio, long stablePeriodMs, long gopBufferBytes, long gopBufferMs) {
        this(deviceId, cameraId, streamId, streamName, autoReconnect, frameDropping, fpsHint, backoff,
                serverIdleTimeoutMs, silentAudio, stablePeriodMs, gopBufferBytes, gopBufferMs, false,
                AgentConfig.AbrController.EDGE, OutputSettings.DEFAULT_TARGET_LATENCY_MS, EncoderSettings.NONE, 0, false);
    }
}
