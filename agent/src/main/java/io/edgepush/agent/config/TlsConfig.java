package io.edgepush.agent.config;

/**
 * TLS files for the MQTT connection ({@code $.mqtt.tls}); PEM file paths, each nullable.
 *
 * @param caFile   CA certificate(s) to trust; null = the JVM default trust store
 * @param certFile client certificate for mutual TLS; null = none
 * @param keyFile  client private key for mutual TLS; null = none
 */
public record TlsConfig(String caFile, String certFile, String keyFile) {
    /** No TLS files configured. */
    public static final TlsConfig NONE = new TlsConfig(null, null, null);
}
