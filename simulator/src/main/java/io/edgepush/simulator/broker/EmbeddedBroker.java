package io.edgepush.simulator.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker (OASIS MQTT 5.0) running inside this JVM, for CI and the demo. It is HiveMQ Community Edition
 * embedded, listening on one plain TCP listener, with in-memory persistence and no usage statistics. It forwards
 * MQTT 5 properties such as Response Topic and Correlation Data (MQTT 5.0 section 4.10) unchanged to subscribers.
 *
 * <p>Lifecycle: {@link #start(String, int)} returns once the listener is bound; {@link #close()} stops the broker
 * and deletes its temporary folders. Not reusable after close.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_SEC = 30;

    private final String host;
    private final int port;
    private final Path home;
    private final EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(String host, int port, Path home, EmbeddedHiveMQ hivemq) {
        this.host = host;
        this.port = port;
        this.home = home;
        this.hivemq = hivemq;
    }

    /**
     * Starts a broker listening on {@code host:port}.
     *
     * @param host bind address, e.g. "127.0.0.1"
     * @param port TCP port (1..65535)
     * @throws IOException if the temporary folders cannot be made or the broker does not start (port in use, ...)
     */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        Path home = Files.createTempDirectory("edgepush-broker-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), configXml(host, port), StandardCharsets.UTF_8);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(START_TIMEOUT_SEC, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(hivemq, home);
            throw new IOException("interrupted while starting the MQTT broker on " + host + ":" + port, e);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly(hivemq, home);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("MQTT broker did not start on " + host + ":" + port + ": " + cause, cause);
        }
        LOG.info("MQTT 5 broker listening on tcp://{}:{}", host, port);
        return new EmbeddedBroker(host, port, home, hivemq);
    }

    /** The URL clients connect to, e.g. "tcp://127.0.0.1:1883". */
    public String url() {
        return "tcp://" + host + ":" + port;
    }

    /** The TCP port the broker listens on. */
    public int port() {
        return port;
    }

    /** Stops the broker (disconnecting clients) and removes its temporary folders. Idempotent. */
    @Override
    public void close() {
        stopQuietly(hivemq, home);
        LOG.info("MQTT broker on {}:{} stopped", host, port);
    }

    private static void stopQuietly(EmbeddedHiveMQ hivemq, Path home) {
        try {
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("MQTT broker stop failed: {}", e.toString());
        }
        deleteTree(home);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete broker folder {}: {}", root, e.toString());
        }
    }

    static String configXml(String host, int port) {
        String safeHost = host.replace("&", "&amp;").replace("<", "&lt;");
        return "<?xml version=\"1.0\"?>\n<hivemq>\n"
                + "  <listeners>\n    <tcp-listener>\n      <port>" + port + "</port>\n"
                + "      <bind-address>" + safeHost + "</bind-address>\n    </tcp-listener>\n  </listeners>\n"
                + "  <persistence><mode>in-memory</mode></persistence>\n"
                + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "</hivemq>\n";
    }
}
