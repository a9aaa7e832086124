package io.edgepush.agent.bench;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the benchmark finds what it runs: the repository root, the agent as shipped (the packaged launcher
 * {@code out/package/edgepush-VERSION/bin/edge-agent} that {@code make package} builds, with its JVM flags; else
 * the agent from the test classpath), the simulator jar, and the clip: 10 s of 1080p30 H.264 at about 4 Mbps (the
 * {@code ultra} preset, DESIGN.md section 4), made once by {@code scripts/make-bench-clip.sh} into
 * {@code OUT/clip.h264}, and the same frames in {@code OUT/clip.mp4} for ffmpeg (which cannot loop a raw .h264 input).
 */
record BenchSetup(Path root, Path out, List<String> agentCommand, String agentFlags, Path simulatorJar, Path clip,
                  Path clipMp4) {

    /**
     * @param out folder for the clip, configs and logs (created)
     * @param packaged true: the agent as {@code make package} built it (required); false: the agent from this test
     *                 JVM's classpath with no extra JVM flags ({@code make test} runs before the jars are packaged)
     * @throws IllegalStateException when the package or the simulator jar is missing
     */
    static BenchSetup prepare(Path out, boolean packaged) {
        Path root = repoRoot();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path simulator = root.resolve("simulator/target/simulator.jar");
        if (!Files.isRegularFile(simulator)) {
            throw new IllegalStateException("build the simulator first (make build): " + simulator);
        }
        List<String> agent;
        String flags;
        if (packaged) {
            Path launcher = packagedLauncher(root);
            if (launcher == null) {
                throw new IllegalStateException("no out/package/*/bin/edge-agent: run make package first");
            }
            agent = List.of(launcher.toString());
            flags = launcherFlags(launcher);
        } else {
            agent = List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                    io.edgepush.agent.cli.AgentMain.class.getName());
            flags = "(none: the agent from the test classpath)";
        }
        Path clip = out.resolve("clip.h264");
        Path mp4 = out.resolve("clip.mp4");
        makeClip(root, clip, mp4);
        return new BenchSetup(root, out, agent, flags, simulator, clip, mp4);
    }

    /** The agent's command line for {@code run --config FILE}. */
    List<String> agentRun(Path config) {
        List<String> command = new ArrayList<>(agentCommand);
        command.addAll(List.of("run", "--config", config.toString()));
        return command;
    }

    /** {@code simulator cameras}: {@code count} looping cameras PREFIX001.. at 30 fps to {@code port}. */
    List<String> cameras(String prefix, int count, int port) {
        return List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", simulatorJar.toString(),
                "cameras", "--clip", clip.toString(), "--connect", "tcp://127.0.0.1:" + port, "--count",
                Integer.toString(count), "--fps", "30", "--id-prefix", prefix);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("Makefile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no Makefile above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static Path packagedLauncher(Path root) {
        Path packages = root.resolve("out/package");
        if (!Files.isDirectory(packages)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(packages)) {
            return dirs.map(d -> d.resolve("bin/edge-agent")).filter(Files::isExecutable).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The JVM options the launcher passes (its flags array), for the report. */
    private static String launcherFlags(Path launcher) {
        try {
            List<String> flags = new ArrayList<>();
            for (String line : Files.readAllLines(launcher)) {
                String t = line.trim();
                if (t.startsWith("-X") || t.startsWith("-D")) {
                    flags.add(t);
                }
            }
            return String.join(" ", flags) + (Files.exists(launcher.resolveSibling("../lib/edge-agent.jsa"))
                    ? " -XX:SharedArchiveFile=lib/edge-agent.jsa" : "");
        } catch (IOException e) {
            return "(unreadable launcher)";
        }
    }

    /** {@code scripts/make-bench-clip.sh}: makes the clip and its MP4 twin once (kept between runs). */
    private static void makeClip(Path root, Path clip, Path mp4) {
        Peers.require("ffmpeg");
        Processes.run(List.of("bash", root.resolve("scripts/make-bench-clip.sh").toString(), clip.toString(),
                mp4.toString()), java.time.Duration.ofMinutes(3)).requireSuccess();
    }
}
