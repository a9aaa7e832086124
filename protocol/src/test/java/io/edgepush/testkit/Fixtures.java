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

    /** File name of the generated High-profile HD clip ({@link #hd1080p30()}). */
    public static final String HD_1080P30 = "hd_1080p30.h264";
    /** File name of the generated Main-profile HD clip: same picture, 2 B-frames without pyramid. */
    public static final String HD_1080P30_MAIN = "hd_1080p30_main.h264";
    private static Path hdDir;

    /**
     * {@code hd_1080p30.h264}: 90 frames, 1920x1080, 30 fps, High profile, 4 Mbps, B-frames with b-pyramid, IDR every
     * 30 frames. Too big to commit: encoded once per test JVM by {@code scripts/make-fixtures.sh --hd DIR} (ffmpeg +
     * libx264, a few seconds) into a temporary folder deleted when the JVM exits.
     *
     * @throws org.opentest4j.TestAbortedException without ffmpeg or bash (a failure with REQUIRE_PEERS=1)
     */
    public static Path hd1080p30() {
        return hd(HD_1080P30);
    }

    /**
     * A clip made by {@code scripts/make-fixtures.sh --hd}: {@link #HD_1080P30} or {@link #HD_1080P30_MAIN} (see the
     * script's header), encoded on first use as {@link #hd1080p30()} says.
     */
    public static synchronized Path hd(String name) {
        if (hdDir == null) {
            Peers.require("ffmpeg");
            Path bash = Peers.require("bash");
            Path script = findUp(Path.of("scripts", "make-fixtures.sh"));
            Path dir = TempDirs.create("edgepush-hd-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.delete(dir)));
            Processes.run(List.of(bash.toString(), script.toString(), "--hd", dir.toString()),
                    java.time.Duration.ofMinutes(3)).requireSuccess();
            hdDir = dir;
        }
        Path file = hdDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("make-fixtures.sh --hd did not write " + file);
        }
        return file;
    }

    private static Path findUp(Path relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** The NAL units of an Annex B file, in file order, as byte arrays (header first, no start code). */
    public static List<byte[]> nalUnits(Path annexB) {
        List<byte[]> nals = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(annexB);
             io.edgepush.protocol.h264.AnnexBReader reader = new io.edgepush.protocol.h264.AnnexBReader(in, 1 << 24)) {
            io.netty.buffer.ByteBuf nal;
            while ((nal = reader.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) != null) {
                nals.add(io.netty.buffer.ByteBufUtil.getBytes(nal));
                nal.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nals;
    }
}
