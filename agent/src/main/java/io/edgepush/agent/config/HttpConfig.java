package io.edgepush.agent.config;

/**
 * Local HTTP endpoint for Prometheus metrics ({@code $.http}).
 *
 * @param listen listen address; null disables the endpoint (default {@code 127.0.0.1:9100} when absent)
 */
public record HttpConfig(HostPort listen) {
    /** Default {@code listen}. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9100";
}
