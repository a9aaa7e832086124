package io.edgepush.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A socat pseudo-terminal pair ({@code socat pty,raw,echo=0,link=DIR/a pty,raw,echo=0,link=DIR/b}): bytes
 * written to one end come out of the other. {@link #stop()} models an unplug (both ends hang up and the links
 * vanish); {@link #restart()} plugs it back in under the same link names.
 */
public final class SocatPty implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private final Path dir;
    private final Path socat;
    private final Path a;
    private final Path b;
    private ManagedProcess process;
    private int starts;

    private SocatPty(Path dir, Path socat) {
        this.dir = dir;
        this.socat = socat;
        this.a = dir.resolve("a");
        this.b = dir.resolve("b");
    }

    /** Starts socat in {@code dir} (skips the test without socat) and waits until both links exist. */
    public static SocatPty start(Path dir) {
        SocatPty pty = new SocatPty(dir, Peers.require("socat"));
        pty.restart();
        return pty;
    }

    /** The link to one end (the gateway side, by convention). */
    public Path a() {
        return a;
    }

    /** The link to the other end (the camera side). */
    public Path b() {
        return b;
    }

    /** Stops socat (both ends hang up) and waits until its links are gone. */
    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
        Await.until(() -> !Files.exists(a, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(b, java.nio.file.LinkOption.NOFOLLOW_LINKS), START_TIMEOUT, "socat links removed");
    }

    /** Stops socat if it runs, starts a new one with the same link names and waits for both links. */
    public void restart() {
        if (process != null) {
            stop();
        }
        starts++;
        process = ManagedProcess.start("socat", List.of(socat.toString(), "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b), dir, dir.resolve("socat-" + starts + ".log"));
        Await.until(() -> Files.exists(a) && Files.exists(b), START_TIMEOUT, "socat pty links " + a + ", " + b);
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
