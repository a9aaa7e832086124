package io.edgepush.agent.mqtt;

import io.edgepush.agent.quality.EncoderSettings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.protocol.rtmp.Secrets;
import java.time.Clock;

/**
 * Builders of the status events published on {@code devices/{device_id}/stream/status}
 * (DESIGN.md section 3): snake_case fields, {@code event}, {@code timestamp} in Unix seconds, plus
 * {@code device_id} and {@code stream_name}. Stream keys appear only masked ({@link Secrets#mask}) and
 * {@code server_url} never contains the key.
 */
public final class StatusEvents {
    /** Session state numbers of the {@code state} field. */
    public static final int STATE_IDLE = 0, STATE_REQUESTING_ENDPOINT = 1, STATE_CONNECTING = 2,
            STATE_STREAMING = 3, STATE_RECONNECTING = 4, STATE_STOPPING = 5, STATE_ERROR = 6;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    /** @param clock source of the {@code timestamp} fields */
    public StatusEvents(Clock clock) {
        this.clock = clock;
    }

    /**
     * Live metrics of a stream ({@code metrics} of stream_metrics). Rates per second, kbps = 1000 bit/s.
     * {@code backlogMs}/{@code backlogBytes}: media time and bytes queued between the camera and the socket
     * (DESIGN.md 6b); {@code latency_ms} carries the same media time, the contract's older name for it.
     * {@code targetBitrateKbps}: the bitrate the camera's encoder is asked; {@code droppedByReason}: dropped
     * frames per reason ({@code uplink}, {@code uplink_non_reference}, {@code waiting_for_keyframe},
     * {@code corrupt}).
     */
    public record Metrics(double fps, double bitrateKbps, long totalFrames, long droppedFrames, long backlogMs,
                          long backlogBytes, double networkQuality, long streamDurationMs, long targetBitrateKbps,
                          java.util.Map<String, Long> droppedByReason) {
    }

    /**
     * Firmware-bridge input counters of the camera feeding a stream ({@code bridge} of stream_metrics), counted
     * since the camera's current link came up (they restart when it reconnects). The first four are link-wide
     * (shared by every stream of the camera); the last two are this stream's own sequence-number loss.
     *
     * @param bytesSkipped      bytes discarded while resynchronising (garbage, cut frames)
     * @param crcErrors         frames refused for a header or frame CRC mismatch
     * @param oversizeFrames    frames (raw Annex B: NAL units) refused for exceeding the maximum size
     * @param malformedMessages valid frames whose payload was malformed (raw Annex B: unparseable slices)
     * @param sequenceGaps      times this stream's sequence number jumped
     * @param framesLost        frames of this stream missing according to the sequence numbers
     * @param keyframeFlagMismatches VIDEO frames whose keyframe flag disagreed with their NAL unit types (link-wide)
     */
    public record BridgeCounters(long bytesSkipped, long crcErrors, long oversizeFrames, long malformedMessages,
                                 long sequenceGaps, long framesLost, long keyframeFlagMismatches) {
    }

    /** Totals of a finished stream ({@code final_metrics} of stream_stopped). */
    public record FinalMetrics(long totalFramesSent, long totalBytesSent, long streamDurationMs, double averageFps,
                               double averageBitrateKbps, long droppedFrames) {
    }

    /** A bare event: {@code event}, {@code timestamp}, {@code device_id}, {@code stream_name} (if non-null). */
    public ObjectNode event(String event, String deviceId, String streamName) {
        ObjectNode n = JSON.createObjectNode().put("event", event).put("timestamp", clock.instant().getEpochSecond())
                .put("device_id", deviceId);
        if (streamName != null) {
            n.put("stream_name", streamName);
        }
        return n;
    }

    /** stream_started, state 3, with the masked key and the first metrics. */
    public ObjectNode streamStarted(String deviceId, String streamName, String serverUrl, String streamKey,
                                    QualityPreset quality, double fps, double bitrateKbps, boolean connected) {
        ObjectNode n = event("stream_started", deviceId, streamName).put("message", "Live streaming started")
                .put("state", STATE_STREAMING).put("server_url", Secrets.maskIn(serverUrl, streamKey))
                .put("stream_key", Secrets.mask(streamKey)).put("quality", quality.wireName());
        n.putObject("metrics").put("fps", fps).put("bitrate_kbps", bitrateKbps).put("is_connected", connected);
        return n;
    }

