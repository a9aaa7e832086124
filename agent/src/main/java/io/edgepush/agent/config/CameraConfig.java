package io.edgepush.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * One camera board ({@code $.cameras[i]}).
 *
 * @param deviceId camera identity as sent in its HELLO and used in MQTT topics; required, unique
 * @param cameraId numeric camera id, for URL templates (default 0)
 * @param streams  its streams; (camera_id, stream_id) and stream_name are unique
 */
public record CameraConfig(String deviceId, int cameraId, List<StreamConfig> streams) {

    public CameraConfig {
        streams = List.copyOf(streams);
    }

    /** The stream with this stream_name, if configured. */
    public Optional<StreamConfig> stream(String streamName) {
        return streams.stream().filter(s -> s.streamName().equals(streamName)).findFirst();
    }
}
