package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.quality.QualityControl;
import io.edgepush.agent.stream.AddedLatency;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.trigger.Triggers;
import io.edgepush.agent.session.SessionStatus;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.protocol.rtmp.Secrets;

import java.util.List;

/**
 * The one JSON reading of stream sessions, shared by the local {@code GET /status} page ({@link StatusPage}) and
 * the MQTT {@code get_status} answer, so both always carry the same fields. Field names are snake_case as in the
 * MQTT contract (DESIGN.md section 3); {@code state} uses the contract's numbers (0 idle .. 6 error).
 *
 * <p>Shape of one session ({@link #putSession}; the agent adds {@code "trigger"} and {@code "trigger_state"} with
 * {@link #putTrigger}):
 * <pre>
 * {"device_id": "CAM_1", "camera_id": 0, "stream_id": 0, "stream_name": "main",
 *  "state": 4, "state_name": "reconnecting", "state_since": 1691234567123, "state_reason": "RTMP_CONNECT_REFUSED",
 *  "quality": "high", "server_url": "rtmp://live.example.com:1935/live/your***",
 *  "reconnect_attempts": 2, "last_error_code": "RTMP_CONNECT_REFUSED", "last_error_message": "...",
 *  "next_retry_in_sec": 2, "endpoint_expires_at": 0,
 *  "metrics": {"fps": 25.0, "bitrate_kbps": 500.0, "total_frames": 620, "dropped_frames": 3, "total_bytes": 1548000, "stream_duration_ms": 25000,
 *              "average_fps": 24.8, "average_bitrate_kbps": 495.4, "network_quality": 0.99, "backlog_ms": 120,
 *              "backlog_bytes": 30000, "latency_ms": 120, "target_bitrate_kbps": 500,
 *              "dropped_by_reason": {"uplink": 2, "uplink_non_reference": 1, "waiting_for_keyframe": 0,
 *                                    "corrupt": 0}},
 *  "encoder": {"adaptive": true, "ceiling_kbps": 500,
 *              "asked": {"width": 640, "height": 480, "fps": 15, "bitrate_kbps": 500},
 *              "confirmed": {"width": 640, "height": 480, "fps": 15, "bitrate_kbps": 500}}}
 * </pre>
 * {@code fps} and {@code bitrate_kbps} are the last {@code stream_metrics} interval's, the numbers that message and
 * {@code /metrics} carry ({@code SessionMetrics.total()}); the {@code average_*} are over the whole run.
 * {@code state_since} is Unix milliseconds, {@code endpoint_expires_at} Unix seconds (0: does not expire),
 * {@code next_retry_in_sec} whole seconds rounded up (0: no retry scheduled). {@code server_url} is the publish
 * URL with the stream key masked to its first 4 characters ({@link Secrets#maskUrl}), or null while nothing is
 * published; the key is never written in full, also not inside {@code state_reason} or
 * {@code last_error_message}. Null strings are written as JSON null.
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    /**
     * The {@code /status} page: {@code {"gateway_id", "mqtt_connected", "timestamp", "sessions": [...]}}.
     *
     * @param nowEpochMs the current time, Unix milliseconds; {@code timestamp} is written in Unix seconds
     */
    public static ObjectNode page(String gatewayId, boolean mqttConnected, long nowEpochMs,
                                  List<SessionStatus> sessions) {
        ObjectNode page = JSON.createObjectNode().put("gateway_id", gatewayId).put("mqtt_connected", mqttConnected)
                .put("timestamp", nowEpochMs / 1000);
        var array = page.putArray("sessions");
        for (SessionStatus s : sessions) {
            putSession(array.addObject(), s, nowEpochMs);
        }
        return page;
    }

    /**
     * Writes the fields of one session (shape in the class comment) into {@code target}, replacing fields of the
     * same name, and returns {@code target}.
     *
     * @param nowEpochMs the current time, Unix milliseconds (for {@code next_retry_in_sec})
     */
    public static ObjectNode putSession(ObjectNode target, SessionStatus s, long nowEpochMs) {
        String key = streamKey(s.publishUrl());
        target.put("device_id", s.deviceId()).put("camera_id", s.cameraId()).put("stream_id", s.streamId())
                .put("stream_name", s.streamName())
                .put("state", s.state().code()).put("state_name", s.state().label())
                .put("state_since", s.stateSinceEpochMs()).put("state_reason", Secrets.maskIn(s.stateReason(), key))
                .put("quality", s.quality()).put("server_url", Secrets.maskUrl(s.publishUrl()))
                .put("reconnect_attempts", s.reconnectAttempts())
                .put("last_error_code", s.lastErrorCode())
                .put("last_error_message", Secrets.maskIn(s.lastErrorMessage(), key))
                .put("next_retry_in_sec", secondsUntil(s.nextRetryAtEpochMs(), nowEpochMs))
                .put("endpoint_expires_at", s.endpointExpiresAtSec());
        SessionMetrics.Snapshot m = s.metrics();
        ObjectNode metrics = target.putObject("metrics");
        if (m != null) {
            metrics.put("fps", m.fps()).put("bitrate_kbps", m.bitrateKbps())
                    .put("total_frames", m.totalFrames()).put("dropped_frames", m.droppedFrames())
                    .put("total_bytes", m.totalBytes()).put("stream_duration_ms", m.durationMs())
                    .put("average_fps", m.averageFps()).put("average_bitrate_kbps", m.averageBitrateKbps())
                    .put("network_quality", s.networkQuality());
            ObjectNode byReason = metrics.putObject("dropped_by_reason");
            m.droppedByReason().forEach(byReason::put);
            metrics.put("frames_received", m.framesReceived()).put("frames_resent", m.framesResent())
                    .put("frames_buffered", s.framesBuffered());
            AddedLatency.Reading latency = m.addedLatency();
            metrics.putObject("added_latency_ms").put("p50", latency.p50Ms()).put("p99", latency.p99Ms())
                    .put("max", latency.maxMs()).put("count", latency.count());
        }
        metrics.put("backlog_ms", s.backlog().ms()).put("backlog_bytes", s.backlog().bytes())
                .put("latency_ms", s.backlog().ms());
        QualityControl.Reading q = s.encoder();
        if (q != null) {
            metrics.put("target_bitrate_kbps", q.asked().bitrateKbps());
            ObjectNode encoder = target.putObject("encoder").put("adaptive", q.adaptive())
                    .put("ceiling_kbps", Math.round(q.ceilingBps() / 1000.0));
            StatusEvents.putSettings(encoder, "asked", q.asked());
            StatusEvents.putSettings(encoder, "confirmed", q.confirmed());
        }
        return target;
    }

    /**
     * Writes {@code "trigger"} ({@code manual}, ...) and {@code "trigger_state"} ({@code idle}, {@code on},
     * {@code post_roll}, {@code held_on}, {@code held_off}; see README "Triggers") into {@code target}; nothing for
     * a null reading. Returns {@code target}.
     */
    public static ObjectNode putTrigger(ObjectNode target, Triggers.Reading trigger) {
        if (trigger != null) {
            target.put("trigger", trigger.trigger()).put("trigger_state", trigger.state());
        }
        return target;
    }

    /** Whole seconds from now until {@code atEpochMs}, rounded up; 0 when none is due (0) or it is past. */
    static long secondsUntil(long atEpochMs, long nowEpochMs) {
        if (atEpochMs <= 0 || atEpochMs <= nowEpochMs) {
            return 0;
        }
        return (atEpochMs - nowEpochMs + 999) / 1000;
    }

    private static String streamKey(String publishUrl) {
        if (publishUrl == null) {
            return null;
        }
        try {
            return RtmpUrl.parse(publishUrl).streamName();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