    /** stream_metrics. */
    public ObjectNode streamMetrics(String deviceId, String streamName, Metrics m) {
        return streamMetrics(deviceId, streamName, m, null);
    }

    /**
     * stream_metrics with, when {@code bridge} is non-null (the camera is connected), an extra object
     * {@code "bridge": {"bytes_skipped", "crc_errors", "oversize_frames", "malformed_messages", "sequence_gaps",
     * "frames_lost", "keyframe_flag_mismatches"}} next to {@code metrics} (extra fields are allowed by the contract, DESIGN.md section 3).
     */
    public ObjectNode streamMetrics(String deviceId, String streamName, Metrics m, BridgeCounters bridge) {
        ObjectNode n = event("stream_metrics", deviceId, streamName);
        if (bridge != null) {
            n.putObject("bridge").put("bytes_skipped", bridge.bytesSkipped()).put("crc_errors", bridge.crcErrors())
                    .put("oversize_frames", bridge.oversizeFrames())
                    .put("malformed_messages", bridge.malformedMessages())
                    .put("sequence_gaps", bridge.sequenceGaps()).put("frames_lost", bridge.framesLost())
                    .put("keyframe_flag_mismatches", bridge.keyframeFlagMismatches());
        }
        n.putObject("metrics").put("fps", m.fps()).put("bitrate_kbps", m.bitrateKbps())
                .put("total_frames", m.totalFrames()).put("dropped_frames", m.droppedFrames())
                .put("latency_ms", m.backlogMs()).put("backlog_ms", m.backlogMs())
                .put("backlog_bytes", m.backlogBytes()).put("network_quality", m.networkQuality())
                .put("stream_duration_ms", m.streamDurationMs()).put("target_bitrate_kbps", m.targetBitrateKbps());
        ObjectNode byReason = ((ObjectNode) n.get("metrics")).putObject("dropped_by_reason");
        m.droppedByReason().forEach(byReason::put);
        return n;
    }

    /** stream_stopped, state 0. */
    public ObjectNode streamStopped(String deviceId, String streamName, FinalMetrics f) {
        ObjectNode n = event("stream_stopped", deviceId, streamName).put("message", "Live streaming stopped")
                .put("state", STATE_IDLE);
        n.putObject("final_metrics").put("total_frames_sent", f.totalFramesSent())
                .put("total_bytes_sent", f.totalBytesSent()).put("stream_duration_ms", f.streamDurationMs())
                .put("average_fps", f.averageFps()).put("average_bitrate_kbps", f.averageBitrateKbps())
                .put("dropped_frames", f.droppedFrames());
        return n;
    }

    /**
     * connection_error.
     *
     * @param errorCode       e.g. {@code RTMP_CONNECT_TIMEOUT}, {@code UNAUTHORIZED}, {@code TIMEOUT}
     * @param nextRetryInSec  0 when giving up (then state is 6); with state 6 and a non-zero value the stream keeps
     *                        probing
     * @param state           session state number after the error (4 reconnecting, 6 error)
     */
    public ObjectNode connectionError(String deviceId, String streamName, String message, String errorCode,
                                      int reconnectAttempts, long nextRetryInSec, int state) {
        return event("connection_error", deviceId, streamName).put("message", message).put("error_code", errorCode)
                .put("reconnect_attempts", reconnectAttempts).put("next_retry_in_sec", nextRetryInSec)
                .put("state", state);
    }

    /** command_ack: {@code command_id} (null when the command had none), {@code ok}, {@code error} if not ok. */
    public ObjectNode commandAck(String deviceId, String streamName, String commandId, boolean ok, String error) {
        ObjectNode n = event("command_ack", deviceId, streamName).put("command_id", commandId).put("ok", ok);
        if (error != null) {
            n.put("error", error);
        }
        return n;
    }

