package io.edgepush.simulator.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The latest known state of one stream, from its status events (DESIGN.md section 3). Immutable.
 *
 * @param deviceId the device id from the topic
 * @param state state name (idle, requesting, connecting, streaming, reconnecting, stopping, error), or stopped
 *     after stream_stopped; a stream that saw motion goes back to idle instead (it waits for the next motion)
 * @param fps frames per second from the latest metrics
 * @param bitrateKbps kbit/s from the latest metrics
 * @param totalFrames frames sent, from the latest stream_metrics
 * @param droppedFrames frames dropped, from the latest stream_metrics
 * @param started a stream_started event was seen
 * @param finalMetrics the final_metrics object of stream_stopped, or null before it
 * @param motion what the motion events and the motion start's stream_started said ({@link Motion#NONE} before)
 */
record StreamStatus(String deviceId, String state, double fps, double bitrateKbps, long totalFrames,
        long droppedFrames, boolean started, JsonNode finalMetrics, Motion motion) {

    private static final String[] STATES = {"idle", "requesting", "connecting", "streaming", "reconnecting",
        "stopping", "error"};

    /**
     * The motion side of a motion_based stream (issue 11). Times are the demo console's wall clock
     * ({@link System#currentTimeMillis()}) when the event arrived; -1 = not seen.
     *
     * @param detectedAtMs the latest motion_detected
     * @param preRollSec motion_detected's pre_roll_sec, -1 before one
     * @param preRollMs stream_started's pre_roll_ms (camera time from the first frame sent to the motion), -1 if
     *     the latest stream_started had none
     * @param endedAtMs the latest motion_ended
     * @param stopsInSec motion_ended's stops_in_sec (-1 also when a start command holds the stream on)
     * @param stoppedAtMs stream_stopped after a motion_detected
     */
    record Motion(long detectedAtMs, int preRollSec, long preRollMs, long endedAtMs, int stopsInSec,
            long stoppedAtMs) {
        static final Motion NONE = new Motion(-1, -1, -1, -1, -1, -1);

        boolean detected() {
            return detectedAtMs >= 0;
        }
    }

    static StreamStatus initial(String deviceId) {
        return new StreamStatus(deviceId, "idle", 0, 0, 0, 0, false, null, Motion.NONE);
    }

    /** {@link #apply(JsonNode, long)} at the current time. */
    StreamStatus apply(JsonNode event) {
        return apply(event, System.currentTimeMillis());
    }

    /**
     * The status after {@code event}, which arrived at {@code nowMs} (wall clock); events this board does not use
     * leave it unchanged.
     */
    StreamStatus apply(JsonNode event, long nowMs) {
        String name = event.path("event").asText("");
        String nextState = event.has("state") ? stateName(event.get("state").asInt(-1)) : state;
        JsonNode m = event.path("metrics");
        Motion mo = motion;
        return switch (name) {
            case "stream_started" -> new StreamStatus(deviceId, "streaming", m.path("fps").asDouble(fps),
                    m.path("bitrate_kbps").asDouble(bitrateKbps), totalFrames, droppedFrames, true, null,
                    new Motion(mo.detectedAtMs(), mo.preRollSec(), event.path("pre_roll_ms").asLong(-1),
                            mo.endedAtMs(), mo.stopsInSec(), -1));
            case "stream_metrics" -> new StreamStatus(deviceId, event.has("state") ? nextState : "streaming",
                    m.path("fps").asDouble(fps), m.path("bitrate_kbps").asDouble(bitrateKbps),
                    m.path("total_frames").asLong(totalFrames), m.path("dropped_frames").asLong(droppedFrames),
                    started, finalMetrics, motion);
            case "stream_stopped" -> new StreamStatus(deviceId, mo.detected() ? "idle" : "stopped", 0, 0,
                    totalFrames, droppedFrames, started, event.path("final_metrics"), mo.detected()
                            ? new Motion(mo.detectedAtMs(), mo.preRollSec(), mo.preRollMs(), mo.endedAtMs(),
                                    mo.stopsInSec(), nowMs)
                            : mo);
            case "connection_error" -> new StreamStatus(deviceId, nextState, 0, 0, totalFrames, droppedFrames,
                    started, finalMetrics, motion);
            case "motion_detected" -> withMotion(new Motion(nowMs, event.path("pre_roll_sec").asInt(-1),
                    mo.preRollMs(), mo.endedAtMs(), mo.stopsInSec(), mo.stoppedAtMs()));
            case "motion_ended" -> withMotion(new Motion(mo.detectedAtMs(), mo.preRollSec(), mo.preRollMs(), nowMs,
                    event.path("stops_in_sec").asInt(-1), mo.stoppedAtMs()));
            default -> this;
        };
    }

    private StreamStatus withMotion(Motion m) {
        return new StreamStatus(deviceId, state, fps, bitrateKbps, totalFrames, droppedFrames, started, finalMetrics,
                m);
    }

    /** One console line: device, state, fps, kbps, frames, dropped. */
    String line() {
        return String.format("%-14s %-12s fps=%5.1f kbps=%7.1f frames=%6d dropped=%4d", deviceId, state, fps,
                bitrateKbps, totalFrames, droppedFrames);
    }

    static String stateName(int state) {
        return state >= 0 && state < STATES.length ? STATES[state] : "state-" + state;
    }
}
