package io.edgepush.agent.trigger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The clips of scripts/make-motion-clips.sh ({@code static}, {@code moving}, {@code light}), made once per JVM under
 * {@code target/motion-clips/RC} and kept there. Needs bash and ffmpeg: skipped without them, or failing with
 * REQUIRE_PEERS=1 ({@link Peers}).
 */
public final class MotionClips {
    private static final Set<String> MADE = new HashSet<>();

    private MotionClips() {
    }

    /**
     * The clip {@code name} ({@code static}, {@code moving} or {@code light}) of rate control {@code rc}
     * ({@code cbr} or {@code vbr}), made on first use.
     */
    public static synchronized Path clip(String rc, String name) {
        Path dir = Path.of("target", "motion-clips", rc);
        if (MADE.add(rc)) {
            Path bash = Peers.require("bash");
            Peers.require("ffmpeg");
            Processes.run(List.of(bash.toString(), script().toString(), dir.toString(), rc),
                    Duration.ofSeconds(120)).requireSuccess();
        }
        Path file = dir.resolve(name + ".h264");
        assertTrue(Files.isRegularFile(file), "make-motion-clips.sh did not write " + file);
        return file;
    }

    /** scripts/make-motion-clips.sh, found from the working directory (the module's) upwards. */
    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts").resolve("make-motion-clips.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("scripts/make-motion-clips.sh not found above " + Path.of("").toAbsolutePath());
    }
}
