package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Camera side of one PROTOCOL.md v1 link, whatever the transport ({@link TcpCameraClient}, a serial port in
 * the simulator). Keeps per-stream sequence numbers, sends a HEARTBEAT after 1 s without sending, and answers
 * every CONTROL with one ACK from the {@link #onControl} handler. Send methods are thread-safe.
 */
public interface CameraClient extends AutoCloseable {
    /**
     * Sets the CONTROL handler: it returns the ACK status ({@link io.edgepush.bridge.wire.Ack#OK} etc.) and
     * must not block; without one every CONTROL is answered UNSUPPORTED.
     */
    CameraClient onControl(Function<Control, Integer> handler);

    /** Sends HELLO (timestamp: the client's clock). */
    void sendHello(Hello hello);

    /** Sends one access unit as VIDEO on {@code streamId} (0..255). TAKES OWNERSHIP of {@code annexB}. */
    void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB);

    /** Sends an EVENT stamped with its own timestamp. */
    void sendEvent(Event event);

    /** False while the transport cannot take more right now (drop video until it can). */
    boolean isWritable();

    /** Completes when the link has ended (either side, or a transport error). */
    CompletableFuture<Void> closed();

    /** Closes the link; idempotent. */
    @Override
    void close();
}