    /**
     * control_failed: a CONTROL (firmware-bridge/PROTOCOL.md 3.5) sent to the camera was never acknowledged
     * after {@code attempts} sends with the same {@code control_id}, or the camera refused it (an ACK other than
     * OK: {@code error} says {@code refused: ACK status INVALID_VALUE}, ...).
     *
     * @param op    the op name, e.g. {@code SET_BITRATE}, {@code FORCE_IDR}
     * @param value the op's u32 operand
     * @param error why (e.g. the last timeout, or the link closing)
     */
    public ObjectNode controlFailed(String deviceId, String streamName, String op, long value, long controlId,
                                    int attempts, String error) {
        return event("control_failed", deviceId, streamName).put("op", op).put("value", value)
                .put("control_id", controlId).put("attempts", attempts).put("error", error);
    }

    /**
     * quality_changed: what the camera's encoder is asked changed. {@code old}/{@code new}: {@code {"width",
     * "height", "fps", "bitrate_kbps"}} ({@code old} null when nothing was asked before); {@code reason}:
     * {@code command}, {@code abr_down}, {@code abr_up} or {@code endpoint_cap}.
     *
     * @param oldSettings what was asked before, or null
     * @param newSettings what is asked now
     */
    public ObjectNode qualityChanged(String deviceId, String streamName, String quality, EncoderSettings oldSettings,
                                     EncoderSettings newSettings, String reason) {
        ObjectNode n = event("quality_changed", deviceId, streamName).put("quality", quality).put("reason", reason);
        putSettings(n, "old", oldSettings);
        putSettings(n, "new", newSettings);
        return n;
    }

    /**
     * Writes {@code s} as {@code {"width", "height", "fps", "bitrate_kbps"}} into {@code n.field} (JSON null when
     * {@code s} is null) and returns {@code n}.
     */
    public static ObjectNode putSettings(ObjectNode n, String field, EncoderSettings s) {
        if (s == null) {
            n.putNull(field);
            return n;
        }
        n.putObject(field).put("width", s.width()).put("height", s.height()).put("fps", s.fps())
                .put("bitrate_kbps", s.bitrateKbps());
        return n;
    }

    /** endpoint_refreshed: a fresh endpoint was obtained (before {@code expires_at}, Unix seconds; 0 = none). */
    public ObjectNode endpointRefreshed(String deviceId, String streamName, String serverUrl, String streamKey,
                                       long expiresAt) {
        return event("endpoint_refreshed", deviceId, streamName).put("server_url", Secrets.maskIn(serverUrl, streamKey))
                .put("stream_key", Secrets.mask(streamKey)).put("expires_at", expiresAt);
    }

    /**
     * state_changed: the session moved from {@code previousState} to {@code state} (numbers as in DESIGN.md section
     * 3), with {@code state_name} (e.g. {@code reconnecting}) and {@code reason} (words or an error code).
     */
    public ObjectNode stateChanged(String deviceId, String streamName, int state, String stateName, int previousState,
                                   String reason) {
        return event("state_changed", deviceId, streamName).put("state", state).put("state_name", stateName)
                .put("previous_state", previousState).put("reason", reason);
    }

    /**
     * motion_detected: motion began on a {@code motion_based} stream (DESIGN.md 6b). {@code source}: {@code camera}
     * (the camera's EVENT) or {@code bitstream} (the agent's detector); {@code pre_roll_sec}: video from before the
     * motion the stream sends first (0 when it was already on air).
     */
    public ObjectNode motionDetected(String deviceId, String streamName, String source, int preRollSec) {
        return event("motion_detected", deviceId, streamName).put("source", source).put("pre_roll_sec", preRollSec);
    }

    /**
     * motion_ended: the motion ended; {@code stops_in_sec}: the post-roll after which the stream stops unless motion
     * comes back, -1 when a start command holds it on, 0 when it is not on air (a stop command came first).
     */
    public ObjectNode motionEnded(String deviceId, String streamName, String source, int stopsInSec) {
        return event("motion_ended", deviceId, streamName).put("source", source).put("stops_in_sec", stopsInSec);
    }

    /**
     * status_events_dropped: {@code dropped} status events of this device were dropped, oldest first, because
     * more were waiting for the MQTT broker than the outbox holds ({@link StatusOutbox}). No {@code stream_name}:
     * the count covers every stream of the device.
     */
    public ObjectNode statusEventsDropped(String deviceId, long dropped) {
        return event("status_events_dropped", deviceId, null).put("dropped", dropped)
                .put("message", dropped + " status events dropped: more were waiting for the MQTT broker than the agent "
                        + "keeps");
    }
}
