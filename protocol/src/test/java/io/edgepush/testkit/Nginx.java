package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * nginx with the RTMP module as a real ingest server: listens on 127.0.0.1 at a free port, application
 * {@code live} with {@code live on} and {@code record all} into a temp directory, so a test can publish to
 * {@link #rtmpUrl(String)} and inspect {@link #recording(String)} (an FLV file) with {@link Ffprobe}.
 *
 * <p>Runs in the foreground without a master process (no worker user needed), everything (config, pid,
 * error log, recordings) in one temp prefix directory that is deleted on {@link #close()}: copy recordings
 * you need before closing.
 */
public final class Nginx implements AutoCloseable {
    /** How long {@link #start()} waits for the RTMP port. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path prefix;
    private final Path recordDir;
    private final int port;
    private final ManagedProcess process;

    private Nginx(Path prefix, Path recordDir, int port, ManagedProcess process) {
        this.prefix = prefix;
        this.recordDir = recordDir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts nginx-rtmp and waits until its RTMP port listens.
     *
     * @throws org.opentest4j.TestAbortedException if nginx or the RTMP module is missing (see {@link Peers})
     * @throws org.opentest4j.AssertionFailedError if it does not come up (message has nginx's log)
     */
    public static Nginx start() {
        Path nginx = Peers.requireNginxRtmp();
        Path prefix = TempDirs.create("edgepush-nginx-");
        Path recordDir = prefix.resolve("record");
        int port = FreePorts.tcp();
        Path errorLog = prefix.resolve("error.log");
        try {
            Files.createDirectories(recordDir);
            Files.createDirectories(prefix.resolve("logs"));
            Files.writeString(prefix.resolve("nginx.conf"), config(prefix, recordDir, port, errorLog));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write nginx config in " + prefix, e);
        }
        ManagedProcess process = ManagedProcess.start("nginx", List.of(nginx.toString(),
                "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-e", errorLog.toString()),
                prefix, prefix.resolve("stdout.log"));
        Nginx started = new Nginx(prefix, recordDir, port, process);
        try {
            process.waitForPort(port, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            e.addSuppressed(new IllegalStateException("nginx error.log:\n" + started.errorLog()));
            started.close();
            throw e;
        }
        return started;
    }

    static String config(Path prefix, Path recordDir, int port, Path errorLog) {
        return "load_module " + Peers.NGINX_RTMP_MODULE + ";\n"
                + "daemon off;\n"
                + "master_process off;\n"
                + "worker_processes 1;\n"
                + "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "error_log " + errorLog + " info;\n"
                + "events { worker_connections 128; }\n"
                + "rtmp {\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + ";\n"
                + "    chunk_size 4096;\n"
                + "    application live {\n"
                + "      live on;\n"
                + "      record all;\n"
                + "      record_path " + recordDir + ";\n"
                + "      record_unique off;\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /** The RTMP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code rtmp://127.0.0.1:PORT/live/NAME}: the URL to publish stream {@code name} to. */
    public String rtmpUrl(String name) {
        return "rtmp://127.0.0.1:" + port + "/live/" + name;
    }

    /** Directory nginx records into. */
    public Path recordDir() {
        return recordDir;
    }

    /** {@code recordDir/NAME.flv}: where nginx records stream {@code name} (may not exist yet). */
    public Path recording(String name) {
        return recordDir.resolve(name + ".flv");
    }

    /**
     * Waits until the recording of {@code name} exists and nginx no longer holds it open (nginx closes it
     * when the publisher unpublishes or disconnects). Checks nginx's open files in /proc/PID/fd (Linux).
     *
     * @return the path of the finished FLV recording
     */
    public Path awaitRecordingClosed(String name, Duration timeout) {
        Path file = recording(name);
        Await.until(() -> Files.exists(file) && !holdsOpen(file), timeout,
                () -> "nginx to close recording " + file + "; error.log:\n" + errorLog());
        return file;
    }

    /** Contents of nginx's error log (level info: connects, publishes, record events). */
    public String errorLog() {
        try {
            Path log = prefix.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nginx error.log", e);
        }
    }

    /** Stops nginx (SIGTERM, then SIGKILL) and deletes the prefix directory with its recordings. */
    @Override
    public void close() {
        process.close();
        TempDirs.delete(prefix);
    }

    private boolean holdsOpen(Path file) {
        Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
        try (Stream<Path> entries = Files.list(fds)) {
            return entries.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list open files of nginx in " + fds, e);
        }
    }
}
