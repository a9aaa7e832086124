package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USB-serial cameras (ESP32-P4 USB-Serial-JTAG or TinyUSB CDC-ACM): one worker per configured port speaking
 * PROTOCOL.md v1 through the same {@link CameraConnection} as TCP. A port that is missing at start or
 * disappears later (USB unplugged) is polled for every reopen interval and reopened when it returns; the
 * camera then says HELLO again. DTR and RTS are never raised (they reset ESP boards with an auto-reset
 * circuit). One port's errors never affect another.
 */
public final class SerialCameraTransport implements CameraTransport {
    private static final Logger LOG = LoggerFactory.getLogger(SerialCameraTransport.class);
    /** Default poll interval for a missing port, milliseconds. */
    public static final long DEFAULT_REOPEN_MS = 500;

    /**
     * A serial port the gateway keeps open ({@code ingest.serial_ports[i]}).
     *
     * @param path     device path, e.g. {@code /dev/ttyACM0}, {@code /dev/serial/by-id/...} or a pty link
     * @param baudRate bits per second (ignored by true CDC-ACM devices and by pseudo-terminals), > 0
     */
    public record Port(String path, int baudRate) {
        public Port {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("serial port path must not be empty");
            }
            if (baudRate <= 0) {
                throw new IllegalArgumentException("baud rate must be > 0, got " + baudRate);
            }
        }
    }

    private final List<Port> ports;
    private final BridgeOptions options;
    private final SerialPortIo.Opener opener;
    private final long reopenMs;
    private final Map<String, CameraConnection> registry = new ConcurrentHashMap<>();
    private final List<SerialPortWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;

    /** jssc ports, default options, reopen every {@value #DEFAULT_REOPEN_MS} ms. */
    public SerialCameraTransport(List<Port> ports) {
        this(ports, BridgeOptions.defaults(), JsscSerialPortIo::open, DEFAULT_REOPEN_MS);
    }

    /**
     * @param opener   opens a device (tests wrap jssc to record what is done to the port)
     * @param reopenMs how often a missing port is tried again, and the pause before a new link on a port
     *                 whose previous link the gateway ended, > 0
     */
    SerialCameraTransport(List<Port> ports, BridgeOptions options, SerialPortIo.Opener opener, long reopenMs) {
        if (reopenMs <= 0) {
            throw new IllegalArgumentException("reopenMs must be > 0, got " + reopenMs);
        }
        this.ports = List.copyOf(ports);
        this.options = options;
        this.opener = opener;
        this.reopenMs = reopenMs;
    }

    /** Starts one reader thread per port; never fails for a missing port (it is polled for). */
    @Override
    public synchronized void start(CameraListener listener) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        for (Port spec : ports) {
            SerialPortWorker worker = new SerialPortWorker(spec, opener, listener, options, registry, reopenMs);
            Thread t = new Thread(worker, "serial-read-" + spec.path());
            t.setDaemon(true);
            workers.add(worker);
            threads.add(t);
            t.start();
        }
        LOG.info("event=serial_transport_started ports={}", ports.stream().map(Port::path).toList());
    }

    /** Closes every port; each connected camera reports onCameraDisconnected. Idempotent. */
    @Override
    public synchronized void close() {
        workers.forEach(SerialPortWorker::close);
        try {
            for (Thread t : threads) {
                t.interrupt();
                t.join(5000);
            }
            for (SerialPortWorker w : workers) {
                w.shutdownThreads();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.clear();
        threads.clear();
    }
}
