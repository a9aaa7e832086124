package io.edgepush.agent.config;

import java.util.List;

/**
 * Static RTMP targets of a stream ({@code $.cameras[i].streams[j].rtmp}). All URLs are
 * {@code rtmp://} or {@code rtmps://} (checked by {@link ConfigLoader}).
 *
 * @param urlTemplate  nullable; variables {@code {camera_id} {stream_id} {stream_name} {device_id}}
 *                     (see {@link UrlTemplate})
 * @param urls         primary then backups, tried in order
 * @param fallbackUrls tried after {@code urls} (and after the template) are exhausted
 * @param silentAudio  {@code silent_audio}: add a silent AAC-LC audio track to the stream, for ingests that
 *                     refuse video without audio (default false)
 */
public record RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls,
                               boolean silentAudio) {

    /** No static target: the endpoint is requested over MQTT. */
    public static final RtmpTargetConfig NONE = new RtmpTargetConfig(null, List.of(), List.of());

    /** Targets without the silent audio track. */
    public RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls) {
        this(urlTemplate, urls, fallbackUrls, false);
    }

    public RtmpTargetConfig {
        urls = List.copyOf(urls);
        fallbackUrls = List.copyOf(fallbackUrls);
    }

    /**
     * True when neither urls nor url_template is set, so the stream asks for its endpoint over MQTT
     * ({@code silent_audio} alone does not make a target).
     */
    public boolean isEmpty() {
        return urlTemplate == null && urls.isEmpty();
    }
}
