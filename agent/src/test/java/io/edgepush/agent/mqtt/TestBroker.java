package io.edgepush.agent.mqtt;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Minimal private mosquitto peer for the MQTT tests (until the shared test kit lands on main):
 * {@code listener PORT 127.0.0.1}, anonymous, no persistence. Missing mosquitto: fails when
 * REQUIRE_PEERS=1, else aborts the test with the reason.
 */
final class TestBroker implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private TestBroker(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("edgepush-mosquitto");
    }

    /** Starts mosquitto on a free 127.0.0.1 port. */
    static TestBroker start() throws Exception {
        TestBroker b = new TestBroker(freePort());
        b.startProcess();
        return b;
    }

    /** A broker object on a free port that is not running yet (call {@link #startProcess()}). */
    static TestBroker notStarted() throws Exception {
        return new TestBroker(freePort());
    }

    static String mosquittoPath() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "mosquitto");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : new String[] {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        String reason = "mosquitto not installed (apt-get install mosquitto); MQTT broker tests need a real broker";
        if ("1".equals(System.getenv("REQUIRE_PEERS"))) {
            Assertions.fail(reason + " and REQUIRE_PEERS=1");
        }
        Assumptions.abort(reason);
        return null;
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts (or restarts) the process on this broker's port and waits until it accepts connections. */
    void startProcess() throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        process = new ProcessBuilder(mosquittoPath(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await(this::accepting, Duration.ofSeconds(10), "mosquitto listening on " + port);
    }

    /** Stops the process and waits for it to exit. */
    void stopProcess() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    private boolean accepting() {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException("mosquitto exited: see " + dir.resolve("mosquitto.log"));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopProcess();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Polls {@code condition} until true or the deadline passes (then fails naming {@code what}). */
    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
