package io.edgepush.simulator.link;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy that emulates a bad uplink between the agent and an RTMP server: every connection accepted on the
 * listen address is forwarded to the target through a bottleneck queue, a token-bucket rate limit and a one-way
 * delay. The rate can change at run time ({@link #setRateBps}) or follow a {@link LinkTrace} ({@link #runTrace}).
 *
 * <p>What is modelled, upstream (client to target), like a home router in front of a slow line:
 * <ul>
 *   <li>One uplink shared by all connections: one bottleneck queue (FIFO across connections) and one token bucket.
 *   <li>The bottleneck queue holds {@code queueBytes}; while it is full the proxy stops reading from its clients, so
 *       their TCP send buffers fill and their writes back up, as behind a full router buffer. Accepted sockets get a
 *       small receive buffer ({@value #CLIENT_RCVBUF_BYTES} bytes, set on the listening socket so it holds from the
 *       handshake on) to keep the kernel's hidden queue small. The queue can exceed its size by at most one read
 *       ({@value #MAX_READ_BYTES} bytes) per connection.
 *   <li>Bytes leave the queue at the rate: a token bucket of depth {@code max(1500 B, 10 ms of the rate)}, so bursts
 *       stay short. Rate 0 pauses the link: nothing more leaves the queue (bytes already on the wire still arrive).
 *   <li>Each byte reaches the target {@code delayMs} after it left the queue, so it never arrives before its arrival
 *       + delay and queueing adds to the delay.
 *   <li>Granularity: a timer on the event loop wakes when the next 1500 bytes are allowed or the next delayed bytes
 *       are due, at most once per millisecond. A timer that fires late costs no rate: the bytes due meanwhile leave
 *       together (up to one more bucket depth).
 * </ul>
 * Downstream (target to client: RTMP acknowledgements, control messages, command results) is not shaped: it passes
 * with the same one-way delay (so a round trip takes 2 x delayMs), and the target is not read while the client's
 * channel is not writable.
 *
 * <p>Not modelled: loss, reordering, duplication, jitter, a downstream rate limit, backpressure from a slow target
 * (bytes allowed out are written to the target socket whatever its state), MTU or per-packet overhead (the rate
 * counts payload bytes only).
 *
 * <p>Closing: when a client closes, the bytes it already sent still go through the link at the current rate, then the
 * target connection is closed (at rate 0 that waits until the rate rises or the proxy closes). When the target
 * closes, the client's bytes not yet delivered are dropped, the target's delayed bytes still reach the client, then
 * the client connection is closed. A target that cannot be connected closes the client; the client is not read until
 * its target connection is up.
 *
 * <p>Threads: one Netty NIO event loop runs every connection. The setters and counters may be used from any thread.
 * Buffers read from a socket are owned by the proxy until they are written to the other socket or dropped; none is
 * copied (the queue hands out retained slices).
 */
public final class ThrottleProxy implements AutoCloseable {
    /** SO_RCVBUF of accepted client sockets, bytes (the kernel may double it). */
    public static final int CLIENT_RCVBUF_BYTES = 32 * 1024;
    /** The largest single read from a client socket, bytes. */
    public static final int MAX_READ_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ThrottleProxy.class);

    private final ThrottleOptions options;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("throttle-proxy"));
    private final EventLoop loop = group.next();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Set<ProxiedConnection> connections = new LinkedHashSet<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Uplink uplink;
    private Channel serverChannel;
    private int port;

    private ThrottleProxy(ThrottleOptions options) {
        this.options = options;
        this.uplink = new Uplink(loop, options.rateBps(), options.delayMs(), options.queueBytes());
    }

    /**
     * Listens on {@code options.listenHost():options.listenPort()} and forwards every accepted connection to the
     * target through the emulated uplink.
     *
     * @throws IOException if the address cannot be bound
     */
    public static ThrottleProxy start(ThrottleOptions options) throws IOException {
        ThrottleProxy proxy = new ThrottleProxy(options);
        proxy.bind();
        return proxy;
    }

    private void bind() throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_RCVBUF, CLIENT_RCVBUF_BYTES)
                .childOption(ChannelOption.SO_RCVBUF, CLIENT_RCVBUF_BYTES)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(512, 4096, MAX_READ_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ProxiedConnection c = new ProxiedConnection(ch, uplink, options.targetHost(),
                                options.targetPort(), options.delayMs(), channels::add, ThrottleProxy.this::finished);
                        connections.add(c);
                        openConnections.incrementAndGet();
                        ch.pipeline().addLast(c.clientHandler());
                    }
                });
        ChannelFuture f = b.bind(options.listenHost(), options.listenPort()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IOException("throttle proxy cannot listen on " + options.listenHost() + ":"
                    + options.listenPort() + ": " + f.cause().getMessage(), f.cause());
        }
        serverChannel = f.channel();
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("throttle proxy listening on {}:{} -> {}:{}, {} kbps, delay {} ms, queue {} bytes",
                options.listenHost(), port, options.targetHost(), options.targetPort(),
                LinkTrace.kbps(options.rateBps()), options.delayMs(), options.queueBytes());
    }

    private void finished(ProxiedConnection c) {
        connections.remove(c);
        openConnections.decrementAndGet();
    }

    /** The bound TCP port (the ephemeral one if the options asked for port 0). */
    public int port() {
        return port;
    }

    /** The options the proxy started with (the rate may have changed since: see {@link #rateBps()}). */
    public ThrottleOptions options() {
        return options;
    }

    /**
     * Changes the uplink rate; takes effect at once (with the event loop's next task). Tokens already in the bucket are
     * kept up to the new depth; 0 pauses and empties the bucket. Thread-safe.
     *
     * @param rateBps bits per second, 0..100 Gbit/s
     * @throws IllegalArgumentException if out of range
     */
    public void setRateBps(long rateBps) {
        LinkShaper.checkRate(rateBps);
        LOG.info("uplink rate set to {} kbps", LinkTrace.kbps(rateBps));
        uplink.setRateBps(rateBps);
    }

    /** The current uplink rate, bits per second (the last one set). */
    public long rateBps() {
        return uplink.rateBps();
    }

    /**
     * Applies {@code trace} from now: its step at 0 s at once, each later step at its time; after the last step its
     * rate holds. Cancel the returned run to stop (the rate stays where it is); a second run does not cancel the
     * first. Steps are scheduled on the proxy's event loop, so closing the proxy ends the run.
     */
    public TraceRun runTrace(LinkTrace trace) {
        return TraceRun.start(trace, this::setRateBps, loop);
    }

    /** Bytes read from clients so far (all connections). */
    public long bytesReceived() {
        return uplink.receivedBytes();
    }

    /** Bytes written to the target's sockets so far (all connections; counted when a write completes). */
    public long bytesDelivered() {
        return uplink.deliveredBytes();
    }

    /** Bytes now waiting in the bottleneck queue (not yet sent at the rate). */
    public long queuedBytes() {
        return uplink.queuedBytes();
    }

    /** Bytes sent at the rate but still inside the one-way delay. */
    public long inFlightBytes() {
        return uplink.inFlightBytes();
    }

    /** Client connections not yet fully closed. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops listening, closes every connection at once (dropping whatever is queued or inside the delay, releasing its
     * buffers) and stops the event loop. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Runs after the channels' inactive events: release anything a connection still holds.
        loop.submit(() -> new ArrayList<>(connections).forEach(ProxiedConnection::releaseAll))
                .awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
