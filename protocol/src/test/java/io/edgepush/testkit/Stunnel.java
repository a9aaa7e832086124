package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A TLS terminating proxy (stunnel) on a free 127.0.0.1 port in front of a plain TCP service, e.g. nginx-rtmp, so
 * tests can publish {@code rtmps://localhost:PORT/...}. On start it generates ({@link TestCertificates}) a throwaway CA
 * and a server certificate signed by it (subjectAltName DNS:localhost, IP:127.0.0.1; EC P-256; valid 2 days) in its temp
 * directory; {@link #caFile()} is the CA certificate (PEM) a client should trust. {@link #close()} stops stunnel
 * and deletes the directory.
 *
 * <p>Needs {@code stunnel4} (Debian installs both {@code stunnel4} and {@code stunnel}) and {@code openssl}; a
 * missing one skips the test, or fails it under REQUIRE_PEERS=1 ({@link Peers}).
 */
public final class Stunnel implements AutoCloseable {
    /** How long {@link #start(int)} waits for the TLS port. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final ManagedProcess process;

    private Stunnel(Path dir, int port, ManagedProcess process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Generates the CA and server certificate and starts stunnel forwarding decrypted traffic to
     * 127.0.0.1:{@code targetPort}.
     */
    public static Stunnel start(int targetPort) {
        Path stunnel = executable();
        Peers.require("openssl");
        Path dir = TempDirs.create("edgepush-stunnel-");
        try {
            TestCertificates.Issued server = TestCertificates.create(dir, "edgepush test CA").server("server");
            int port = FreePorts.tcp();
            Files.writeString(dir.resolve("stunnel.conf"), "foreground = yes\n"
                    + "pid =\n"
                    + "debug = 5\n"
                    + "[rtmps]\n"
                    + "accept = 127.0.0.1:" + port + "\n"
                    + "connect = 127.0.0.1:" + targetPort + "\n"
                    + "cert = " + server.cert() + "\n"
                    + "key = " + server.key() + "\n");
            ManagedProcess process = ManagedProcess.start("stunnel", List.of(stunnel.toString(),
                    dir.resolve("stunnel.conf").toString()), dir, dir.resolve("stunnel.log"));
            Stunnel started = new Stunnel(dir, port, process);
            try {
                process.waitForPort(port, START_TIMEOUT);
            } catch (RuntimeException | Error e) {
                e.addSuppressed(new IllegalStateException("stunnel log:\n" + process.logTail()));
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            TempDirs.delete(dir);
            throw new UncheckedIOException("cannot set up stunnel in " + dir, e);
        }
    }

    private static Path executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        Optional<Path> found = Peers.findOnPath("stunnel4", path).or(() -> Peers.findOnPath("stunnel", path));
        return found.orElseGet(() -> Peers.require("stunnel4"));
    }

    /** The TLS port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The generated CA certificate (PEM) that signed the server certificate. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** stunnel's log (connections, TLS errors). */
    public String log() {
        return process.log();
    }

    /** Stops stunnel and deletes the certificates. */
    @Override
    public void close() {
        process.close();
        TempDirs.delete(dir);
    }
}
