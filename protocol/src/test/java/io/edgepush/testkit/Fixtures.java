package io.edgepush.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * Test inputs: the repository's own fixtures (classpath {@code /fixtures/}, see fixtures/README.md) and the
 * optional real-world H.264 conformance streams in {@code ../shared/data/h264} (absent in a fresh clone, so
 * unit tests must not depend on them).
 */
public final class Fixtures {
    /** Folder of the shared H.264 streams relative to an ancestor of the working directory. */
    public static final Path SHARED_H264 = Path.of("shared", "data", "h264");

    private Fixtures() {
    }

    /**
     * Path of classpath resource {@code /fixtures/NAME}; copied to a temp file when it lives inside a jar
     * (the protocol test-jar seen from another module).
     *
     * @throws org.opentest4j.AssertionFailedError if there is no such fixture
     */
    public static Path repoFixture(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            return Assertions.fail("no test fixture /fixtures/" + name + " on the classpath"
                    + " (see protocol/src/test/resources/fixtures/README.md)");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            String fileName = Path.of(name).getFileName().toString();
            Path copy = Files.createTempFile("edgepush-fixture-", "-" + fileName);
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad fixture URL " + url, e);
        }
    }

    /**
     * The shared conformance streams ({@code *.264}, sorted by name) found by looking upward from the working
     * directory for {@code shared/data/h264}; empty if there is no such folder.
     */
    public static List<Path> sharedH264() {
        return sharedH264Dir(Path.of("").toAbsolutePath()).map(Fixtures::list264).orElse(List.of());
    }

    /** The first {@code shared/data/h264} folder in {@code start} or one of its ancestors. */
    static Optional<Path> sharedH264Dir(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SHARED_H264);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static List<Path> list264(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".264") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
