package io.edgepush.simulator.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent as a child process ({@code java -jar AGENT.jar run --config FILE}), output appended to a log file.
 * {@link #close()} sends SIGTERM, waits, then kills.
 */
final class AgentProcess implements AutoCloseable {
    static final long STOP_GRACE_SEC = 15;

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** @throws IOException if the JVM cannot be started */
    static AgentProcess start(Path agentJar, Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-jar", agentJar.toString(), "run", "--config",
                config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new AgentProcess(p, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Exit status, or null while running. */
    Integer exitStatus() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** The last {@code lines} lines of the agent's log. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM, wait up to {@value #STOP_GRACE_SEC} s, then SIGKILL.
     *
     * @return the exit status (137-style values after a kill)
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE_SEC, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
