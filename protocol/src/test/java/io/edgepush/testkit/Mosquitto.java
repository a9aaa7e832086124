package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MQTT 5 broker (Eclipse Mosquitto) on 127.0.0.1 at a free port, anonymous access, no persistence.
 * {@link #restart()} stops it and starts it again on the same port (to test reconnects).
 */
public final class Mosquitto implements AutoCloseable {
    /** How long a start waits for the broker port. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path mosquitto;
    private final Path dir;
    private final int port;
    private ManagedProcess process;

    private Mosquitto(Path mosquitto, Path dir, int port) {
        this.mosquitto = mosquitto;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts the broker and waits until it listens.
     *
     * @throws org.opentest4j.TestAbortedException if mosquitto is missing (see {@link Peers})
     */
    public static Mosquitto start() {
        Path mosquitto = Peers.require("mosquitto");
        Path dir = TempDirs.create("edgepush-mosquitto-");
        int port = FreePorts.tcp();
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
                    + "allow_anonymous true\n"
                    + "persistence false\n"
                    + "user root\n"
                    + "log_dest stdout\n"
                    + "log_type all\n"
                    + "connection_messages true\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write mosquitto.conf in " + dir, e);
        }
        Mosquitto broker = new Mosquitto(mosquitto, dir, port);
        broker.launch();
        return broker;
    }

    /** The broker port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}, the broker URL for Paho. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The broker's log so far (all log types, including connects and subscriptions). */
    public String log() {
        return process.log();
    }

    /** Stops the broker (clients see the connection drop) and starts it again on the same port. */
    public void restart() {
        process.close();
        launch();
    }

    /** Stops the broker and deletes its temp directory. */
    @Override
    public void close() {
        process.close();
        TempDirs.delete(dir);
    }

    private void launch() {
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
