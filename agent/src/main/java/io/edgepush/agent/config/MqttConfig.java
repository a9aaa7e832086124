package io.edgepush.agent.config;

/**
 * MQTT 5 broker connection ({@code $.mqtt}).
 *
 * @param brokerUrl        {@code tcp://host:port} or {@code ssl://host:port}; required
 * @param clientId         MQTT client identifier; defaults to the gateway_id
 * @param username         nullable
 * @param password         nullable; never logged
 * @param tls              TLS files (all nullable; {@link TlsConfig#NONE} when absent)
 * @param requestTimeoutMs how long to wait for a stream/response, milliseconds (default 5000)
 */
public record MqttConfig(String brokerUrl, String clientId, String username, String password,
                         TlsConfig tls, int requestTimeoutMs) {

    /** Default {@code request_timeout_ms}. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 5000;

    /** Hides the password. */
    @Override
    public String toString() {
        return "MqttConfig[brokerUrl=" + brokerUrl + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "null" : "***") + ", tls=" + tls
                + ", requestTimeoutMs=" + requestTimeoutMs + "]";
    }
}
