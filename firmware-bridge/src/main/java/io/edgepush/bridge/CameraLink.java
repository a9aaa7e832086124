package io.edgepush.bridge;

import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Gateway side of one connected camera (after its HELLO), whatever the transport.
 * Methods are thread-safe.
 */
public interface CameraLink {
    /** The camera's device_id from its HELLO. */
    String deviceId();

    /** The camera's HELLO (identity, firmware, codec, capabilities, current encoder settings). */
    Hello hello();

    /** Transport and peer, e.g. "tcp:127.0.0.1:50412" or "serial:/dev/ttyACM0". */
    String peer();

    /**
     * The Netty event loop whose thread delivers this link's access units (TCP links), or null when none does (a
     * serial link has its own thread). An RTMP publish opened on this loop takes each frame from socket to socket on
     * one thread, without a hand-over (and a wake-up) per frame.
     */
    default EventLoop eventLoop() {
        return null;
    }

    /**
     * Sends a CONTROL (PROTOCOL.md 3.5) and waits for its ACK with the default timeout (2 s).
     *
     * @return completes with the camera's {@link Ack} (check {@link Ack#ok()}); fails with
     *         {@link java.util.concurrent.TimeoutException} when no ACK arrives in time, with
     *         {@link java.io.IOException} when the link closes first, and with
     *         {@link IllegalArgumentException} when the control id is already pending
     */
    CompletableFuture<Ack> sendControl(Control control);

    /** As {@link #sendControl(Control)} with an explicit ACK timeout. */
    CompletableFuture<Ack> sendControl(Control control, Duration ackTimeout);

    /** A fresh control id for this link (u32, wraps). */
    long nextControlId();

    /** Sends {@code op value} to stream {@code streamId} with a fresh control id. */
    default CompletableFuture<Ack> sendControl(ControlOp op, long value, int streamId) {
        return sendControl(new Control(nextControlId(), op, value, streamId));
    }

    /** Counters since the link came up. */
    CameraLinkStats stats();

    /**
     * Sequence loss of stream {@code streamId} (0..255) since the link came up; the link-wide totals are in
     * {@link #stats()}. Links without sequence numbers (raw Annex B) report {@link StreamSequenceStats#NONE}.
     */
    default StreamSequenceStats streamStats(int streamId) {
        return StreamSequenceStats.NONE;
    }

    /** Closes the link; {@link CameraListener#onCameraDisconnected} follows with "closed by gateway". */
    void close();
}
