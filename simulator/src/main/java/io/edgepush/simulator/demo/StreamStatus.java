package io.edgepush.simulator.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The latest known state of one stream, from its status events (DESIGN.md section 3). Immutable.
 *
 * @param deviceId the device id from the topic
 * @param state state name (idle, requesting, connecting, streaming, reconnecting, stopping, error)
 * @param fps frames per second from the latest metrics
 * @param bitrateKbps kbit/s from the latest metrics
 * @param totalFrames frames sent, from the latest stream_metrics
 * @param droppedFrames frames dropped, from the latest stream_metrics
 * @param started a stream_started event was seen
 * @param finalMetrics the final_metrics object of stream_stopped, or null before it
 */
record StreamStatus(String deviceId, String state, double fps, double bitrateKbps, long totalFrames,
        long droppedFrames, boolean started, JsonNode finalMetrics) {

    private static final String[] STATES = {"idle", "requesting", "connecting", "streaming", "reconnecting",
        "stopping", "error"};

    static StreamStatus initial(String deviceId) {
        return new StreamStatus(deviceId, "idle", 0, 0, 0, 0, false, null);
    }

    /** The status after {@code event}; events this board does not use leave it unchanged. */
    StreamStatus apply(JsonNode event) {
        String name = event.path("event").asText("");
        String nextState = event.has("state") ? stateName(event.get("state").asInt(-1)) : state;
        JsonNode m = event.path("metrics");
        return switch (name) {
            case "stream_started" -> new StreamStatus(deviceId, "streaming", m.path("fps").asDouble(fps),
                    m.path("bitrate_kbps").asDouble(bitrateKbps), totalFrames, droppedFrames, true, null);
            case "stream_metrics" -> new StreamStatus(deviceId, event.has("state") ? nextState : "streaming",
                    m.path("fps").asDouble(fps), m.path("bitrate_kbps").asDouble(bitrateKbps),
                    m.path("total_frames").asLong(totalFrames), m.path("dropped_frames").asLong(droppedFrames),
                    started, finalMetrics);
            case "stream_stopped" -> new StreamStatus(deviceId, "stopped", 0, 0, totalFrames, droppedFrames,
                    started, event.path("final_metrics"));
            case "connection_error" -> new StreamStatus(deviceId, nextState, 0, 0, totalFrames, droppedFrames,
                    started, finalMetrics);
            default -> this;
        };
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
