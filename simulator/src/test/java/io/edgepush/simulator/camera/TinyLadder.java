package io.edgepush.simulator.camera;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * A tiny clip ladder made by {@code scripts/make-ladder.sh} (ffmpeg with libx264, the same flags as the default
 * ladder) for tests: three rungs of a {@value #SECONDS} s scene, keyframes every second. Needs bash, ffmpeg and
 * ffprobe: a test calling {@link #make} is skipped without them, or fails with REQUIRE_PEERS=1 ({@link Peers}).
 */
public final class TinyLadder {
    /** Scene length, seconds. */
    public static final int SECONDS = 3;
    public static final LadderRung HIGH = new LadderRung(192, 144, 20, 400_000);
    public static final LadderRung MID = new LadderRung(160, 120, 20, 250_000);
    public static final LadderRung LOW = new LadderRung(128, 96, 10, 150_000);

    private TinyLadder() {
    }

    /** Makes {@link #HIGH}, {@link #MID} and {@link #LOW} in {@code dir}; returns {@code dir}. */
    public static Path make(Path dir) {
        return make(dir, SECONDS, HIGH, MID, LOW);
    }

    /** Runs make-ladder.sh for {@code rungs} of a {@code seconds} scene into {@code dir}; returns {@code dir}. */
    public static Path make(Path dir, int seconds, LadderRung... rungs) {
        Path bash = Peers.require("bash");
        Peers.require("ffmpeg");
        Peers.require("ffprobe");
        List<String> command = new ArrayList<>(List.of(bash.toString(), script().toString(), dir.toString(),
                String.valueOf(seconds)));
        for (LadderRung r : rungs) {
            command.add(r.width() + "x" + r.height() + ":" + r.fps() + ":" + r.bitrateBps() / 1000);
        }
        Processes.run(command, Duration.ofSeconds(120)).requireSuccess();
        return dir;
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
