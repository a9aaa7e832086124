package io.edgepush.agent.push;

import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import io.edgepush.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * Interop inputs by name: the committed fixtures (fixtures/README.md), plus {@code hd_1080p30.h264}, the
 * 1080p30 High-profile 4 Mbps stream with B-frames that is too big to commit. It is encoded once per test run
 * (JVM) by {@code scripts/make-fixtures.sh --hd DIR} (ffmpeg + libx264, about 6 s) into a temporary folder
 * deleted when the JVM exits.
 */
final class GeneratedStreams {
    static final String HD_1080P30 = "hd_1080p30.h264";
    private static Path hdStream;

    private GeneratedStreams() {
    }

    /** The input file called {@code name}. @throws org.opentest4j.TestAbortedException without ffmpeg (HD only) */
    static Path input(String name) {
        return HD_1080P30.equals(name) ? hd1080p30() : Fixtures.repoFixture(name);
    }

    static synchronized Path hd1080p30() {
        if (hdStream != null) {
            return hdStream;
        }
        Peers.require("ffmpeg");
        Path bash = Peers.require("bash");
        Path script = findScript();
        Path dir = TempDirs.create("edgepush-hd-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.delete(dir)));
        Processes.run(List.of(bash.toString(), script.toString(), "--hd", dir.toString()), Duration.ofMinutes(3))
                .requireSuccess();
        Path file = dir.resolve(HD_1080P30);
        Assertions.assertTrue(Files.isRegularFile(file), "make-fixtures.sh --hd wrote " + file);
        hdStream = file;
        return file;
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
