package io.edgepush.agent.config;

/**
 * Local HTTP endpoint ({@code $.http}): the status page {@code GET /status}
 * (the gateway's status page).
 *
 * @param listen listen address; null disables the endpoint (default {@code 127.0.0.1:9100} when absent); a
 *               port that cannot be bound is logged and the agent runs without the page
 */
public record HttpConfig(HostPort listen) {
    /** Default {@code listen}. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9100";
}
