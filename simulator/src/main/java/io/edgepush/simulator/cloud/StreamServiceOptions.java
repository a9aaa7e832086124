package io.edgepush.simulator.cloud;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the simulated cloud stream service (DESIGN.md section 3).
 *
 * @param brokerUrl MQTT broker, e.g. "tcp://127.0.0.1:1883"
 * @param clientId MQTT client id of the service
 * @param rtmpUrls the {@code rtmp_url} values answered, in rotation (at least one), e.g.
 *     ["rtmp://127.0.0.1:1935/live/", "rtmp://127.0.0.1:1936/live/"]; see {@link StreamService} for the rotation
 * @param streamKey the {@code stream_key} answered; null = device id lower-cased + "_" + 8 random hex digits
 * @param deniedDeviceIds device ids answered with {@code success:false, error_code:UNAUTHORIZED}
 * @param serverName the {@code server_name} answered
 * @param serverRegion the {@code server_region} answered
 * @param maxBitrateBps the {@code max_bitrate} answered, bits per second
 * @param recommendedFps the {@code recommended_fps} answered
 * @param endpointLifetimeSec {@code expires_at} = now + this many seconds (at least 1)
 * @param clock source of "now" for {@code expires_at}
 * @throws IllegalArgumentException if {@code rtmpUrls} is empty, a URL is not rtmp:// or rtmps://, or the lifetime
 *     is below 1 s
 */
public record StreamServiceOptions(String brokerUrl, String clientId, List<String> rtmpUrls, String streamKey,
        Set<String> deniedDeviceIds, String serverName, String serverRegion, long maxBitrateBps,
        int recommendedFps, long endpointLifetimeSec, Clock clock) {

    public StreamServiceOptions {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
        rtmpUrls = List.copyOf(rtmpUrls);
        if (rtmpUrls.isEmpty()) {
            throw new IllegalArgumentException("rtmpUrls must name at least one rtmp:// or rtmps:// URL");
        }
        for (String url : rtmpUrls) {
            if (!url.startsWith("rtmp://") && !url.startsWith("rtmps://")) {
                throw new IllegalArgumentException("rtmpUrl must start with rtmp:// or rtmps://, got " + url);
            }
        }
        deniedDeviceIds = Set.copyOf(deniedDeviceIds);
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverRegion, "serverRegion");
        Objects.requireNonNull(clock, "clock");
        if (endpointLifetimeSec < 1) {
            throw new IllegalArgumentException("endpointLifetimeSec must be at least 1, got " + endpointLifetimeSec);
        }
    }

    /** Defaults: client id "edgepush-stream-service", generated keys, nobody denied, 4 Mbps, 30 fps, 1 h. */
    public static StreamServiceOptions of(String brokerUrl, String rtmpUrl) {
        return of(brokerUrl, List.of(rtmpUrl));
    }

    /** As {@link #of(String, String)} with several {@code rtmp_url} values answered in rotation. */
    public static StreamServiceOptions of(String brokerUrl, List<String> rtmpUrls) {
        return new StreamServiceOptions(brokerUrl, "edgepush-stream-service", rtmpUrls, null, Set.of(),
                "Simulated Live Server", "local", 4_000_000L, 30, 3600, Clock.systemUTC());
    }

    /** The first {@code rtmp_url} of the rotation. */
    public String rtmpUrl() {
        return rtmpUrls.get(0);
    }

    public StreamServiceOptions withRtmpUrls(List<String> urls) {
        return new StreamServiceOptions(brokerUrl, clientId, urls, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withStreamKey(String key) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrls, key, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withDeniedDeviceIds(Set<String> denied) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrls, streamKey, denied, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withClientId(String id) {
        return new StreamServiceOptions(brokerUrl, id, rtmpUrls, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    /** {@code expires_at} = now + {@code seconds} (at least 1). */
    public StreamServiceOptions withEndpointLifetimeSec(long seconds) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrls, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, seconds, clock);
    }

    public StreamServiceOptions withClock(Clock c) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrls, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, c);
    }
}
