package io.edgepush.simulator.cloud;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the simulated cloud stream service (DESIGN.md section 3).
 *
 * @param brokerUrl MQTT broker, e.g. "tcp://127.0.0.1:1883"
 * @param clientId MQTT client id of the service
 * @param rtmpUrl the {@code rtmp_url} answered, e.g. "rtmp://127.0.0.1:1935/live/"
 * @param streamKey the {@code stream_key} answered; null = device id lower-cased + "_" + 8 random hex digits
 * @param deniedDeviceIds device ids answered with {@code success:false, error_code:UNAUTHORIZED}
 * @param serverName the {@code server_name} answered
 * @param serverRegion the {@code server_region} answered
 * @param maxBitrateBps the {@code max_bitrate} answered, bits per second
 * @param recommendedFps the {@code recommended_fps} answered
 * @param endpointLifetimeSec {@code expires_at} = now + this many seconds
 * @param clock source of "now" for {@code expires_at}
 */
public record StreamServiceOptions(String brokerUrl, String clientId, String rtmpUrl, String streamKey,
        Set<String> deniedDeviceIds, String serverName, String serverRegion, long maxBitrateBps,
        int recommendedFps, long endpointLifetimeSec, Clock clock) {

    public StreamServiceOptions {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(rtmpUrl, "rtmpUrl");
        deniedDeviceIds = Set.copyOf(deniedDeviceIds);
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverRegion, "serverRegion");
        Objects.requireNonNull(clock, "clock");
        if (!rtmpUrl.startsWith("rtmp://") && !rtmpUrl.startsWith("rtmps://")) {
            throw new IllegalArgumentException("rtmpUrl must start with rtmp:// or rtmps://, got " + rtmpUrl);
        }
    }

    /** Defaults: client id "edgepush-stream-service", generated keys, nobody denied, 4 Mbps, 30 fps, 1 h. */
    public static StreamServiceOptions of(String brokerUrl, String rtmpUrl) {
        return new StreamServiceOptions(brokerUrl, "edgepush-stream-service", rtmpUrl, null, Set.of(),
                "Simulated Live Server", "local", 4_000_000L, 30, 3600, Clock.systemUTC());
    }

    public StreamServiceOptions withStreamKey(String key) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrl, key, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withDeniedDeviceIds(Set<String> denied) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrl, streamKey, denied, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withClientId(String id) {
        return new StreamServiceOptions(brokerUrl, id, rtmpUrl, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, clock);
    }

    public StreamServiceOptions withClock(Clock c) {
        return new StreamServiceOptions(brokerUrl, clientId, rtmpUrl, streamKey, deniedDeviceIds, serverName,
                serverRegion, maxBitrateBps, recommendedFps, endpointLifetimeSec, c);
    }
}
