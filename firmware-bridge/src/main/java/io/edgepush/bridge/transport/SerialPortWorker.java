package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one serial port open for as long as the transport runs (PROTOCOL.md section 4): opens it (polling
 * every reopen interval while it is absent, e.g. USB unplugged), configures it with DTR/RTS off, feeds what
 * it reads into a {@link CameraConnection} and, when the device hangs up or its path vanishes, ends the
 * link and waits for the port to come back. A link the gateway ends while the port stays (HELLO or
 * heartbeat timeout, camera refused) is followed by a fresh link on the same port, whose HEARTBEAT with
 * sequence 0 asks the camera for a new HELLO. Threads: the reader (this runnable), one link thread that
 * runs every CameraConnection callback and timer, one writer thread so a stalled device never blocks the
 * link thread.
 */
final class SerialPortWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialPortWorker.class);
    /** Sleep while the port has nothing to read: bounds idle CPU and adds at most this much latency. */
    static final long IDLE_POLL_MS = 5;
    private static final long PATH_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MAX_READ_BYTES = 64 * 1024;

    private final SerialCameraTransport.Port spec;
    private final SerialPortIo.Opener opener;
    private final CameraListener listener;
    private final BridgeOptions options;
    private final Map<String, CameraConnection> registry;
    private final long reopenMs;
    private final ScheduledExecutorService linkThread;
    private final ExecutorService writer;
    private volatile boolean closed;
    private Link link;

    SerialPortWorker(SerialCameraTransport.Port spec, SerialPortIo.Opener opener, CameraListener listener,
                     BridgeOptions options, Map<String, CameraConnection> registry, long reopenMs) {
        this.spec = spec;
        this.opener = opener;
        this.listener = listener;
        this.options = options;
        this.registry = registry;
        this.reopenMs = reopenMs;
        String name = Path.of(spec.path()).getFileName().toString();
        this.linkThread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("serial-link-" + name, true));
        this.writer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("serial-write-" + name, true));
    }

    @Override
    public void run() {
        boolean warnedAbsent = false;
        boolean warnedParams = false;
        while (!closed) {
            SerialPortIo port;
            try {
                port = opener.open(spec.path());
            } catch (IOException | RuntimeException e) {
                if (!warnedAbsent) {
                    LOG.warn("event=serial_port_unavailable port={} error=\"{}\" retry_ms={}", spec.path(),
                            e.getMessage(), reopenMs);
                    warnedAbsent = true;
                }
                pause(reopenMs);
                continue;
            }
            warnedAbsent = false;
            String why;
            try {
                if (!port.configure(spec.baudRate()) && !warnedParams) {
                    LOG.warn("event=serial_params_refused port={} reason=\"setParams failed (expected on a "
                            + "pseudo-terminal, which has no modem lines); using the port as it is\"", spec.path());
                    warnedParams = true;
                }
                LOG.info("event=serial_port_opened port={} baud={}", spec.path(), spec.baudRate());
                why = pump(port);
            } catch (IOException e) {
                why = "serial port error: " + e.getMessage();
            }
            endLink(closed ? "transport closed" : why);
            port.close();
            if (!closed) {
                LOG.warn("event=serial_port_lost port={} reason=\"{}\" retry_ms={}", spec.path(), why, reopenMs);
            }
        }
    }

    /** Reads until the device is gone or the transport closes; returns why it stopped. */
    private String pump(SerialPortIo port) throws IOException {
        long lastPathCheck = System.nanoTime();
        while (!closed) {
            Link current = link;
            if (current == null || current.restartDue()) {
                current = startLink(port);
            }
            int available = port.available();
            if (available > 0) {
                byte[] bytes = port.read(Math.min(available, MAX_READ_BYTES));
                ByteBuf chunk = PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
                current.feed(chunk);
                continue;
            }
            long now = System.nanoTime();
            if (now - lastPathCheck >= PATH_CHECK_NANOS) {
                lastPathCheck = now;
                if (!Files.exists(Path.of(spec.path()))) {
                    return "device path vanished";
                }
            }
            pause(IDLE_POLL_MS);
        }
        return "transport closed";
    }

    private Link startLink(SerialPortIo port) {
        Link next = new Link(port);
        link = next;
        submit(next.connection::start);
        return next;
    }

    private void endLink(String reason) {
        Link current = link;
        link = null;
        if (current != null) {
            submit(() -> current.end(reason));
        }
    }

    private void submit(Runnable task) {
        try {
            linkThread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("serial port {}: link thread stopped", spec.path());
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops reading (the caller interrupts and joins the reader thread), then drains and stops the link threads. */
    void close() {
        closed = true;
    }

    /** After the reader thread has ended: lets queued work finish (releasing its buffers) and stops the threads. */
    void shutdownThreads() throws InterruptedException {
        linkThread.shutdown();
        linkThread.awaitTermination(5, TimeUnit.SECONDS);
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One camera link on the open port: the {@link ByteOutput} its {@link CameraConnection} writes to. */
    private final class Link implements ByteOutput {
        private final SerialPortIo port;
        private final CameraConnection connection;
        private volatile boolean ended;
        private volatile long endedNanos;

        Link(SerialPortIo port) {
            this.port = port;
            this.connection = new CameraConnection("serial:" + spec.path(), this, linkThread, listener, options,
                    registry);
        }

        /** BORROWS nothing: takes ownership of {@code chunk}, released on the link thread. */
        void feed(ByteBuf chunk) {
            try {
                linkThread.execute(() -> {
                    try {
                        if (!ended) {
                            connection.onBytes(chunk);
                        }
                    } finally {
                        chunk.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                chunk.release();
            }
        }

        /** Runs on the link thread. */
        void end(String reason) {
            if (!ended) {
                endedNanos = System.nanoTime();
                ended = true;
                connection.onTransportClosed(reason);
            }
        }

        /** The gateway ended this link while the port stayed: start another after the reopen interval. */
        boolean restartDue() {
            return ended && System.nanoTime() - endedNanos >= TimeUnit.MILLISECONDS.toNanos(reopenMs);
        }

        @Override
        public ByteBufAllocator alloc() {
            return PooledByteBufAllocator.DEFAULT;
        }

        @Override
        public void write(ByteBuf bytes) {
            if (ended) {
                bytes.release();
                return;
            }
            try {
                writer.execute(() -> {
                    try {
                        port.write(ByteBufUtil.getBytes(bytes));
                    } catch (IOException e) {
                        LOG.debug("serial port {}: write failed: {}", spec.path(), e.getMessage());
                    } finally {
                        bytes.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                bytes.release();
            }
        }

        @Override
        public void close() {
            submit(() -> end("closed by gateway"));
        }
    }
}
