package io.edgepush.simulator.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain TCP peers on 127.0.0.1 for the proxy tests: a sink/echo server and a client that records what it reads. */
final class TcpPeers {
    private TcpPeers() {
    }

    /** What the server does with each connection. */
    enum Mode {
        /** Records the bytes. */
        SINK,
        /** Records the bytes and sends them back. */
        ECHO,
        /** Closes the connection on its first bytes. */
        CLOSE_ON_FIRST_BYTES
    }

    /** Copies a buffer's readable bytes into {@code out} without moving its reader index. */
    private static void record(ByteBuf buf, ByteArrayOutputStream out) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        synchronized (out) {
            out.writeBytes(bytes);
        }
    }

    private static byte[] snapshot(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    private static int size(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.size();
        }
    }

    /** A server on 127.0.0.1:ephemeral; all connections' bytes go to one record. */
    static final class Server implements AutoCloseable {
        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();
        private final Channel channel;

        Server(Mode mode) {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accepted.incrementAndGet();
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf buf = (ByteBuf) msg;
                                    record(buf, received);
                                    switch (mode) {
                                        case ECHO -> ctx.write(buf);
                                        case CLOSE_ON_FIRST_BYTES -> {
                                            buf.release();
                                            ctx.close();
                                        }
                                        default -> buf.release();
                                    }
                                }

                                @Override
                                public void channelReadComplete(ChannelHandlerContext ctx) {
                                    ctx.flush();
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    closed.incrementAndGet();
                                }
                            });
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        byte[] received() {
            return snapshot(received);
        }

        int receivedBytes() {
            return size(received);
        }

        int accepted() {
            return accepted.get();
        }

        int closed() {
            return closed.get();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * A client that sends a payload as fast as its channel stays writable (so a full path backs up into it: its
     * channel turns and stays unwritable) and records what it reads.
     */
    static final class Client implements AutoCloseable {
        private static final int CHUNK_BYTES = 16 * 1024;

        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final Channel channel;
        private byte[] payload = new byte[0];
        private int offset;
        private boolean closeWhenSent;
        private boolean sending;

        /** Connects to 127.0.0.1:port with a {@code sndbufBytes} socket send buffer (0 = the kernel's default). */
        Client(int port, int sndbufBytes) {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            record(buf, received);
                            buf.release();
                        }

                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            sendMore();
                        }
                    });
            if (sndbufBytes > 0) {
                b.option(ChannelOption.SO_SNDBUF, sndbufBytes);
            }
            channel = b.connect("127.0.0.1", port).syncUninterruptibly().channel();
        }

        /** Starts sending {@code bytes} (after anything still being sent); closes afterwards if asked. */
        void send(byte[] bytes, boolean thenClose) {
            channel.eventLoop().execute(() -> {
                byte[] joined = new byte[payload.length - offset + bytes.length];
                System.arraycopy(payload, offset, joined, 0, payload.length - offset);
                System.arraycopy(bytes, 0, joined, payload.length - offset, bytes.length);
                payload = joined;
                offset = 0;
                closeWhenSent = thenClose;
                sendMore();
            });
        }

        /** Writes while writable. Writes and flushes fire writability events synchronously: no re-entry. */
        private void sendMore() {
            if (sending) {
                return;
            }
            sending = true;
            try {
                while (channel.isWritable() && offset < payload.length) {
                    int n = Math.min(CHUNK_BYTES, payload.length - offset);
                    int from = offset;
                    offset += n;
                    channel.write(Unpooled.wrappedBuffer(payload, from, n));
                }
                channel.flush();
            } finally {
                sending = false;
            }
            if (channel.isWritable() && offset < payload.length) {
                channel.eventLoop().execute(this::sendMore); // the flush made room while we were in the loop
            } else if (closeWhenSent && offset == payload.length) {
                closeWhenSent = false;
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
            }
        }

        Channel channel() {
            return channel;
        }

        byte[] received() {
            return snapshot(received);
        }

        int receivedBytes() {
            return size(received);
        }

        /** Bytes handed to the channel but not yet written to the socket (Netty's outbound buffer). */
        long pendingOutboundBytes() {
            var outbound = channel.unsafe().outboundBuffer();
            return outbound == null ? 0 : outbound.totalPendingWriteBytes();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
