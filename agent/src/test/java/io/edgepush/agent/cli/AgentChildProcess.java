package io.edgepush.agent.cli;

import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code agent run --config FILE} as a real child JVM, started from the test classpath
 * ({@code java -cp <java.class.path> io.edgepush.agent.cli.AgentMain run --config FILE}; the agent jar is not
 * built while surefire runs), output in {@code agent.log} next to the config. {@link #terminate()} sends SIGTERM;
 * {@link #close()} stops it as {@link ManagedProcess#close()} does (SIGTERM, SIGKILL after 5 s).
 */
public final class AgentChildProcess implements AutoCloseable {
    /** How long the child JVM may take to start and listen for cameras (a busy build machine is slow). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(45);

    private final ManagedProcess process;

    private AgentChildProcess(ManagedProcess process) {
        this.process = process;
    }

    /**
     * Writes {@code configJson} to {@code dir/agent.json}, starts the agent and waits until it listens on
     * {@code cameraPort} (which the config must name in {@code ingest.tcp_listen}).
     */
    static AgentChildProcess start(Path dir, String configJson, int cameraPort) {
        return start(dir, configJson, cameraPort, Map.of());
    }

    /** As {@link #start(Path, String, int)}, with {@code environment} added to the child's environment. */
    static AgentChildProcess start(Path dir, String configJson, int cameraPort, Map<String, String> environment) {
        return start(dir, configJson, cameraPort, environment, List.of());
    }

    /**
     * As {@link #start(Path, String, int)}, with {@code jvmOptions} (e.g. {@code -Dio.netty.leakDetection.level=
     * paranoid}) added before the main class.
     */
    public static AgentChildProcess start(Path dir, String configJson, int cameraPort, List<String> jvmOptions) {
        return start(dir, configJson, cameraPort, Map.of(), jvmOptions);
    }

    private static AgentChildProcess start(Path dir, String configJson, int cameraPort,
            Map<String, String> environment, List<String> jvmOptions) {
        Path config = dir.resolve("agent.json");
        try {
            Files.writeString(config, configJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), "run", "--config", config.toString()));
        ManagedProcess process = ManagedProcess.start("agent", command, dir, dir.resolve("agent.log"), environment);
        try {
            process.waitForPort(cameraPort, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
        return new AgentChildProcess(process);
    }

    /** Sends SIGTERM ({@link ProcessHandle#destroy()}, as a supervisor such as systemd does). */
    void terminate() {
        ProcessHandle.of(process.pid()).orElseThrow(() -> new AssertionError("agent exited early:\n" + log()))
                .destroy();
    }

    /** Sends SIGKILL (a hard death: no shutdown hook, no clean MQTT disconnect) and waits for the exit. */
    void kill() {
        signal(process.pid(), "KILL");
        process.awaitExit(Duration.ofSeconds(10));
    }

    /** Sends {@code SIG<name>} to process {@code pid} with kill(1). */
    static void signal(long pid, String name) {
        Processes.run(List.of("kill", "-" + name, Long.toString(pid)), Duration.ofSeconds(10)).requireSuccess();
    }

    /** Waits for the exit; fails (with the log tail) after {@code timeout}. @return the exit status */
    public int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the agent logged so far. */
    public String log() {
        return process.log();
    }

    /** Stops the agent as {@link ManagedProcess#close()} does (SIGTERM, SIGKILL after 5 s). */
    @Override
    public void close() {
        process.close();
    }
}
