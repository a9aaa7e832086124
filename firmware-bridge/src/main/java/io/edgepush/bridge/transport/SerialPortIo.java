package io.edgepush.bridge.transport;

import java.io.IOException;

/**
 * One open serial device (USB CDC-ACM, USB-Serial-JTAG, a pseudo-terminal), reduced to what the camera link
 * needs. On purpose there is no way to drive DTR or RTS: on ESP32 boards with an auto-reset circuit toggling
 * them resets the camera (ESP-IDF "esptool" boot sequence), so the gateway never touches them. Not
 * thread-safe except as noted: one thread reads, one thread writes.
 */
interface SerialPortIo extends AutoCloseable {
    /** Opens a device path, e.g. {@code /dev/ttyACM0} or {@code /dev/pts/3}. */
    @FunctionalInterface
    interface Opener {
        /** @throws IOException when the device does not exist, is busy or is not a terminal */
        SerialPortIo open(String path) throws IOException;
    }

    /**
     * Sets raw 8N1 at {@code baudRate} bits per second with DTR and RTS OFF (jssc's 6-argument setParams).
     *
     * @return false when the device refused part of it (a pseudo-terminal has no modem lines): the port is
     *         still usable
     * @throws IOException when the device is gone
     */
    boolean configure(int baudRate) throws IOException;

    /**
     * Bytes that can be read now without blocking (FIONREAD), 0 when none.
     *
     * @throws IOException when the device is gone (hang-up after a USB unplug or a closed pty master)
     */
    int available() throws IOException;

    /**
     * Reads exactly {@code count} bytes; call only with {@code count <= available()} so it never blocks.
     *
     * @throws IOException when the device is gone
     */
    byte[] read(int count) throws IOException;

    /** Writes all of {@code bytes} (blocking). @throws IOException when the device is gone or refused it */
    void write(byte[] bytes) throws IOException;

    /** Closes the device; idempotent, never throws. */
    @Override
    void close();
}
