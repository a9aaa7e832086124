package io.edgepush.bridge.transport;

/**
 * A serial port the gateway keeps open ({@code ingest.serial_ports[i]}).
 *
 * @param path     device path, e.g. {@code /dev/ttyACM0}, {@code /dev/serial/by-id/...} or a pty link
 * @param baudRate bits per second (ignored by true CDC-ACM devices and by pseudo-terminals), > 0
 */
public record SerialPortSpec(String path, int baudRate) {
    public SerialPortSpec {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("serial port path must not be empty");
        }
        if (baudRate <= 0) {
            throw new IllegalArgumentException("baud rate must be > 0, got " + baudRate);
        }
    }
}
