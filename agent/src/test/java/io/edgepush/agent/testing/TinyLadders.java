package io.edgepush.agent.testing;

import io.edgepush.simulator.camera.ClipLadder;
import io.edgepush.simulator.camera.LadderRung;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * Tiny clip ladders for agent tests, made by {@code scripts/make-ladder.sh} (ffmpeg with libx264, the flags of the
 * default ladder: an IDR every second aligned in every rung, 2 non-reference B-frames, near-CBR). The same idea as
 * the simulator's test helper TinyLadder, whose test classes are not on the agent's classpath. Needs bash, ffmpeg
 * and ffprobe: a test calling {@link #make} is skipped without them, or fails with REQUIRE_PEERS=1 ({@link Peers}).
 */
public final class TinyLadders {
    private TinyLadders() {
    }

    /**
     * Runs make-ladder.sh for {@code rungs} of a {@code seconds} scene into {@code dir} and loads the ladder.
     *
     * @param dir a directory of its own (created if missing; make-ladder.sh keeps rungs already there)
     */
    public static ClipLadder make(Path dir, int seconds, LadderRung... rungs) {
        Path bash = Peers.require("bash");
        Peers.require("ffmpeg");
        Peers.require("ffprobe");
        List<String> command = new ArrayList<>(List.of(bash.toString(), script().toString(), dir.toString(),
                String.valueOf(seconds)));
        for (LadderRung r : rungs) {
            command.add(r.width() + "x" + r.height() + ":" + r.fps() + ":" + r.bitrateBps() / 1000);
        }
        Processes.run(command, Duration.ofSeconds(120)).requireSuccess();
        try {
            return ClipLadder.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("ladder made by make-ladder.sh in " + dir + " does not load", e);
        }
    }

    /** scripts/make-ladder.sh, found from the working directory (the module's) upwards. */
    static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts").resolve("make-ladder.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Assertions.fail("scripts/make-ladder.sh not found above " + Path.of("").toAbsolutePath());
    }
}
