package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraListener;
import io.edgepush.protocol.net.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP listeners for cameras that send a raw H.264 Annex B elementary stream with no framing (DESIGN.md section
 * 7); each accepted connection becomes a {@link RawAnnexBConnection}, reported to the listener at once (there
 * is no HELLO). The device_id comes from the listen address ({@link Listen#deviceId()}: whoever connects there is that
 * camera) or, on a shared listen address, from the peer address through {@link PeerIdentity}; a connection
 * without a device_id is refused (closed at once, one log line). A connection that sends nothing for
 * {@link BridgeOptions#idleTimeout()} is closed. One connection's garbage never affects another's.
 */
public final class RawAnnexBServer implements CameraTransport {
    private static final Logger LOG = LoggerFactory.getLogger(RawAnnexBServer.class);

    /**
     * One listen address.
     *
     * @param host     bind address, e.g. "0.0.0.0"
     * @param port     TCP port, 0 for an ephemeral one (see {@link #boundPort(int)})
     * @param deviceId the camera behind this port, or null: identify cameras by peer address
     */
    public record Listen(String host, int port, String deviceId) {
    }

    /** Names cameras on a shared listen address. */
    @FunctionalInterface
    public interface PeerIdentity {
        /**
         * @param peer      the camera's address
         * @param localPort the port it connected to
         * @return its device_id, or null to refuse the connection
         */
        String deviceIdFor(InetSocketAddress peer, int localPort);
    }

    private final List<Listen> listens;
    private final PeerIdentity peers;
    private final BridgeOptions options;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    /** The caller's event loop group (not shut down here), or null: the server makes its own. */
    private final EventLoopGroup sharedGroup;
    private EventLoopGroup group;

    /** Default link settings (the idle timeout closes a silent camera after 5 s), an own event loop group of 2. */
    public RawAnnexBServer(List<Listen> listens, PeerIdentity peers) {
        this(listens, peers, BridgeOptions.defaults(), null);
    }

    /**
     * Default link settings on the caller's event loops.
     *
     * @param group BORROWED (the caller shuts it down after {@link #close()}), made with {@link Transports#newGroup};
     *              null: an own group of 2
     */
    public RawAnnexBServer(List<Listen> listens, PeerIdentity peers, EventLoopGroup group) {
        this(listens, peers, BridgeOptions.defaults(), group);
    }

    RawAnnexBServer(List<Listen> listens, PeerIdentity peers, BridgeOptions options) {
        this(listens, peers, options, null);
    }

    private RawAnnexBServer(List<Listen> listens, PeerIdentity peers, BridgeOptions options, EventLoopGroup group) {
        this.sharedGroup = group;
        if (listens.isEmpty()) {
            throw new IllegalArgumentException("at least one listen address is needed");
        }
        this.listens = List.copyOf(listens);
        this.peers = peers;
        this.options = options;
    }

    /** Binds every listen address; @throws UncheckedIOException if one fails (none stays bound). */
    @Override
    public synchronized void start(CameraListener listener) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = sharedGroup != null ? sharedGroup : Transports.newGroup(2, "camera-raw");
        for (Listen listen : listens) {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(Transports.serverSocketChannel(group))
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            channels.add(ch);
                            ch.pipeline().addLast(new Handler(listener, listen));
                        }
                    });
            try {
                serverChannels.add(b.bind(listen.host(), listen.port()).syncUninterruptibly().channel());
            } catch (Exception e) {
                close();
                throw new UncheckedIOException(new IOException("cannot listen for raw Annex B cameras on "
                        + listen.host() + ":" + listen.port() + ": " + e.getMessage(), e));
            }
            LOG.info("raw Annex B camera server listening on {}:{} for {}", listen.host(),
                    boundPort(serverChannels.size() - 1), listen.deviceId() == null ? "cameras by peer address"
                            : listen.deviceId());
        }
    }

    /** The bound port of listen address {@code index} (in constructor order). @throws IllegalStateException before start. */
    public synchronized int boundPort(int index) {
        if (index >= serverChannels.size()) {
            throw new IllegalStateException("listen address " + index + " is not bound");
        }
        return ((InetSocketAddress) serverChannels.get(index).localAddress()).getPort();
    }

    /** Closes the listening sockets and every camera connection, then stops the threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        serverChannels.forEach(c -> c.close().syncUninterruptibly());
        channels.close().syncUninterruptibly();
        if (group != sharedGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        group = null;
    }

    private final class Handler extends CameraChannelHandler {
        private final CameraListener listener;
        private final Listen listen;
        private RawAnnexBConnection connection;
        private long lastReadNanos = System.nanoTime();
        private ScheduledFuture<?> idleCheck;

        Handler(CameraListener listener, Listen listen) {
            this.listener = listener;
            this.listen = listen;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            int localPort = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
            String peer = "raw-tcp:" + remote.getAddress().getHostAddress() + ":" + remote.getPort();
            String deviceId;
            try {
                deviceId = listen.deviceId() != null ? listen.deviceId() : peers.deviceIdFor(remote, localPort);
            } catch (RuntimeException e) {
                LOG.warn("event=raw_camera_refused peer={} reason=\"{}\"", peer, e.getMessage());
                ctx.close();
                return;
            }
            if (deviceId == null) {
                LOG.warn("event=raw_camera_refused peer={} port={} reason=\"peer address not configured and "
                        + "unknown cameras are not accepted\"", peer, localPort);
                ctx.close();
                return;
            }
            connection = new RawAnnexBConnection(peer, deviceId, new NettyByteOutput(ctx.channel()), listener,
                    options.maxPayloadBytes());
            connection.start();
            long timeoutNanos = options.idleTimeout().toNanos();
            idleCheck = ctx.executor().scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastReadNanos > timeoutNanos) {
                    connection.close("nothing received for " + options.idleTimeout().toMillis() + " ms");
                }
            }, timeoutNanos / 4, timeoutNanos / 4, TimeUnit.NANOSECONDS);
        }

        @Override
        protected void onBytes(ByteBuf chunk) {
            lastReadNanos = System.nanoTime();
            if (connection != null) {
                connection.onBytes(chunk);
            }
        }

        @Override
        protected void onClosed(String reason) {
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            if (connection != null) {
                connection.onTransportClosed(reason);
            }
        }
    }
}
