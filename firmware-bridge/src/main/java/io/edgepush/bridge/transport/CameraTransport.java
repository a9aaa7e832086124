package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraListener;

/** A source of camera links ({@link TcpCameraServer}, {@link SerialCameraTransport}, {@link RawAnnexBServer}); every link
 * reports to one listener. */
interface CameraTransport extends AutoCloseable {
    /**
     * Starts accepting cameras. @throws java.io.UncheckedIOException if the transport cannot
     * start (e.g. the port is in use); @throws IllegalStateException if already started.
     */
    void start(CameraListener listener);

    /** Closes every link (each reports onCameraDisconnected) and releases the transport. Idempotent. */
    @Override
    void close();
}
