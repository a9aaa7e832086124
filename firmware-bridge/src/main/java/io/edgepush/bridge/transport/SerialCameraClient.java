package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera side of PROTOCOL.md v1 over a serial device ({@link CameraClient#serial}; a pty end made by socat in
 * tests), opened with jssc with DTR/RTS off like the gateway. A reader thread polls the port (FIONREAD, 5 ms sleeps
 * when idle); CONTROL frames are handled on {@code callbacks} and answered with an ACK; a gateway HEARTBEAT with
 * sequence 0 (the gateway (re)started its link) makes the camera send its HELLO again (section 4). Writes
 * block until the device takes them. A read or write error (the other end hung up) closes the client.
 * The {@code videoFault} hook may alter the bytes of every encoded VIDEO frame.
 */
final class SerialCameraClient implements CameraClient {
    private static final Logger LOG = LoggerFactory.getLogger(SerialCameraClient.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_POLL_MS = 5;

    private final String path;
    private final SerialPortIo port;
    private final UnaryOperator<byte[]> videoFault;
    private final Executor callbacks;
    private final long startNanos = System.nanoTime();
    private final WireCodec codec = new WireCodec(PooledByteBufAllocator.DEFAULT, WireCodec.MAX_PAYLOAD_BYTES);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread reader;
    private volatile Function<Control, ControlAnswer> controlHandler;
    private volatile Hello hello;
    private volatile long lastSendNanos = startNanos;

    private SerialCameraClient(String path, SerialPortIo port, Executor callbacks, UnaryOperator<byte[]> videoFault) {
        this.path = path;
        this.port = port;
        this.videoFault = videoFault;
        this.callbacks = callbacks;
        this.reader = new Thread(this::readLoop, "camera-serial-" + Path.of(path).getFileName());
        reader.setDaemon(true);
    }

    /**
     * Opens {@code path} (8N1, DTR/RTS off; a pty refuses the line settings, which is logged and ignored) and
     * reports the modem line state it can see. @throws IOException if the device cannot be opened
     */
    static SerialCameraClient open(String path, Executor callbacks, UnaryOperator<byte[]> videoFault)
            throws IOException {
        SerialPortIo port = JsscSerialPortIo.open(path);
        boolean configured = port.configure(115_200);
        LOG.info("serial camera port {} opened: line_state={}", path, configured
                ? "DTR off, RTS off on this end (peer lines are not reported by the driver)"
                : "unavailable (pseudo-terminal: no modem lines, TIOCMGET/TIOCMSET unsupported)");
        SerialCameraClient client = new SerialCameraClient(path, port, callbacks, videoFault);
        client.reader.start();
        return client;
    }

    @Override
    public CameraClient onControlAnswer(Function<Control, ControlAnswer> handler) {
        this.controlHandler = handler;
        return this;
    }

    @Override
    public synchronized void sendHello(Hello h) {
        hello = h;
        write(codec.encode(h, nowUs()));
    }

    @Override
    public synchronized void updateHello(Hello h) {
        if (hello != null) {
            hello = h;
        }
    }

    /** VIDEO, its encoded bytes passed through the fault hook. TAKES OWNERSHIP of {@code annexB}. */
    @Override
    public void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        try {
            synchronized (this) {
                ByteBuf encoded = codec.video(streamId, captureTimeUs, keyframe, annexB);
                try {
                    write(videoFault.apply(ByteBufUtil.getBytes(encoded)));
                } finally {
                    encoded.release();
                }
            }
        } finally {
            annexB.release();
        }
    }

    @Override
    public synchronized void sendEvent(Event event) {
        write(codec.encode(event));
    }

    @Override
    public void sendRaw(ByteBuf bytes) {
        try {
            write(ByteBufUtil.getBytes(bytes));
        } finally {
            bytes.release();
        }
    }

    @Override
    public boolean isWritable() {
        return !closed.isDone();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Writes and releases an encoded frame; call with this client locked, right after encoding. */
    private void write(ByteBuf frame) {
        try {
            write(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }

    private synchronized void write(byte[] bytes) {
        if (closed.isDone()) {
            return;
        }
        try {
            port.write(bytes);
            lastSendNanos = System.nanoTime();
        } catch (IOException e) {
            LOG.warn("serial camera port {}: write failed ({}), closing", path, e.getMessage());
            close();
        }
    }

    private void readLoop() {
        try {
            while (!closed.isDone()) {
                int n = port.available();
                if (n > 0) {
                    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(port.read(n));
                    try {
                        codec.feed(chunk, receiver);
                    } finally {
                        chunk.release();
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (hello != null && now - lastSendNanos >= HEARTBEAT_NANOS) {
                    synchronized (this) {
                        write(codec.heartbeat((now - startNanos) / 1_000_000_000L, 0, nowUs()));
                    }
                }
                Thread.sleep(IDLE_POLL_MS);
            }
        } catch (IOException e) {
            LOG.warn("serial camera port {}: read failed ({}), closing", path, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed.complete(null);
            codec.close();
            port.close();
        }
    }

    /** What the gateway sends, on the reader thread: CONTROLs are answered, a HEARTBEAT 0 asks for HELLO again. */
    private final WireCodec.Receiver receiver = new WireCodec.Receiver() {
        @Override
        public void onHeartbeat(long sequence, long uptimeSec, long droppedFrames) {
            Hello h = hello;
            if (sequence == 0 && h != null) {
                callbacks.execute(() -> sendHello(h));
            }
        }

        @Override
        public void onControl(Control c) {
            callbacks.execute(() -> {
                Ack ack = answerFor(c).ackFor(c);
                if (ack != null) {
                    ack(ack);
                }
            });
        }

        @Override
        public void onUnknownControl(long controlId, int streamId, String reason) {
            ack(new Ack(controlId, Ack.UNSUPPORTED, streamId));
        }

        @Override
        public void onMalformed(boolean isHello, String reason) {
            LOG.warn("serial camera port {}: dropped malformed frame from gateway: {}", path, reason);
        }
    };

    private synchronized void ack(Ack ack) {
        write(codec.encode(ack, nowUs()));
    }

    private ControlAnswer answerFor(Control c) {
        Function<Control, ControlAnswer> h = controlHandler;
        if (h == null) {
            return ControlAnswer.status(Ack.UNSUPPORTED);
        }
        try {
            ControlAnswer answer = h.apply(c);
            return answer == null ? ControlAnswer.status(Ack.FAILED) : answer;
        } catch (RuntimeException e) {
            LOG.warn("serial camera port {}: control handler failed for {}: {}", path, c, e.toString());
            return ControlAnswer.status(Ack.FAILED);
        }
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    /** Ends the link; the reader thread closes the port within one poll interval. Idempotent. */
    @Override
    public void close() {
        closed.complete(null);
    }
}
