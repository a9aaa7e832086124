package io.edgepush.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
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
 * @param tlsVerify    {@code tls_verify} (default true): rtmps:// verifies the server certificate and host name;
 *                     false turns verification off (logged as a WARNING at start-up); also applies to URLs
 *                     received over MQTT
 * @param tlsCaFile    {@code tls_ca_file}: PEM file with the CA certificate(s) to trust for rtmps:// instead of the
 *                     JDK's trust store, or null
 */
public record RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls,
                               boolean silentAudio, boolean tlsVerify, Path tlsCaFile) {

    /** No static target: the endpoint is requested over MQTT; TLS verified against the JDK trust store. */
    public static final RtmpTargetConfig NONE = new RtmpTargetConfig(null, List.of(), List.of());

    public RtmpTargetConfig {
        urls = List.copyOf(urls);
        fallbackUrls = List.copyOf(fallbackUrls);
    }

    /** Targets without the silent audio track, with the default TLS settings (verification on, JDK trust store). */
    public RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls) {
        this(urlTemplate, urls, fallbackUrls, false, true, null);
    }

    /**
     * True when neither urls nor url_template is set, so the stream asks for its endpoint over MQTT
     * ({@code silent_audio} and the TLS keys alone do not make a target).
     */
    public boolean isEmpty() {
        return urlTemplate == null && urls.isEmpty();
    }

    /**
     * The publish URLs of {@code stream} of {@code camera} in failover order: the expanded url_template (if set),
     * then {@code urls}, then {@code fallbackUrls}.
     */
    public List<String> publishUrls(CameraConfig camera, StreamConfig stream) {
        List<String> all = new ArrayList<>();
        if (urlTemplate != null) {
            all.add(UrlTemplate.expand(urlTemplate, camera, stream));
        }
        all.addAll(urls);
        all.addAll(fallbackUrls);
        return List.copyOf(all);
    }
}
