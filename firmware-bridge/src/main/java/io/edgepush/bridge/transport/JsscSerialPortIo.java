package io.edgepush.bridge.transport;

import java.io.IOException;
import java.util.function.Function;
import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * {@link SerialPortIo} over jssc 2.10. Reads are only ever issued for bytes FIONREAD reports as available:
 * jssc's blocking {@code readBytes} spins a core forever once the device hangs up, and its timed reads and
 * event thread busy-wait, so the caller polls {@link #available()} and sleeps when it is 0. DTR and RTS are
 * never raised: {@link #configure} uses the 6-argument setParams with both OFF and nothing calls
 * setDTR/setRTS.
 */
final class JsscSerialPortIo implements SerialPortIo {
    private final SerialPort port;

    private JsscSerialPortIo(SerialPort port) {
        this.port = port;
    }

    /** The production opener. */
    static SerialPortIo open(String path) throws IOException {
        return open(path, SerialPort::new);
    }

    /**
     * Opens {@code path} with a {@link SerialPort} made by {@code ports} (tests pass a subclass that records
     * line calls). @throws IOException when jssc cannot open it (not found, busy, not a terminal)
     */
    static SerialPortIo open(String path, Function<String, SerialPort> ports) throws IOException {
        SerialPort port = ports.apply(path);
        try {
            port.openPort();
        } catch (SerialPortException e) {
            throw new IOException("cannot open " + path + ": " + e.getExceptionType(), e);
        }
        return new JsscSerialPortIo(port);
    }

    @Override
    public boolean configure(int baudRate) throws IOException {
        try {
            return port.setParams(baudRate, SerialPort.DATABITS_8, SerialPort.STOPBITS_1, SerialPort.PARITY_NONE,
                    false, false);
        } catch (SerialPortException e) {
            throw new IOException(port.getPortName() + ": " + e.getExceptionType(), e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return Math.max(0, port.getInputBufferBytesCount());
        } catch (SerialPortException e) {
            throw new IOException(port.getPortName() + ": " + e.getExceptionType(), e);
        }
    }

    @Override
    public byte[] read(int count) throws IOException {
        try {
            return port.readBytes(count);
        } catch (SerialPortException e) {
            throw new IOException(port.getPortName() + ": " + e.getExceptionType(), e);
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        try {
            if (!port.writeBytes(bytes)) {
                throw new IOException(port.getPortName() + ": short write");
            }
        } catch (SerialPortException e) {
            throw new IOException(port.getPortName() + ": " + e.getExceptionType(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (port.isOpened()) {
                port.closePort();
            }
        } catch (SerialPortException e) {
            // The descriptor is gone either way; nothing more to release.
        }
    }
}
