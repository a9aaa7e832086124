package io.edgepush.simulator.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a {@link ThrottleProxy} and its connection to the target, both on the proxy's event loop
 * (all methods run there).
 *
 * <p>Upstream: bytes read from the client wait in {@link #upstream} (the buffers as read, owned here) while the
 * {@link Uplink} counts them through the shaper; {@link #deliverUpstream} writes the oldest ones to the target as
 * slices. Downstream: bytes read from the target wait in {@link #downstream} until their delay passed, then go to the
 * client; the target is not read while the client's channel is not writable.
 *
 * <p>Closing: when the client goes, the bytes it already sent still go through the link, then the target is closed;
 * when the target goes, the client's unsent bytes are dropped, the target's delayed bytes still reach the client,
 * then the client is closed. Every buffer is released once: written (the channel releases it) or dropped here.
 */
final class ProxiedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    private final Channel client;
    private final String name;
    private final Uplink uplink;
    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final Consumer<Channel> track;
    private final Consumer<ProxiedConnection> onFinished;
    private final ArrayDeque<ByteBuf> upstream = new ArrayDeque<>();
    private final ArrayDeque<Delayed> downstream = new ArrayDeque<>();
    private Channel target;
    private long upstreamBytes;
    private long upBytesTotal;
    private long downBytesTotal;
    private boolean clientClosed;
    private boolean targetClosed;
    private boolean finished;
    private ScheduledFuture<?> downstreamTimer;

    private record Delayed(long dueNanos, ByteBuf buf) {
    }

    /**
     * A connection for an accepted client channel; the target is connected when the client channel becomes active.
     *
     * @param client the accepted channel, autoRead off
     * @param track called with the target channel when it is created (so the proxy can close it)
     * @param onFinished called once when both sides are closed
     */
    ProxiedConnection(Channel client, Uplink uplink, String targetHost, int targetPort, long delayMs,
            Consumer<Channel> track, Consumer<ProxiedConnection> onFinished) {
        this.client = client;
        this.name = "connection from " + client.remoteAddress();
        this.uplink = uplink;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = delayMs * 1_000_000L;
        this.track = track;
        this.onFinished = onFinished;
    }

    /** The handler for the client channel's pipeline. */
    ChannelInboundHandlerAdapter clientHandler() {
        return new ClientSide();
    }

    /**
     * Writes the oldest {@code bytes} of this connection's upstream to the target and flushes: whole buffers are
     * handed over, a buffer only partly due is split with a retained slice (no copy); the target channel releases
     * what it is given. If the target is gone the bytes are released here.
     */
    void deliverUpstream(long bytes) {
        upstreamBytes -= bytes;
        boolean open = target != null && !targetClosed;
        long left = bytes;
        while (left > 0) {
            ByteBuf head = upstream.peekFirst();
            ByteBuf piece = head.readableBytes() <= left ? upstream.pollFirst() : head.readRetainedSlice((int) left);
            int size = piece.readableBytes();
            left -= size;
            if (open) {
                target.write(piece).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        uplink.delivered(size);
                    }
                });
            } else {
                piece.release();
            }
        }
        if (open) {
            target.flush();
            if (clientClosed && upstreamBytes == 0) {
                closeAfterFlush(target);
            }
        }
    }

    /** Stops reading from the client (the bottleneck queue is full). */
    void pauseReading() {
        client.config().setAutoRead(false);
    }

    /** Reads from the client again, if both sides are still open. */
    void resumeReading() {
        if (!clientClosed && target != null && !targetClosed) {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private void connectTarget() {
        new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track.accept(ch);
                        ch.pipeline().addLast(new TargetSide());
                    }
                })
                .connect(targetHost, targetPort).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        LOG.warn("{}: cannot connect to target {}:{}: {}", this, targetHost, targetPort,
                                f.cause().toString());
                        targetClosed = true;
                        client.close();
                        finishIfBothClosed();
                        return;
                    }
                    target = f.channel();
                    if (clientClosed) {
                        target.close();
                        return;
                    }
                    LOG.info("{} forwarded to {}", this, target.remoteAddress());
                    if (uplink.hasRoom()) {
                        client.config().setAutoRead(true);
                    } else {
                        uplink.waitForRoom(this);
                    }
                });
    }

    private void onClientBytes(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0 || target == null || targetClosed) {
            buf.release();
            return;
        }
        upstream.addLast(buf);
        upstreamBytes += n;
        upBytesTotal += n;
        uplink.arrive(this, n);
    }

    private void onClientClosed() {
        clientClosed = true;
        releaseDownstream();
        if (target == null) {
            finishIfBothClosed(); // connect pending (its listener closes the target) or failed
        } else if (targetClosed) {
            finishIfBothClosed();
        } else if (upstreamBytes == 0) {
            closeAfterFlush(target);
        }
        // else: the upstream still in the link goes on; deliverUpstream closes the target after the last byte
    }

    private void onTargetBytes(ByteBuf buf) {
        if (clientClosed || buf.readableBytes() == 0) {
            buf.release();
            return;
        }
        downBytesTotal += buf.readableBytes();
        if (delayNanos == 0 && downstream.isEmpty()) {
            client.write(buf);
            return;
        }
        downstream.addLast(new Delayed(System.nanoTime() + delayNanos, buf));
        scheduleDownstream();
    }

    private void scheduleDownstream() {
        if (downstreamTimer != null || downstream.isEmpty()) {
            return;
        }
        long wait = Math.max(0, downstream.peekFirst().dueNanos() - System.nanoTime());
        downstreamTimer = client.eventLoop().schedule(() -> {
            downstreamTimer = null;
            sendDueDownstream();
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void sendDueDownstream() {
        if (clientClosed) {
            releaseDownstream();
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (!downstream.isEmpty() && downstream.peekFirst().dueNanos() - now <= 0) {
            client.write(downstream.pollFirst().buf());
            wrote = true;
        }
        if (wrote) {
            client.flush();
            throttleTargetReads();
        }
        if (!downstream.isEmpty()) {
            scheduleDownstream();
        } else if (targetClosed) {
            closeAfterFlush(client);
        }
    }

    private void throttleTargetReads() {
        if (target != null && !client.isWritable()) {
            target.config().setAutoRead(false);
        }
    }

    private void onTargetClosed() {
        targetClosed = true;
        releaseUpstream();
        if (clientClosed) {
            finishIfBothClosed();
        } else if (downstream.isEmpty()) {
            closeAfterFlush(client);
        }
        // else: sendDueDownstream closes the client after the last delayed byte
    }

    private void releaseUpstream() {
        uplink.forget(this);
        ByteBuf b;
        while ((b = upstream.pollFirst()) != null) {
            b.release();
        }
        upstreamBytes = 0;
    }

    private void releaseDownstream() {
        Delayed d;
        while ((d = downstream.pollFirst()) != null) {
            d.buf().release();
        }
        if (downstreamTimer != null) {
            downstreamTimer.cancel(false);
            downstreamTimer = null;
        }
    }

    /** Releases whatever is still held (the proxy is closing). */
    void releaseAll() {
        releaseDownstream();
        releaseUpstream();
    }

    private void finishIfBothClosed() {
        if (clientClosed && targetClosed && !finished) {
            finished = true;
            releaseAll();
            LOG.info("{} closed: {} bytes read from the client, {} from the target", this, upBytesTotal,
                    downBytesTotal);
            onFinished.accept(this);
        }
    }

    private static void closeAfterFlush(Channel ch) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** The client's pipeline end: reads upstream bytes, writes downstream ones. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connectTarget();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                onClientBytes(buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (client.isWritable() && target != null && !targetClosed) {
                target.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClientClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: client side: {}", ProxiedConnection.this, cause.toString());
            ctx.close();
        }
    }

    /** The target's pipeline end: reads downstream bytes. */
    private final class TargetSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                onTargetBytes(buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!clientClosed) {
                client.flush();
                throttleTargetReads();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onTargetClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: target side: {}", ProxiedConnection.this, cause.toString());
            ctx.close();
        }
    }
}
