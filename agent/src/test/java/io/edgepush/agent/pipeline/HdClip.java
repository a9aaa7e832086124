package io.edgepush.agent.pipeline;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import io.edgepush.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * {@code hd_1080p30.h264}: 90 frames, 1920x1080, 30 fps, High profile, 4 Mbps, 3 B-frames with b-pyramid, IDR
 * every 30 frames. Too big to commit, so it is encoded once per test JVM by {@code scripts/make-fixtures.sh --hd
 * DIR} into a temporary folder deleted when the JVM exits (the same stream as the push package's
 * GeneratedStreams, which is package-private there).
 */
final class HdClip {
    static final String NAME = "hd_1080p30.h264";
    private static Path file;
    private static long encodeMs = -1;

    private HdClip() {
    }

    /** The clip, encoded on first use. @throws org.opentest4j.TestAbortedException without ffmpeg or bash */
    static synchronized Path hd1080p30() {
        if (file != null) {
            return file;
        }
        Peers.require("ffmpeg");
        Path bash = Peers.require("bash");
        Path script = findScript();
        Path dir = TempDirs.create("edgepush-pipeline-hd-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.delete(dir)));
        long start = System.nanoTime();
        Processes.run(List.of(bash.toString(), script.toString(), "--hd", dir.toString()), Duration.ofMinutes(3))
                .requireSuccess();
        encodeMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("event=hd_clip_encoded ms=" + encodeMs);
        Path made = dir.resolve(NAME);
        Assertions.assertTrue(Files.isRegularFile(made), "make-fixtures.sh --hd wrote " + made);
        file = made;
        return file;
    }

    /** How long the encode took in this JVM, milliseconds (-1 before it ran). */
    static synchronized long encodeMs() {
        return encodeMs;
    }

    private static Path findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts").resolve("make-fixtures.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Assertions.fail("scripts/make-fixtures.sh not found above " + Path.of("").toAbsolutePath());
    }
}
