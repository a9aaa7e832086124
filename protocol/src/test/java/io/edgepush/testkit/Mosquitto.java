package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MQTT 5 broker (Eclipse Mosquitto) on 127.0.0.1 at a free port, anonymous access, no persistence unless
 * asked for ({@link #startPersistent()}: sessions, their subscriptions and queued QoS 1 messages, and retained
 * messages survive {@link #restart()}).
 * {@link #restart()} stops it and starts it again on the same port (to test reconnects); {@link #stop()} and
 * {@link #launch()} do the same in two steps, and {@link #prepare()} gives a broker that is not running yet (to
 * test clients that connect before the broker is up). {@link #startWith} adds listener options (TLS, mutual TLS,
 * a password file).
 */
public final class Mosquitto implements AutoCloseable {
    /** How long a start waits for the broker port. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path mosquitto;
    private final Path dir;
    private final int port;
    private final String scheme;
    private ManagedProcess process;

    private Mosquitto(Path mosquitto, Path dir, int port, String scheme) {
        this.mosquitto = mosquitto;
        this.dir = dir;
        this.port = port;
        this.scheme = scheme;
    }

    /**
     * Starts the broker and waits until it listens.
     *
     * @throws org.opentest4j.TestAbortedException if mosquitto is missing (see {@link Peers})
     */
    public static Mosquitto start() {
        Mosquitto broker = prepare();
        broker.launch();
        return broker;
    }

    /**
     * Picks a free port and writes the configuration without starting the broker: {@link #url()} is known at
     * once, {@link #launch()} starts it. The port is not held meanwhile (another process could take it).
     *
     * @throws org.opentest4j.TestAbortedException if mosquitto is missing (see {@link Peers})
     */
    public static Mosquitto prepare() {
        return prepare(false);
    }

    /**
     * Starts a broker that saves its state in its temp directory when stopped and loads it when launched again:
     * persistent sessions (Clean Start 0 with a Session Expiry Interval, MQTT 5.0 3.1.2.11.2) keep their
     * subscriptions and the QoS 1 messages queued for them across {@link #restart()}.
     *
     * @throws org.opentest4j.TestAbortedException if mosquitto is missing (see {@link Peers})
     */
    public static Mosquitto startPersistent() {
        Mosquitto broker = prepare(true);
        broker.launch();
        return broker;
    }

    /**
     * Starts a broker whose listener has the extra mosquitto.conf lines {@code listenerOptions} (e.g. TLS files
     * {@code cafile/certfile/keyfile}, {@code require_certificate true}, {@code password_file}); anonymous access
     * stays on unless they set {@code allow_anonymous}. {@link #url()} uses {@code scheme} ({@code "ssl"} for a TLS
     * listener). The files they name belong to the caller and must outlive the broker.
     *
     * @throws org.opentest4j.TestAbortedException if mosquitto is missing (see {@link Peers})
     */
    public static Mosquitto startWith(String scheme, String listenerOptions) {
        Mosquitto broker = prepare(false, scheme, listenerOptions);
        broker.launch();
        return broker;
    }

    private static Mosquitto prepare(boolean persistence) {
        return prepare(persistence, "tcp", "");
    }

    private static Mosquitto prepare(boolean persistence, String scheme, String listenerOptions) {
        Path mosquitto = Peers.require("mosquitto");
        Path dir = TempDirs.create("edgepush-mosquitto-");
        int port = FreePorts.tcp();
        String options = listenerOptions.isEmpty() || listenerOptions.endsWith("\n") ? listenerOptions
                : listenerOptions + "\n";
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
                    + options
                    + (options.contains("allow_anonymous") ? "" : "allow_anonymous true\n")
                    + (persistence ? "persistence true\npersistence_location " + dir + "/\n" : "persistence false\n")
                    + "user root\n"
                    + "log_dest stdout\n"
                    + "log_type all\n"
                    + "connection_messages true\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write mosquitto.conf in " + dir, e);
        }
        return new Mosquitto(mosquitto, dir, port, scheme);
    }

    /** The broker port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT} ({@code ssl://} for a TLS listener, see {@link #startWith}), the URL for Paho. */
    public String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    /** The broker's log so far (all log types, including connects and subscriptions); empty before the first launch. */
    public String log() {
        return process == null ? "" : process.log();
    }

    /** Stops the broker (clients see the connection drop) and starts it again on the same port. */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the broker if it runs (clients see the connection drop); {@link #launch()} starts it again on the same port. */
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Stops the broker if it runs and deletes its temp directory. */
    @Override
    public void close() {
        stop();
        TempDirs.delete(dir);
    }

    /**
     * Starts the broker (first time after {@link #prepare()}, or again after {@link #stop()}) and waits until it
     * listens; fails after {@link #START_TIMEOUT} with the broker's log.
     *
     * @throws IllegalStateException if the broker is already running
     */
    public void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mosquitto is already running on port " + port);
        }
        process = ManagedProcess.start("mosquitto", List.of(mosquitto.toString(), "-c",
                dir.resolve("mosquitto.conf").toString()), dir, dir.resolve("mosquitto.log"));
        try {
            process.waitForPort(port, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }
}
