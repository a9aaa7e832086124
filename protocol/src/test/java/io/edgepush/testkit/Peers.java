package io.edgepush.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates external peer programs (nginx, mosquitto, ffmpeg, ffprobe, socat) that interop tests talk to.
 *
 * <p>A missing peer skips the test (JUnit abort, reported as "skipped") on a developer machine, and fails it
 * when the environment variable {@code REQUIRE_PEERS=1} is set (CI: {@code .ci/run} installs every peer, so
 * a missing one there is a broken environment, not a reason to skip).
 */
public final class Peers {
    /** Path of the RTMP module shipped by Debian's libnginx-mod-rtmp package. */
    public static final Path NGINX_RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private Peers() {
    }

    /**
     * Finds {@code executable} on {@code PATH}.
     *
     * @return the absolute path of the executable
     * @throws org.opentest4j.TestAbortedException if missing and REQUIRE_PEERS is not 1
     * @throws org.opentest4j.AssertionFailedError if missing and REQUIRE_PEERS=1
     */
    public static Path require(String executable) {
        return require(executable, System.getenv());
    }

    /** As {@link #require(String)}, reading {@code PATH} and {@code REQUIRE_PEERS} from {@code env} (for tests). */
    public static Path require(String executable, Map<String, String> env) {
        Optional<Path> found = findOnPath(executable, env.getOrDefault("PATH", ""));
        if (found.isPresent()) {
            return found.get();
        }
        return missing(executable, env);
    }

    /**
     * Requires nginx plus the RTMP module at {@link #NGINX_RTMP_MODULE} (Debian packages nginx-light and
     * libnginx-mod-rtmp). Same skip/fail rule as {@link #require(String)}.
     *
     * @return the path of the nginx executable
     */
    public static Path requireNginxRtmp() {
        return requireNginxRtmp(System.getenv(), NGINX_RTMP_MODULE);
    }

    /** As {@link #requireNginxRtmp()} with an injectable environment and module path (for tests). */
    public static Path requireNginxRtmp(Map<String, String> env, Path module) {
        Path nginx = require("nginx", env);
        if (!Files.isRegularFile(module)) {
            return missing("nginx RTMP module " + module + " (package libnginx-mod-rtmp)", env);
        }
        return nginx;
    }

    /** Searches the colon-separated {@code path} for an executable regular file named {@code executable}. */
    static Optional<Path> findOnPath(String executable, String path) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static Path missing(String what, Map<String, String> env) {
        if ("1".equals(env.get("REQUIRE_PEERS"))) {
            return Assertions.fail("peer " + what + " is required (REQUIRE_PEERS=1) but not installed");
        }
        Assumptions.abort("peer " + what + " not installed; skipped (install it or run .ci/run)");
        throw new AssertionError("unreachable: Assumptions.abort returned");
    }
}
