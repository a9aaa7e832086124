package io.edgepush.simulator.camera;

import io.edgepush.bridge.VideoFrame;
import io.edgepush.bridge.transport.CameraClient;
import io.edgepush.bridge.transport.JsscSerialPortIo;
import io.edgepush.bridge.transport.SerialPortIo;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Frame;
import io.edgepush.bridge.wire.FrameDecoder;
import io.edgepush.bridge.wire.FrameEncoder;
import io.edgepush.bridge.wire.Heartbeat;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.Messages;
import io.edgepush.bridge.wire.UnsupportedControlException;
import io.edgepush.bridge.wire.WireException;
import io.edgepush.bridge.wire.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera side of PROTOCOL.md v1 over a serial device (a pty end made by socat in tests), opened with jssc
 * with DTR/RTS off like the gateway. A reader thread polls the port (FIONREAD, 5 ms sleeps when idle);
 * CONTROL frames are handled on {@code callbacks} and answered with an ACK; a gateway HEARTBEAT with
 * sequence 0 (the gateway (re)started its link) makes the camera send its HELLO again (section 4). Writes
 * block until the device takes them. A read or write error (the other end hung up) closes the client.
 * {@link SerialFaults} are applied to VIDEO frames.
 */
public final class SerialCameraClient implements CameraClient {
    private static final Logger LOG = LoggerFactory.getLogger(SerialCameraClient.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_POLL_MS = 5;

    private final String path;
    private final SerialPortIo port;
    private final SerialFaults faults;
    private final Executor callbacks;
    private final long startNanos = System.nanoTime();
    private final long[] sequence = new long[256];
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Random random = new Random(1);
    private final Thread reader;
    private volatile Function<Control, Integer> controlHandler;
    private volatile Hello hello;
    private volatile long lastSendNanos = startNanos;
    private long videoFrames;

    private SerialCameraClient(String path, SerialPortIo port, SerialFaults faults, Executor callbacks) {
        this.path = path;
        this.port = port;
        this.faults = faults;
        this.callbacks = callbacks;
        this.reader = new Thread(this::readLoop, "camera-serial-" + Path.of(path).getFileName());
        reader.setDaemon(true);
    }

    /**
     * Opens {@code path} (8N1, DTR/RTS off; a pty refuses the line settings, which is logged and ignored) and
     * reports the modem line state it can see. @throws IOException if the device cannot be opened
     */
    public static SerialCameraClient open(String path, SerialFaults faults, Executor callbacks) throws IOException {
        SerialPortIo port = JsscSerialPortIo.open(path);
        boolean configured = port.configure(115_200);
        LOG.info("serial camera port {} opened: line_state={}", path, configured
                ? "DTR off, RTS off on this end (peer lines are not reported by the driver)"
                : "unavailable (pseudo-terminal: no modem lines, TIOCMGET/TIOCMSET unsupported)");
        SerialCameraClient client = new SerialCameraClient(path, port, faults, callbacks);
        client.reader.start();
        return client;
    }

    @Override
    public CameraClient onControl(Function<Control, Integer> handler) {
        this.controlHandler = handler;
        return this;
    }

    @Override
    public void sendHello(Hello h) {
        hello = h;
        send(h, nowUs(), 1);
    }

    @Override
    public void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        try {
            VideoFrame frame = new VideoFrame(streamId, 0, captureTimeUs, keyframe, annexB);
            synchronized (this) {
                videoFrames++;
                if (faults.garbageBytes() > 0) {
                    byte[] garbage = new byte[faults.garbageBytes()];
                    random.nextBytes(garbage);
                    write(garbage);
                }
                boolean cut = faults.cutEvery() > 0 && videoFrames % faults.cutEvery() == 0;
                send(frame, captureTimeUs, cut ? 2 : 1);
            }
        } finally {
            annexB.release();
        }
    }

    @Override
    public void sendEvent(Event event) {
        send(event, event.timestampUs(), 1);
    }

    @Override
    public boolean isWritable() {
        return !closed.isDone();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Encodes with the next sequence number of its stream and writes 1/{@code fraction} of the frame. */
    private synchronized void send(WireMessage m, long timestampUs, int fraction) {
        int stream = m.streamId();
        long seq = sequence[stream];
        sequence[stream] = (seq + 1) & 0xFFFF_FFFFL;
        ByteBuf encoded = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, m, seq, timestampUs);
        try {
            write(ByteBufUtil.getBytes(encoded, 0, encoded.readableBytes() / fraction));
        } finally {
            encoded.release();
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
        long reopenAt = faults.reopenEverySec() > 0
                ? startNanos + TimeUnit.SECONDS.toNanos(faults.reopenEverySec()) : Long.MAX_VALUE;
        try (FrameDecoder decoder = new FrameDecoder(PooledByteBufAllocator.DEFAULT, Frame.MAX_PAYLOAD_BYTES)) {
            while (!closed.isDone()) {
                int n = port.available();
                if (n > 0) {
                    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(port.read(n));
                    try {
                        decoder.feed(chunk, this::onFrame);
                    } finally {
                        chunk.release();
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (now >= reopenAt) {
                    LOG.info("serial camera port {}: fault: closing the port (reopen follows)", path);
                    break;
                }
                if (hello != null && now - lastSendNanos >= HEARTBEAT_NANOS) {
                    send(new Heartbeat((now - startNanos) / 1_000_000_000L, 0), nowUs(), 1);
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
            port.close();
        }
    }

    /** Runs on the reader thread. */
    private void onFrame(Frame frame) {
        long seq = frame.sequence();
        WireMessage m;
        try {
            m = Messages.decode(frame);
        } catch (UnsupportedControlException e) {
            send(new Ack(e.controlId(), Ack.UNSUPPORTED, e.streamId()), nowUs(), 1);
            return;
        } catch (WireException e) {
            LOG.warn("serial camera port {}: dropped malformed frame from gateway: {}", path, e.getMessage());
            return;
        }
        if (m instanceof Heartbeat && seq == 0 && hello != null) {
            callbacks.execute(() -> sendHello(hello));
        } else if (m instanceof Control c) {
            callbacks.execute(() -> send(new Ack(c.controlId(), statusFor(c), c.streamId()), nowUs(), 1));
        } else if (m instanceof VideoFrame v) {
            v.release();
        }
    }

    private int statusFor(Control c) {
        Function<Control, Integer> h = controlHandler;
        if (h == null) {
            return Ack.UNSUPPORTED;
        }
        try {
            Integer status = h.apply(c);
            return status == null ? Ack.FAILED : status;
        } catch (RuntimeException e) {
            LOG.warn("serial camera port {}: control handler failed for {}: {}", path, c, e.toString());
            return Ack.FAILED;
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
