package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Camera side of one PROTOCOL.md v1 link, over TCP ({@link #tcp}) or a serial device ({@link #serial}): for
 * simulators, tests and as a reference for firmware authors. Keeps per-stream sequence numbers, sends a HEARTBEAT
 * after 1 s without sending, and answers every CONTROL with one ACK from the {@link #onControl} handler. Send
 * methods are thread-safe and keep call order.
 */
public interface CameraClient extends AutoCloseable {
    /** Returned by a CONTROL handler: send no ACK at all (simulates a lost ACK; the gateway retries). */
    int NO_ACK = -1;

    /**
     * Connects to a gateway's camera port with its own single-thread event loop.
     *
     * @throws IOException if the connection fails
     */
    static CameraClient tcp(String host, int port) throws IOException {
        return TcpCameraClient.connect(host, port, null);
    }

    /**
     * Connects using {@code group} (shared by many simulated cameras; not shut down by {@link #close()}), or an
     * own event loop when null. CONTROLs are handled on the connection's event loop.
     *
     * @throws IOException if the connection fails
     */
    static CameraClient tcp(String host, int port, EventLoopGroup group) throws IOException {
        return TcpCameraClient.connect(host, port, group);
    }

    /**
     * Opens a serial device (a pty end made by socat in tests) with DTR and RTS off, like the gateway. A gateway
     * HEARTBEAT with sequence 0 (the gateway (re)started its link) makes the client send its HELLO again (PROTOCOL.md
     * section 4). Writes block until the device takes them; a read or write error (the other end hung up) closes
     * the client.
     *
     * @param callbacks  runs the CONTROL handler and the HELLO repeats
     * @param videoFault applied to every encoded VIDEO frame before it is written: the bytes to write instead
     *                   (fault injection: garbage before the frame, a frame cut short); {@link UnaryOperator#identity()}
     *                   for a clean link
     * @throws IOException if the device cannot be opened
     */
    static CameraClient serial(String path, Executor callbacks, UnaryOperator<byte[]> videoFault) throws IOException {
        return SerialCameraClient.open(path, callbacks, videoFault);
    }

    /**
     * What a CONTROL handler answers (PROTOCOL.md section 3.6): the ACK status and, optionally, the value the camera
     * applied.
     *
     * @param status       the ACK status ({@link Ack#OK} etc., 0..255), or {@link #NO_ACK} to send no ACK at all
     * @param appliedValue the ACK's applied_value in the op's unit (u32), or {@link Ack#NO_VALUE} for none
     */
    record ControlAnswer(int status, long appliedValue) {
        /** No ACK at all (simulates a lost ACK). */
        public static final ControlAnswer NONE = new ControlAnswer(NO_ACK, Ack.NO_VALUE);

        /** @throws IllegalArgumentException if status is not 0..255 or {@link #NO_ACK}, or appliedValue not u32 */
        public ControlAnswer {
            if (status != NO_ACK && (status < 0 || status > 0xFF)) {
                throw new IllegalArgumentException("ACK status must be 0..255 or NO_ACK, got " + status);
            }
            if (appliedValue != Ack.NO_VALUE && (appliedValue < 0 || appliedValue > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("applied value must be a u32 or Ack.NO_VALUE, got " + appliedValue);
            }
        }

        /** An answer with {@code status} and no applied value ({@link #NONE} for {@link #NO_ACK}). */
        public static ControlAnswer status(int status) {
            return status == NO_ACK ? NONE : new ControlAnswer(status, Ack.NO_VALUE);
        }

        /** OK with the value applied, in the op's unit (bits per second, fps, (width << 16) | height, preset). */
        public static ControlAnswer ok(long appliedValue) {
            return new ControlAnswer(Ack.OK, appliedValue);
        }

        /** The ACK this answer makes for {@code control}, or null for {@link #NO_ACK}. */
        Ack ackFor(Control control) {
            return status == NO_ACK ? null : new Ack(control.controlId(), status, control.streamId(), appliedValue);
        }
    }

    /**
     * Sets the CONTROL handler: it returns the ACK status ({@link Ack#OK} etc.) and must not block. Without a
     * handler, or for an op v1 does not define, the client answers UNSUPPORTED; a handler that throws (or returns
     * null) yields FAILED; a handler that returns {@link #NO_ACK} leaves the CONTROL unanswered. The ACK carries no
     * applied value; see {@link #onControlAnswer} for one that does.
     */
    default CameraClient onControl(Function<Control, Integer> handler) {
        return onControlAnswer(c -> {
            Integer status = handler.apply(c);
            return status == null ? null : ControlAnswer.status(status);
        });
    }

    /**
     * Sets the CONTROL handler that answers with a status and, optionally, the applied value (ACK applied_value,
     * PROTOCOL.md section 3.6); it must not block. Replaces a handler set by {@link #onControl}. Without a handler,
     * or for an op v1 does not define, the client answers UNSUPPORTED; a handler that throws or returns null yields
     * FAILED; {@link ControlAnswer#NONE} leaves the CONTROL unanswered.
     */
    CameraClient onControlAnswer(Function<Control, ControlAnswer> handler);

    /** Sends HELLO (timestamp: the client's clock); a serial client repeats it when the gateway asks (section 4). */
    void sendHello(Hello hello);

    /**
     * Replaces the HELLO a serial client repeats on a gateway HEARTBEAT with sequence 0 (PROTOCOL.md section 4),
     * without sending it now: for a camera whose settings changed (the next HELLO reports the new values, section
     * 3.5). Does nothing before the first {@link #sendHello}, and nothing over TCP (where a camera says HELLO once
     * per connection).
     */
    default void updateHello(Hello hello) {
    }

    /** Sends one access unit as VIDEO on {@code streamId} (0..255). TAKES OWNERSHIP of {@code annexB}. */
    void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB);

    /** Sends an EVENT stamped with its own timestamp. */
    void sendEvent(Event event);

    /** Writes raw bytes, bypassing framing (tests: garbage, cut or corrupted frames). TAKES OWNERSHIP. */
    void sendRaw(ByteBuf bytes);

    /** False while the transport cannot take more right now (drop video until it can). */
    boolean isWritable();

    /** Completes when the link has ended (either side, or a transport error). */
    CompletableFuture<Void> closed();

    /** Closes the link; idempotent. */
    @Override
    void close();
}
