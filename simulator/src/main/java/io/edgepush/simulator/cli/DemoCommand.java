package io.edgepush.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.simulator.demo.Demo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulator demo}: broker, cloud, ingest, agent and the config's cameras on one machine (DESIGN.md section
 * 6): on-command cameras get start/stop, motion_based ones see motion once and stream by themselves.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole chain locally (run from the repository root after 'make build').")
final class DemoCommand implements Callable<Integer> {
    /** The agent's defaults of streaming.pre_roll_sec and post_roll_sec (DESIGN.md config). */
    static final int DEFAULT_PRE_ROLL_SEC = 2, DEFAULT_POST_ROLL_SEC = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N",
            description = "streaming time; 0 = until Ctrl-C (default: env DEMO_SECONDS, else 30)")
    Integer seconds;

    @Option(names = "--agent-jar", paramLabel = "PATH", defaultValue = "agent/target/agent.jar",
            description = "the agent's jar (default ${DEFAULT-VALUE})")
    Path agentJar;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/demo.json",
            description = "agent config for the demo (default ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "recordings and agent.log (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "25", description = "camera frame rate")
    int fps;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.edgepush", "warn");
        int duration = seconds != null ? seconds : secondsFromEnv(System.getenv("DEMO_SECONDS"));
        Options.checkRange(spec, duration, 0, 86_400, "--seconds");
        Options.checkRange(spec, fps, 1, 240, "--fps");
        if (!Files.isRegularFile(agentJar)) {
            throw new ParameterException(spec.commandLine(), "--agent-jar " + agentJar + ": not found (working"
                    + " directory " + Path.of("").toAbsolutePath() + "); run from the repository root after"
                    + " 'make build', or pass --agent-jar PATH");
        }
        Demo.Options options = fromConfig(duration);
        PrintStream console = System.out;
        Demo demo = new Demo(options, console);
        Lifecycle life = new Lifecycle();
        life.add(() -> demo.requestStop(60_000));
        console.printf("demo: %s for %s, recordings in %s%n", cameras(options),
                duration == 0 ? "until Ctrl-C" : duration + " s", out);
        try {
            return demo.run();
        } catch (IOException e) {
            console.println("demo failed: " + e.getMessage());
            return 1;
        } finally {
            life.stop();
        }
    }

    /** "A and B (on command) and C (on motion)". */
    static String cameras(Demo.Options o) {
        List<String> commanded = o.deviceIds().stream().filter(id -> !o.motionDriven(id)).toList();
        List<String> parts = new ArrayList<>();
        if (!commanded.isEmpty()) {
            parts.add(String.join(" and ", commanded) + (o.motionDeviceIds().isEmpty() ? "" : " (on command)"));
        }
        if (!o.motionDeviceIds().isEmpty()) {
            parts.add(String.join(" and ", o.motionDeviceIds()) + " (on motion)");
        }
        return String.join(" and ", parts);
    }

    /** DEMO_SECONDS, or 30 when unset; a value that is not a whole number >= 0 is a usage error. */
    int secondsFromEnv(String env) {
        if (env == null || env.isBlank()) {
            return 30;
        }
        try {
            return Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(),
                    "environment DEMO_SECONDS='" + env + "' must be a whole number of seconds (0 = until Ctrl-C)");
        }
    }

    /** Broker port, camera ingest port and device ids from the agent config, so both sides agree. */
    private Demo.Options fromConfig(int duration) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--config " + config + ": " + e.getMessage());
        }
        int brokerPort = Demo.Options.DEFAULT_BROKER_PORT;
        String brokerUrl = root.path("mqtt").path("broker_url").asText("");
        if (!brokerUrl.isEmpty()) {
            brokerPort = URI.create(brokerUrl).getPort();
        }
        int cameraPort = Demo.Options.DEFAULT_CAMERA_INGEST_PORT;
        String listen = root.path("ingest").path("tcp_listen").asText("");
        if (!listen.isEmpty()) {
            cameraPort = Options.address(spec, listen, "--config " + config + " $.ingest.tcp_listen").port();
        }
        List<String> ids = new ArrayList<>();
        List<String> motionIds = new ArrayList<>();
        for (JsonNode c : root.path("cameras")) {
            String id = c.path("device_id").asText();
            ids.add(id);
            for (JsonNode s : c.path("streams")) {
                if (s.path("trigger").asText("").equals("motion_based") && !motionIds.contains(id)) {
                    motionIds.add(id);
                }
            }
        }
        if (brokerPort < 1 || ids.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--config " + config
                    + ": needs $.mqtt.broker_url tcp://HOST:PORT and at least one $.cameras[].device_id");
        }
        for (String id : ids) {
            Options.checkDeviceId(spec, id, "--config " + config + " $.cameras[].device_id");
        }
        String gatewayId = root.path("gateway_id").asText("");
        if (gatewayId.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--config " + config + ": $.gateway_id is missing");
        }
        JsonNode streaming = root.path("streaming");
        return new Demo.Options(duration, agentJar, config, gatewayId, out, brokerPort, cameraPort, ids, motionIds,
                streaming.path("pre_roll_sec").asInt(DEFAULT_PRE_ROLL_SEC),
                streaming.path("post_roll_sec").asInt(DEFAULT_POST_ROLL_SEC), Demo.Options.DEFAULT_INGEST_PORT, fps);
    }
}
