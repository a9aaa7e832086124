package io.edgepush.agent.config;

/**
 * One stream of a camera ({@code $.cameras[i].streams[j]}).
 *
 * @param streamId   numeric stream id as carried in the camera's VIDEO frames (default 0)
 * @param streamName name used in MQTT commands and URL templates (default {@code "main"})
 * @param quality    quality preset (default high)
 * @param trigger    what starts the stream (default on_demand)
 * @param rtmp       where to publish; {@link RtmpTargetConfig#isEmpty()} means ask over MQTT
 */
public record StreamConfig(int streamId, String streamName, QualityPreset quality, Trigger trigger,
                           RtmpTargetConfig rtmp) {
}
