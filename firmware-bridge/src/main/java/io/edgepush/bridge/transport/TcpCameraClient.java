package io.edgepush.bridge.transport;

import io.edgepush.bridge.VideoFrame;
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
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera side of PROTOCOL.md v1 over TCP, for simulators and as a reference for firmware
 * authors. Keeps per-stream sequence numbers, sends a HEARTBEAT when nothing was sent for 1 s,
 * and answers every CONTROL with an ACK from the {@link #onControl} handler. Send methods are
 * thread-safe and keep call order.
 */
public final class TcpCameraClient implements CameraClient {
    private static final Logger LOG = LoggerFactory.getLogger(TcpCameraClient.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Returned by a CONTROL handler: send no ACK at all (simulates a lost ACK; the gateway retries). */
    public static final int NO_ACK = -1;

    private final Channel channel;
    private final EventLoopGroup ownGroup;
    private final long startNanos = System.nanoTime();
    private final long[] sequence = new long[256];
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Function<Control, Integer> controlHandler;
    private volatile long lastSendNanos = startNanos;
    private volatile boolean helloSent;

    private TcpCameraClient(Channel channel, EventLoopGroup ownGroup) {
        this.channel = channel;
        this.ownGroup = ownGroup;
        channel.closeFuture().addListener(f -> closed.complete(null));
        channel.eventLoop().scheduleAtFixedRate(this::heartbeatIfIdle, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Connects with its own single-thread event loop. @throws IOException if the connection fails. */
    public static TcpCameraClient connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /**
     * Connects using {@code group} (shared by many simulated cameras; not shut down by
     * {@link #close()}), or an own event loop when null. @throws IOException if the connection fails.
     */
    public static TcpCameraClient connect(String host, int port, EventLoopGroup group) throws IOException {
        EventLoopGroup own = group == null ? new NioEventLoopGroup(1) : null;
        TcpCameraClient[] self = new TcpCameraClient[1];
        Bootstrap b = new Bootstrap().group(group != null ? group : own).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Handler(ch, () -> self[0]));
                    }
                });
        io.netty.channel.ChannelFuture f = b.connect(host, port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            if (own != null) {
                own.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw new IOException("cannot connect to camera gateway " + host + ":" + port + ": "
                    + f.cause().getMessage(), f.cause());
        }
        self[0] = new TcpCameraClient(f.channel(), own);
        return self[0];
    }

    /**
     * Sets the CONTROL handler: it returns the ACK status ({@link Ack#OK} etc.) and runs on the
     * I/O thread, so it must not block. Without a handler, or for an op v1 does not define, the
     * client answers {@link Ack#UNSUPPORTED}; a handler that throws yields {@link Ack#FAILED}; a handler that
     * returns {@link #NO_ACK} leaves the CONTROL unanswered.
     */
    @Override
    public TcpCameraClient onControl(Function<Control, Integer> handler) {
        this.controlHandler = handler;
        return this;
    }

    /** Sends HELLO (timestamp: this client's clock). */
    @Override
    public void sendHello(Hello hello) {
        send(hello, nowUs());
        helloSent = true;
    }

    /**
     * Sends one access unit as VIDEO with the next sequence number of {@code streamId}.
     * TAKES OWNERSHIP of {@code annexB} (released after encoding).
     */
    @Override
    public void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        try {
            if (streamId < 0 || streamId > 255) {
                throw new IllegalArgumentException("stream_id must be 0..255, got " + streamId);
            }
            synchronized (this) {
                send(new VideoFrame(streamId, sequence[streamId], captureTimeUs, keyframe, annexB), captureTimeUs);
            }
        } finally {
            annexB.release();
        }
    }

    /** Sends an EVENT stamped with {@link Event#timestampUs()}. */
    @Override
    public void sendEvent(Event event) {
        send(event, event.timestampUs());
    }

    /** Sends a HEARTBEAT now. */
    public void sendHeartbeat(Heartbeat heartbeat) {
        send(heartbeat, nowUs());
    }

    /** Sends raw bytes, bypassing framing (tests: garbage, cut frames). TAKES OWNERSHIP. */
    public void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes, channel.voidPromise());
    }

    /** False while the socket's send buffer is full (drop or wait before sending more video). */
    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** Completes when the connection has ended (either side). */
    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    private synchronized void send(WireMessage m, long timestampUs) {
        int stream = m.streamId();
        long seq = sequence[stream];
        sequence[stream] = (seq + 1) & 0xFFFF_FFFFL;
        lastSendNanos = System.nanoTime();
        channel.writeAndFlush(FrameEncoder.encode(channel.alloc(), m, seq, timestampUs), channel.voidPromise());
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private void heartbeatIfIdle() {
        long now = System.nanoTime();
        if (helloSent && now - lastSendNanos >= HEARTBEAT_NANOS) {
            sendHeartbeat(new Heartbeat((now - startNanos) / 1_000_000_000L, 0));
        }
    }

    private void onFrame(Frame frame) {
        WireMessage m;
        try {
            m = Messages.decode(frame);
        } catch (UnsupportedControlException e) {
            send(new Ack(e.controlId(), Ack.UNSUPPORTED, e.streamId()), nowUs());
            return;
        } catch (WireException e) {
            LOG.warn("camera client: dropped malformed frame from gateway: {}", e.getMessage());
            return;
        }
        if (m instanceof Control c) {
            int status = statusFor(c);
            if (status != NO_ACK) {
                send(new Ack(c.controlId(), status, c.streamId()), nowUs());
            }
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
            LOG.warn("camera client: control handler failed for {}: {}", c, e.toString());
            return Ack.FAILED;
        }
    }

    /** Closes the connection (and the own event loop, if any). Idempotent. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final FrameDecoder decoder;
        private final java.util.function.Supplier<TcpCameraClient> client;

        Handler(Channel ch, java.util.function.Supplier<TcpCameraClient> client) {
            this.decoder = new FrameDecoder(ch.alloc(), Frame.MAX_PAYLOAD_BYTES);
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                TcpCameraClient c = client.get();
                decoder.feed(buf, c != null ? c::onFrame : Frame::release);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            decoder.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("camera client: transport error: {}", cause.toString());
            ctx.close();
        }
    }
}
