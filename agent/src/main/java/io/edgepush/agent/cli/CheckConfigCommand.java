package io.edgepush.agent.cli;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigException;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.mqtt.MqttTls;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code agent check-config FILE} (DESIGN.md section 6): loads and checks a config exactly as {@code run} does (the
 * JSON Schema, then the agent's own checks, secrets from the environment or files resolved, MQTT TLS files parsed)
 * and starts nothing: no socket, no MQTT connection, no camera. Prints {@code config OK: FILE (N cameras, M streams)}
 * to stdout and exits 0, or prints {@code config error in FILE: <json path>: <problem>} (one problem per line) to
 * stderr and exits 2, also for a missing or unreadable file and for invalid JSON.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a config file as 'run' would, without starting anything: exit 0, or 2 naming the JSON"
                + " path of each problem.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "agent config (JSON)")
    Path file;

    @Override
    public Integer call() {
        AgentConfig config;
        try {
            config = load(file);
        } catch (ConfigException e) {
            System.err.println("config error in " + file + ": " + e.getMessage());
            return AgentMain.EXIT_USAGE;
        }
        int streams = config.cameras().stream().mapToInt(c -> c.streams().size()).sum();
        System.out.println("config OK: " + file + " (" + config.cameras().size() + " cameras, " + streams
                + " streams)");
        return 0;
    }

    /**
     * The checks {@code run} makes before it starts anything: {@link ConfigLoader#load(Path)} (schema, own checks,
     * secrets) and {@link MqttTls#check} (the MQTT TLS files parse). Shared by {@code run} and {@code check-config}.
     *
     * @throws ConfigException naming the JSON path of what is wrong (the agent exits 2)
     */
    static AgentConfig load(Path file) throws ConfigException {
        AgentConfig config = ConfigLoader.load(file);
        MqttTls.check(config.mqtt().tls());
        return config;
    }
}
