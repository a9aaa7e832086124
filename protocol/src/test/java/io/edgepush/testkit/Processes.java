package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/** One-shot commands (ffprobe, ffmpeg, sh) run to completion with a deadline; see {@link ManagedProcess}. */
public final class Processes {
    /** Default deadline of {@link #run(List)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Processes() {
    }

    /** Outcome of a finished command: exit status, standard output and standard error as UTF-8 text. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Returns this result if the exit code is 0, else fails the test naming the command and its stderr. */
        public Result requireSuccess() {
            if (exitCode != 0) {
                Assertions.fail("command " + String.join(" ", command) + " exited with " + exitCode + ": " + stderr);
            }
            return this;
        }
    }

    /** Runs {@code command} in the current directory with {@link #DEFAULT_TIMEOUT}. */
    public static Result run(List<String> command) {
        return run(command, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code command} (no stdin), capturing stdout and stderr to temp files, and waits for it.
     *
     * @throws org.opentest4j.AssertionFailedError if it does not finish within {@code timeout} (it is killed)
     */
    public static Result run(List<String> command, Duration timeout) {
        Path dir = TempDirs.create("edgepush-run-");
        Process process = null;
        try {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Assertions.fail("timed out after " + Await.seconds(timeout) + "s waiting for: command "
                        + String.join(" ", command) + " to finish");
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            TempDirs.delete(dir);
        }
    }

    /** Starts a long-running process; shorthand for {@link ManagedProcess#start(String, List, Path, Path)}. */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path logFile) {
        return ManagedProcess.start(name, command, workDir, logFile);
    }
}
