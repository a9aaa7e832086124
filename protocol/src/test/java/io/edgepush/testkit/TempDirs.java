package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for peers (config, logs, recordings). They are deleted when the peer closes, unless
 * the JVM runs with {@code -Dedgepush.keepTemp=true} (to read logs after a failure).
 */
public final class TempDirs {
    private TempDirs() {
    }

    /** Creates a fresh directory under java.io.tmpdir named {@code prefix} plus a random suffix. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory " + prefix + "*", e);
        }
    }

    /** Deletes {@code dir} and everything below it (no-op if absent or if edgepush.keepTemp=true). */
    public static void delete(Path dir) {
        if (Boolean.getBoolean("edgepush.keepTemp") || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temp directory " + dir, e);
        }
    }
}
