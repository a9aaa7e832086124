package io.edgepush.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole agent configuration (DESIGN.md section 5), as loaded by {@link ConfigLoader}.
 * Immutable; lists are unmodifiable.
 *
 * @param gatewayId            gateway identity, used in {@code gateways/{gateway_id}/status}; required
 * @param mqtt                 broker connection
 * @param ingest               where cameras connect (TCP listen address, serial ports)
 * @param streaming            session behaviour (retries, latency, metrics interval, pre/post roll)
 * @param cameras              known cameras and their streams
 * @param acceptUnknownCameras whether a camera whose device_id is not listed may connect (it then gets
 *                             one stream "main", quality high, trigger on_demand, endpoint via MQTT)
 * @param http                 local HTTP (Prometheus) endpoint
 */
public record AgentConfig(String gatewayId, MqttConfig mqtt, IngestConfig ingest, StreamingConfig streaming,
                          List<CameraConfig> cameras, boolean acceptUnknownCameras, HttpConfig http) {

    public AgentConfig {
        cameras = List.copyOf(cameras);
    }

    /** The camera with this device_id, if configured. */
    public Optional<CameraConfig> camera(String deviceId) {
        return cameras.stream().filter(c -> c.deviceId().equals(deviceId)).findFirst();
    }
}
