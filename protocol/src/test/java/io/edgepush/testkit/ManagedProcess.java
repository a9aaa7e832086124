package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/**
 * A long-running child process (nginx, mosquitto, ffmpeg, a simulator jar) whose stdout and stderr go to one
 * log file. {@link #close()} stops it: SIGTERM, then SIGKILL after 5 s, children included. A JVM shutdown hook
 * kills whatever is still running, so no process outlives the test JVM.
 */
public final class ManagedProcess implements AutoCloseable {
    /** Grace period between SIGTERM and SIGKILL in {@link #close()}. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_CHARS = 4000;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ManagedProcess::kill),
                "edgepush-testkit-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final Process process;

    private ManagedProcess(String name, List<String> command, Path logFile, Process process) {
        this.name = name;
        this.command = command;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code command} in {@code workDir} with stdin from /dev/null, stdout and stderr appended to
     * {@code logFile}.
     *
     * @param name short name for messages ("nginx", "mosquitto")
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path logFile) {
        return start(name, command, workDir, logFile, java.util.Map.of());
    }

    /**
     * As {@link #start(String, List, Path, Path)}, with {@code environment} added to (or replacing variables of) this
     * JVM's environment.
     */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path logFile,
                                       java.util.Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LIVE.add(process);
            return new ManagedProcess(name, List.copyOf(command), logFile, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** Operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file that receives stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Everything the process has written so far (UTF-8, malformed bytes replaced). */
    public String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
    }

    /**
     * Waits until something listens on TCP {@code port} (checked without connecting, see
     * {@link FreePorts#isListening(int)}).
     *
     * @throws org.opentest4j.AssertionFailedError on timeout or if the process exits first (message has the log)
     */
    public ManagedProcess waitForPort(int port, Duration timeout) {
        return waitWhileAlive(() -> FreePorts.isListening(port), timeout, "TCP port " + port + " to listen");
    }

    /** Waits until the log contains {@code text}; fails on timeout or if the process exits first. */
    public ManagedProcess waitForLogLine(String text, Duration timeout) {
        return waitWhileAlive(() -> log().contains(text), timeout, "log line containing \"" + text + "\"");
    }

    /**
     * Waits for the process to exit on its own.
     *
     * @return the exit status
     * @throws org.opentest4j.AssertionFailedError on timeout (the process keeps running until {@link #close()})
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Assertions.fail("timed out after " + Await.seconds(timeout) + "s waiting for: " + name
                        + " to exit; log tail:\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** Last few thousand characters of the log, for failure messages. */
    public String logTail() {
        String log = log();
        return log.length() <= LOG_TAIL_CHARS ? log : "..." + log.substring(log.length() - LOG_TAIL_CHARS);
    }

    /** Stops the process and its children: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. Idempotent. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }

    private ManagedProcess waitWhileAlive(BooleanSupplier condition, Duration timeout, String what) {
        Await.until(() -> condition.getAsBoolean() || !process.isAlive(), timeout,
                () -> what + " from " + this + "; log tail:\n" + logTail());
        if (!condition.getAsBoolean()) {
            Assertions.fail(name + " exited with status " + process.exitValue() + " before " + what
                    + "; command: " + String.join(" ", command) + "; log tail:\n" + logTail());
        }
        return this;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
