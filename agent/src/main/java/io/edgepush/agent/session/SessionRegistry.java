package io.edgepush.agent.session;

import io.edgepush.agent.quality.EncoderSettings;

import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.config.AgentConfig.StreamingConfig;
import io.edgepush.agent.config.AgentConfig.Trigger;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All stream sessions of the gateway, made from the config, keyed by device_id and then stream name. Sessions of
 * configured cameras exist from start-up; an unknown camera gets one (stream "main", quality high, on_demand,
 * endpoint from the cloud) when {@code accept_unknown_cameras} allows it. A stream with static URLs
 * ({@code url_template}, {@code urls}, {@code fallback_urls}) publishes to them; any other asks the cloud.
 */
public final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    /** A session and the config it was made from. */
    public record Entry(CameraConfig camera, StreamConfig stream, StreamSession session) {
    }

    private final AgentConfig config;
    private final Function<RtmpTargetConfig, PublisherFactory> publishers;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final Function<String, EndpointSource> cloudEndpoints;
    private final Map<String, List<Entry>> byDevice = new ConcurrentHashMap<>();

    /**
     * @param rtmp           the gateway's shared RTMP options (event loop, timeouts); each stream adds its TLS settings
     * @param control        the thread all session logic runs on
     * @param listener       told about every session's state changes and stream events
     * @param cloudEndpoints the endpoint source of a device (by device_id) for streams without static URLs
     */
    public SessionRegistry(AgentConfig config, RtmpPublisherOptions rtmp, ScheduledExecutorService control,
                           SessionListener listener, Function<String, EndpointSource> cloudEndpoints) {
        this(config, RtmpPublisherFactory.perTarget(rtmp), control, listener, cloudEndpoints);
    }

    /** @param publishers the publisher factory for a stream's target (its TLS settings); tests fake publishing */
    SessionRegistry(AgentConfig config, Function<RtmpTargetConfig, PublisherFactory> publishers,
                    ScheduledExecutorService control, SessionListener listener,
                    Function<String, EndpointSource> cloudEndpoints) {
        this.config = config;
        this.publishers = publishers;
        this.control = control;
        this.listener = listener;
        this.cloudEndpoints = cloudEndpoints;
        for (CameraConfig camera : config.cameras()) {
            byDevice.put(camera.deviceId(), create(camera));
        }
    }

    /** The sessions of a device, creating them for an unknown camera if allowed; empty if refused. */
    public List<Entry> forDevice(String deviceId) {
        List<Entry> known = byDevice.get(deviceId);
        if (known != null || !config.acceptUnknownCameras()) {
            return known == null ? List.of() : known;
        }
        int cameraId = 1000 + byDevice.size();
        StreamConfig main = new StreamConfig(0, "main", QualityPreset.HIGH, Trigger.ON_DEMAND, RtmpTargetConfig.NONE);
        CameraConfig camera = new CameraConfig(deviceId, cameraId, List.of(main));
        return byDevice.computeIfAbsent(deviceId, id -> create(camera));
    }

    /** True when {@code deviceId} has sessions (configured, or an unknown camera accepted); creates nothing. */
    public boolean knows(String deviceId) {
        return byDevice.containsKey(deviceId);
    }

    /** The session for (device_id, stream_name), if the device is known. */
    public Optional<StreamSession> find(String deviceId, String streamName) {
        return byDevice.getOrDefault(deviceId, List.of()).stream()
                .filter(e -> e.stream().streamName().equals(streamName))
                .map(Entry::session)
                .findFirst();
    }

    /** Every session. */
    public List<StreamSession> all() {
        List<StreamSession> all = new ArrayList<>();
        byDevice.values().forEach(list -> list.forEach(e -> all.add(e.session())));
        return all;
    }

    /** Releases every session's resources; call once all are stopped. */
    public void closeAll() {
        all().forEach(StreamSession::close);
    }

    private List<Entry> create(CameraConfig camera) {
        StreamingConfig s = config.streaming();
        Backoff backoff = new Backoff(s.initialRetryDelayMs(), s.maxRetryDelayMs(), s.maxRetryAttempts());
        List<Entry> entries = new ArrayList<>();
        for (StreamConfig stream : camera.streams()) {
            EndpointSource endpoints = stream.rtmp().isEmpty()
                    ? cloudEndpoints.apply(camera.deviceId())
                    : new StaticEndpointSource(camera, stream);
            SessionSettings settings = new SessionSettings(camera.deviceId(), camera.cameraId(),
                    stream.streamId(), stream.streamName(), s.autoReconnect(), s.enableFrameDropping(),
                    stream.quality().fps() > 0 ? stream.quality().fps() : 25, backoff, s.serverIdleTimeoutMs(),
                    stream.rtmp().silentAudio(), s.stablePeriodMs(), s.gopBufferBytes(), s.gopBufferMs(),
                    s.enableAdaptiveBitrate(), AgentConfig.AbrController.fromWireName(s.abrController()),
                    s.targetLatencyMs(), stream.custom() == null ? EncoderSettings.NONE
                    : new EncoderSettings(stream.custom().width(), stream.custom().height(), stream.custom().fps(),
                            stream.custom().bitrateBps()),
                    stream.trigger() == Trigger.MOTION_BASED ? s.preRollSec() * 1000L : 0,
                    s.keepProbingTriggers().contains(stream.trigger()));
            if (!stream.rtmp().tlsVerify()) {
                log.warn("event=tls_verify_off device_id={} stream_name={} warning=\"rtmps:// certificate and host"
                        + " name verification is OFF (rtmp.tls_verify=false): anyone in the path can impersonate"
                        + " the server\"", camera.deviceId(), stream.streamName());
            }
            StreamSession session = new StreamSession(settings, stream.quality().wireName(), endpoints,
                    publishers.apply(stream.rtmp()), control, listener);
            entries.add(new Entry(camera, stream, session));
        }
        return List.copyOf(entries);
    }
}
