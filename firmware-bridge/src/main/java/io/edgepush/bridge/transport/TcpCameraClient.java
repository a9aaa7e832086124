package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.WireCodec;
import io.edgepush.protocol.net.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera side of PROTOCOL.md v1 over TCP ({@link CameraClient#tcp}). Keeps per-stream sequence numbers, sends a
 * HEARTBEAT when nothing was sent for 1 s, and answers every CONTROL with an ACK from the {@link #onControl}
 * handler on the I/O thread. Send methods are thread-safe and keep call order.
 */
final class TcpCameraClient implements CameraClient {
    private static final Logger LOG = LoggerFactory.getLogger(TcpCameraClient.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Channel channel;
    private final EventLoopGroup ownGroup;
    private final long startNanos = System.nanoTime();
    private final WireCodec codec;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Function<Control, ControlAnswer> controlHandler;
    private volatile long lastSendNanos = startNanos;
    private volatile boolean helloSent;

    private TcpCameraClient(Channel channel, EventLoopGroup ownGroup) {
        this.channel = channel;
        this.ownGroup = ownGroup;
        this.codec = new WireCodec(channel.alloc(), WireCodec.MAX_PAYLOAD_BYTES);
        channel.closeFuture().addListener(f -> closed.complete(null));
        channel.eventLoop().scheduleAtFixedRate(this::heartbeatIfIdle, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Connects with its own single-thread event loop. @throws IOException if the connection fails. */
    static TcpCameraClient connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /**
     * Connects using {@code group} (shared by many simulated cameras; not shut down by
     * {@link #close()}), or an own event loop when null. @throws IOException if the connection fails.
     */
    static TcpCameraClient connect(String host, int port, EventLoopGroup group) throws IOException {
        EventLoopGroup own = group == null ? Transports.newGroup(1, "camera-client") : null;
        EventLoopGroup loops = group != null ? group : own;
        TcpCameraClient[] self = new TcpCameraClient[1];
        Bootstrap b = new Bootstrap().group(loops).channel(Transports.socketChannel(loops))
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

    /** See {@link CameraClient#onControl}; the handler runs on the I/O thread, so it must not block. */
    @Override
    public TcpCameraClient onControl(Function<Control, Integer> handler) {
        CameraClient.super.onControl(handler);
        return this;
    }

    /** See {@link CameraClient#onControlAnswer}; the handler runs on the I/O thread, so it must not block. */
    @Override
    public TcpCameraClient onControlAnswer(Function<Control, ControlAnswer> handler) {
        this.controlHandler = handler;
        return this;
    }

    /** Sends HELLO (timestamp: this client's clock). */
    @Override
    public void sendHello(Hello hello) {
        synchronized (this) {
            write(codec.encode(hello, nowUs()));
        }
        helloSent = true;
    }

    /**
     * Sends one access unit as VIDEO with the next sequence number of {@code streamId}.
     * TAKES OWNERSHIP of {@code annexB} (released after encoding).
     */
    @Override
    public void sendVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        try {
            synchronized (this) {
                write(codec.video(streamId, captureTimeUs, keyframe, annexB));
            }
        } finally {
            annexB.release();
        }
    }

    /** Sends an EVENT stamped with {@link Event#timestampUs()}. */
    @Override
    public synchronized void sendEvent(Event event) {
        write(codec.encode(event));
    }

    @Override
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

    /** Call with this client locked, right after encoding, so that sequence order is write order. */
    private void write(ByteBuf frame) {
        lastSendNanos = System.nanoTime();
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private synchronized void heartbeatIfIdle() {
        long now = System.nanoTime();
        if (helloSent && now - lastSendNanos >= HEARTBEAT_NANOS) {
            write(codec.heartbeat((now - startNanos) / 1_000_000_000L, 0, nowUs()));
        }
    }

    /** What the gateway sends: CONTROLs are answered; everything else is ignored. Runs on the I/O thread. */
    private final WireCodec.Receiver receiver = new WireCodec.Receiver() {
        @Override
        public void onControl(Control c) {
            Ack ack = answerFor(c).ackFor(c);
            if (ack != null) {
                synchronized (TcpCameraClient.this) {
                    write(codec.encode(ack, nowUs()));
                }
            }
        }

        @Override
        public void onUnknownControl(long controlId, int streamId, String reason) {
            synchronized (TcpCameraClient.this) {
                write(codec.encode(new Ack(controlId, Ack.UNSUPPORTED, streamId), nowUs()));
            }
        }

        @Override
        public void onMalformed(boolean hello, String reason) {
            LOG.warn("camera client: dropped malformed frame from gateway: {}", reason);
        }
    };

    private ControlAnswer answerFor(Control c) {
        Function<Control, ControlAnswer> h = controlHandler;
        if (h == null) {
            return ControlAnswer.status(Ack.UNSUPPORTED);
        }
        try {
            ControlAnswer answer = h.apply(c);
            return answer == null ? ControlAnswer.status(Ack.FAILED) : answer;
        } catch (RuntimeException e) {
            LOG.warn("camera client: control handler failed for {}: {}", c, e.toString());
            return ControlAnswer.status(Ack.FAILED);
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

    /** Decodes what the gateway sends; frames arriving before the client object exists are dropped. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private static final WireCodec.Receiver DROP = new WireCodec.Receiver() {
        };
        private final WireCodec decoder;
        private final java.util.function.Supplier<TcpCameraClient> client;

        Handler(Channel ch, java.util.function.Supplier<TcpCameraClient> client) {
            this.decoder = new WireCodec(ch.alloc(), WireCodec.MAX_PAYLOAD_BYTES);
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                TcpCameraClient c = client.get();
                decoder.feed(buf, c != null ? c.receiver : DROP);
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
