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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wi-Fi cameras: a TCP server speaking PROTOCOL.md v1. Each accepted connection becomes a
 * {@link CameraConnection}; it is reported to the listener once its HELLO arrives. One
 * connection's garbage or errors never affect another's.
 */
public final class TcpCameraServer implements CameraTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpCameraServer.class);

    private final String host;
    private final int port;
    private final BridgeOptions options;
    private final Map<String, CameraConnection> registry = new ConcurrentHashMap<>();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** The caller's event loop group (not shut down here), or null: the server makes its own. */
    private final EventLoopGroup sharedGroup;
    private EventLoopGroup group;
    private Channel serverChannel;

    /** @param port TCP port, 0 for an ephemeral one (see {@link #boundPort()}) */
    public TcpCameraServer(String host, int port) {
        this(host, port, (EventLoopGroup) null);
    }

    /**
     * @param port TCP port, 0 for an ephemeral one (see {@link #boundPort()})
     * @param group event loops for the listening socket and the camera connections, BORROWED (the caller shuts it
     *              down after {@link #close()}), made with {@link Transports#newGroup}; null: an own group of 2
     */
    public TcpCameraServer(String host, int port, EventLoopGroup group) {
        this(host, port, BridgeOptions.defaults(), group);
    }

    TcpCameraServer(String host, int port, BridgeOptions options) {
        this(host, port, options, null);
    }

    private TcpCameraServer(String host, int port, BridgeOptions options, EventLoopGroup group) {
        this.host = host;
        this.port = port;
        this.options = options;
        this.sharedGroup = group;
    }

    /** Binds host:port and starts accepting. @throws UncheckedIOException if the bind fails. */
    @Override
    public synchronized void start(CameraListener listener) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = sharedGroup != null ? sharedGroup : Transports.newGroup(2, "camera-tcp");
        ServerBootstrap b = new ServerBootstrap().group(group).channel(Transports.serverSocketChannel(group))
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new Handler(listener));
                    }
                });
        try {
            serverChannel = b.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            if (group != sharedGroup) {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            }
            group = null;
            throw new UncheckedIOException(new java.io.IOException("cannot listen on " + host + ":" + port
                    + ": " + e.getMessage(), e));
        }
        LOG.info("camera TCP server listening on {}:{}", host, boundPort());
    }

    /** The bound port (useful after binding port 0). @throws IllegalStateException before start. */
    public int boundPort() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Closes the listening socket and every camera connection, then stops the threads. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().syncUninterruptibly();
        if (group != sharedGroup) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        group = null;
    }

    private final class Handler extends CameraChannelHandler {
        private final CameraListener listener;
        private CameraConnection connection;

        Handler(CameraListener listener) {
            this.listener = listener;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            String peer = "tcp:" + remote.getAddress().getHostAddress() + ":" + remote.getPort();
            connection = new CameraConnection(peer, new NettyByteOutput(ctx.channel()), ctx.channel().eventLoop(),
                    listener, options, registry);
            connection.start();
        }

        @Override
        protected void onBytes(ByteBuf chunk) {
            connection.onBytes(chunk);
        }

        @Override
        protected void onClosed(String reason) {
            if (connection != null) {
                connection.onTransportClosed(reason);
            }
        }
    }
}
