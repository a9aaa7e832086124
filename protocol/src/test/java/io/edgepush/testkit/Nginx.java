package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * nginx with the RTMP module as a real ingest server: listens on 127.0.0.1 at a free port, application
 * {@code live} with {@code live on} and {@code record all} into a temp directory, so a test can publish to
 * {@link #rtmpUrl(String)} and inspect the FLV recordings ({@link #recording(String)}, {@link #recordings(String)})
 * with {@link Ffprobe}.
 *
 * <p>Runs in the foreground without a master process (no worker user needed), everything (config, pid,
 * error log, recordings) in one temp prefix directory that is deleted on {@link #close()}: copy recordings
 * you need before closing. Like {@link Mosquitto} it can be {@link #prepare prepared} without running (its URL
 * is known, nothing listens: connections are refused), {@link #launch() launched}, {@link #stop() stopped} and
 * launched again on the same port; recordings and the error log survive a stop.
 */
public final class Nginx implements AutoCloseable {
    /** How long {@link #launch()} waits for the RTMP port. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    /** How nginx names its recordings. */
    public enum Recording {
        /** {@code record_unique off}: {@code NAME.flv}; each publish of NAME truncates and rewrites it. */
        ONE_FILE_PER_NAME,
        /**
         * {@code record_unique on}: {@code run-N/NAME-UNIXSECONDS.flv}, one file per publish, in a folder per
         * {@link #launch()} (N = 1, 2, ...) so publishes in different runs never share a file. Two publishes of one
         * name in the same second of one run do share one: nginx truncates it for the second, even for a publish
         * it then refuses.
         */
        ONE_FILE_PER_PUBLISH,
        /** {@code record off}: nothing is written; nginx is a sink that discards (benchmarks). */
        NONE
    }

    private static final Pattern UNIQUE_SUFFIX = Pattern.compile("-(\\d+)\\.flv$");
    private static final Pattern RUN_DIR = Pattern.compile("run-(\\d+)");

    private final Path nginx;
    private final Path prefix;
    private final Path recordDir;
    private final int port;
    private final Recording recording;
    private ManagedProcess process;
    private int runs;

    private Nginx(Path nginx, Path prefix, Path recordDir, int port, Recording recording) {
        this.nginx = nginx;
        this.prefix = prefix;
        this.recordDir = recordDir;
        this.port = port;
        this.recording = recording;
    }

    /**
     * Starts nginx-rtmp recording one file per stream name and waits until its RTMP port listens.
     *
     * @throws org.opentest4j.TestAbortedException if nginx or the RTMP module is missing (see {@link Peers})
     * @throws org.opentest4j.AssertionFailedError if it does not come up (message has nginx's log)
     */
    public static Nginx start() {
        return start(Recording.ONE_FILE_PER_NAME);
    }

    /** As {@link #start()}, naming recordings as {@code recording} says. */
    public static Nginx start(Recording recording) {
        Nginx started = prepare(recording);
        try {
            started.launch();
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * Picks a free port without starting nginx (each launch writes the configuration): {@link #rtmpUrl(String)} is
     * known at once (a connect to it is refused), {@link #launch()} starts it. The port is not held meanwhile.
     *
     * @throws org.opentest4j.TestAbortedException if nginx or the RTMP module is missing (see {@link Peers})
     */
    public static Nginx prepare(Recording recording) {
        Path nginx = Peers.requireNginxRtmp();
        Path prefix = TempDirs.create("edgepush-nginx-");
        Path recordDir = prefix.resolve("record");
        int port = FreePorts.tcp();
        try {
            Files.createDirectories(recordDir);
            Files.createDirectories(prefix.resolve("logs"));
        } catch (IOException e) {
            TempDirs.delete(prefix);
            throw new UncheckedIOException("cannot create nginx directories in " + prefix, e);
        }
        return new Nginx(nginx, prefix, recordDir, port, recording);
    }

    static String config(Path prefix, Path recordDir, int port, Path errorLog, boolean recordUnique, boolean record) {
        return "load_module " + Peers.NGINX_RTMP_MODULE + ";\n"
                + "daemon off;\n"
                + "master_process off;\n"
                + "worker_processes 1;\n"
                + "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "error_log " + errorLog + " info;\n"
                + "events { worker_connections 1024; }\n"
                + "rtmp {\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + ";\n"
                + "    chunk_size 4096;\n"
                + "    application live {\n"
                + "      live on;\n"
                + (record ? "      record all;\n"
                + "      record_path " + recordDir + ";\n"
                + "      record_unique " + (recordUnique ? "on" : "off") + ";\n" : "      record off;\n")
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * Starts nginx (first time after {@link #prepare}, or again after {@link #stop()}, on the same port) and waits
     * until it listens; fails after {@link #START_TIMEOUT} with nginx's error log.
     *
     * @throws IllegalStateException if nginx is already running
     */
    public void launch() {
        if (isRunning()) {
            throw new IllegalStateException("nginx is already running on port " + port);
        }
        runs++;
        boolean perPublish = recording == Recording.ONE_FILE_PER_PUBLISH;
        Path recordPath = perPublish ? recordDir.resolve("run-" + runs) : recordDir;
        try {
            Files.createDirectories(recordPath);
            Files.writeString(prefix.resolve("nginx.conf"),
                    config(prefix, recordPath, port, prefix.resolve("error.log"), perPublish, recording != Recording.NONE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write nginx config in " + prefix, e);
        }
        process = ManagedProcess.start("nginx", List.of(nginx.toString(),
                "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
                "-e", prefix.resolve("error.log").toString()), prefix, prefix.resolve("stdout.log"));
        try {
            process.waitForPort(port, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            e.addSuppressed(new IllegalStateException("nginx error.log:\n" + errorLog()));
            process.close();
            throw e;
        }
    }

    /**
     * Stops nginx if it runs (SIGTERM, then SIGKILL): publishers see their connection close, new connects are
     * refused. Recordings and the error log stay; {@link #launch()} starts it again on the same port.
     */
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Stops nginx and starts it again on the same port. */
    public void restart() {
        stop();
        launch();
    }

    /** Whether nginx runs (launched and not stopped or dead). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * The process id of the running nginx (to signal it, e.g. SIGSTOP/SIGCONT to freeze it).
     *
     * @throws IllegalStateException if nginx is not running
     */
    public long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("nginx is not running on port " + port);
        }
        return process.pid();
    }

    /** The RTMP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code rtmp://127.0.0.1:PORT/live/NAME}: the URL to publish stream {@code name} to. */
    public String rtmpUrl(String name) {
        return "rtmp://127.0.0.1:" + port + "/live/" + name;
    }

    /** Directory nginx records into ({@link Recording#ONE_FILE_PER_PUBLISH}: one {@code run-N} folder per launch). */
    public Path recordDir() {
        return recordDir;
    }

    /** {@code recordDir/NAME.flv}: where nginx records stream {@code name} with {@link Recording#ONE_FILE_PER_NAME}. */
    public Path recording(String name) {
        return recordDir.resolve(name + ".flv");
    }

    /**
     * The non-empty recordings of stream {@code name} so far ({@code NAME.flv}, {@code run-N/NAME-UNIXSECONDS.flv}),
     * oldest first (by run, then by the seconds in the name). nginx creates a file even for a publish it refuses (e.g.
     * "Already publishing") and leaves it empty: empty files are left out. A file may still be growing while its
     * publish lasts (see {@link #awaitRecordingsClosed}).
     */
    public List<Path> recordings(String name) {
        try (Stream<Path> files = Files.walk(recordDir, 2)) {
            return files.filter(f -> isRecordingOf(f.getFileName().toString(), name) && sizeOf(f) > 0)
                    .sorted(Comparator.comparingLong(Nginx::runOf).thenComparingLong(Nginx::uniqueSeconds)
                            .thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + recordDir, e);
        }
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

    /**
     * Waits until {@code name} has at least {@code count} non-empty recordings ({@link #recordings}) and nginx
     * holds none of them open.
     *
     * @return the recordings, oldest first
     */
    public List<Path> awaitRecordingsClosed(String name, int count, Duration timeout) {
        Await.until(() -> {
            List<Path> files = recordings(name);
            return files.size() >= count && files.stream().noneMatch(this::holdsOpen);
        }, timeout, () -> count + " closed recordings of " + name + " in " + recordDir + ", have " + recordings(name)
                + "; error.log:\n" + errorLog());
        return recordings(name);
    }

    /** Contents of nginx's error log over all runs (level info: connects, publishes, record events). */
    public String errorLog() {
        try {
            Path log = prefix.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nginx error.log", e);
        }
    }

    /**
     * How many times a client sent {@code publish} for stream {@code name} over all runs (error log lines
     * {@code publish: name='NAME'}), whether nginx accepted it or not.
     */
    public int publishCount(String name) {
        return countLines("publish: name='" + name + "'");
    }

    /** How many publishes nginx refused with "Already publishing" (NetStream.Publish.BadName), over all runs. */
    public int alreadyPublishingCount() {
        return countLines("live: already publishing");
    }

    /** Stops nginx (SIGTERM, then SIGKILL) and deletes the prefix directory with its recordings. */
    @Override
    public void close() {
        stop();
        TempDirs.delete(prefix);
    }

    private int countLines(String text) {
        return (int) errorLog().lines().filter(line -> line.contains(text)).count();
    }

    private static boolean isRecordingOf(String fileName, String name) {
        return fileName.equals(name + ".flv")
                || fileName.startsWith(name + "-") && fileName.substring(name.length() + 1).matches("\\d+\\.flv");
    }

    private static long runOf(Path file) {
        Matcher m = RUN_DIR.matcher(file.getParent().getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long uniqueSeconds(Path file) {
        Matcher m = UNIQUE_SUFFIX.matcher(file.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean holdsOpen(Path file) {
        if (!isRunning()) {
            return false;
        }
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
            if (!isRunning()) {
                return false;
            }
            throw new UncheckedIOException("cannot list open files of nginx in " + fds, e);
        }
    }
}
