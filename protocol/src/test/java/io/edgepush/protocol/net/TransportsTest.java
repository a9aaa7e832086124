package io.edgepush.protocol.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportsTest {

    @Test
    void onLinuxNewGroupsUseEpollAndChannelClassesFollowTheGroup() {
        EventLoopGroup group = Transports.newGroup(1, "t");
        try {
            if (System.getProperty("os.name").toLowerCase().contains("linux")
                    && System.getProperty("edgepush.transport") == null) {
                assertTrue(Transports.epoll(), "epoll on Linux: " + Transports.unavailabilityCause());
                assertNull(Transports.unavailabilityCause());
                assertTrue(group instanceof EpollEventLoopGroup);
                assertEquals("epoll", Transports.name(group));
                assertEquals("epoll", Transports.name(group.next()), "one loop of an epoll group");
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
        EventLoopGroup nio = new NioEventLoopGroup(1);
        try {
            assertEquals(NioSocketChannel.class, Transports.socketChannel(nio));
            assertEquals(NioServerSocketChannel.class, Transports.serverSocketChannel(nio));
            assertEquals("nio", Transports.name(nio));
            assertEquals(NioSocketChannel.class, Transports.socketChannel(nio.next()));
        } finally {
            nio.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerAndAClientOnTheChosenTransportExchangeBytes() throws Exception {
        EventLoopGroup group = Transports.newGroup(2, "t");
        CompletableFuture<String> received = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(Transports.serverSocketChannel(group))
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf buf = (ByteBuf) msg;
                                    received.complete(buf.toString(StandardCharsets.US_ASCII));
                                    buf.release();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Channel client = new Bootstrap().group(group).channel(Transports.socketChannel(group))
                    .handler(new ChannelInboundHandlerAdapter()).connect("127.0.0.1", port).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)).sync();
            assertEquals("hello", received.get(10, TimeUnit.SECONDS));
            assertNotNull(client.localAddress());
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}
