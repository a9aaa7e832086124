package io.edgepush.bridge.esp32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device-side C reference (firmware-bridge/esp32, issue 4 item 7): compiles its core and host tests with
 * the host gcc ({@code -std=c11 -Wall -Wextra -Werror -Wpedantic}) and runs them against the shared vectors in
 * src/test/resources/vectors, the files the Java codec tests read. gcc missing: skipped, or failed under
 * REQUIRE_PEERS=1 ({@link Peers#require}).
 */
class CReferenceTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ESP32 = MODULE.resolve("esp32");
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");
    /** Everything the portable core may include: C standard headers and its own. */
    private static final Set<String> ALLOWED_INCLUDES = Set.of("<stdint.h>", "<stddef.h>", "<stdbool.h>",
            "<string.h>", "\"edgepush_bridge.h\"", "\"edgepush_bridge_internal.h\"");

    @Test
    void compilesWithWarningsAsErrorsAndPassesTheVectorTests(@TempDir Path tmp) throws IOException {
        Path gcc = Peers.require("gcc");
        Path binary = tmp.resolve("test_vectors");
        List<String> compile = new ArrayList<>(List.of(gcc.toString(), "-std=c11", "-Wall", "-Wextra", "-Werror",
                "-Wpedantic", "-O2", "-I", ESP32.resolve("include").toString()));
        compile.addAll(cFiles(ESP32.resolve("src")));
        compile.addAll(cFiles(ESP32.resolve("test")));
        compile.addAll(List.of("-o", binary.toString()));
        Processes.Result built = Processes.run(compile, Duration.ofSeconds(120));
        System.out.print(built.stderr());
        assertEquals(0, built.exitCode(), "gcc failed:\n" + built.stderr());

        Path vectors = MODULE.resolve("src/test/resources/vectors");
        Processes.Result run = Processes.run(List.of(binary.toString(), vectors.toString()));
        System.out.print("C reference: " + run.stdout());
        assertEquals(0, run.exitCode(), "C vector tests failed:\n" + run.stdout() + run.stderr());
        Matcher m = SUMMARY.matcher(run.stdout());
        assertTrue(m.find(), "no 'N passed, M failed' line in:\n" + run.stdout());
        assertEquals("0", m.group(2));
        assertTrue(Integer.parseInt(m.group(1)) > 100, "suspiciously few checks: " + m.group(1));
    }

    @Test
    void coreIncludesOnlyStandardHeaders() throws IOException {
        Set<String> seen = new TreeSet<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.list(ESP32.resolve("src")), Files.list(ESP32.resolve("include")))) {
            s.forEach(files::add);
        }
        Pattern include = Pattern.compile("(?m)^\\s*#\\s*include\\s+(\\S+)");
        for (Path f : files) {
            Matcher m = include.matcher(Files.readString(f));
            while (m.find()) {
                seen.add(m.group(1));
            }
        }
        assertTrue(ALLOWED_INCLUDES.containsAll(seen), "the core must not depend on ESP-IDF; includes: " + seen);
        assertTrue(seen.contains("<stdint.h>"), "scanned nothing? " + files);
    }

    private static List<String> cFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".c")).sorted().map(Path::toString).toList();
        }
    }
}
