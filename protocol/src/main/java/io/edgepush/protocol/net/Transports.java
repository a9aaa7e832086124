package io.edgepush.protocol.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport the gateway's sockets use: Linux's native epoll where its library loads (fewer copies and
 * no selector garbage: edge-triggered epoll and direct buffers written with writev), Java NIO everywhere else.
 * Set the system property {@code edgepush.transport=nio} to force NIO (a kernel or libc the native library does
 * not support shows as {@link #unavailabilityCause()}).
 *
 * <p>A channel class must match its event loop group's kind; {@link #socketChannel} and {@link #serverSocketChannel}
 * pick it from the group, so a caller that was handed a group never guesses.
 */
public final class Transports {
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);
    private static final boolean FORCE_NIO = "nio".equalsIgnoreCase(System.getProperty("edgepush.transport"));

    private Transports() {
    }

    /** True when new groups use epoll. */
    public static boolean epoll() {
        return !FORCE_NIO && Epoll.isAvailable();
    }

    /** Why epoll is not used ({@code null} when it is). */
    public static String unavailabilityCause() {
        if (FORCE_NIO) {
            return "edgepush.transport=nio";
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : cause.toString();
    }

    /**
     * A new event loop group of {@code threads} daemon threads named {@code name-N}, epoll when {@link #epoll()},
     * else NIO. The caller owns it and shuts it down.
     *
     * @param threads at least 1
     */
    public static EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        if (epoll()) {
            return new EpollEventLoopGroup(threads, factory);
        }
        return new NioEventLoopGroup(threads, factory);
    }

    /**
     * The client socket channel class for {@code group} (epoll or NIO, as the group is); {@code group} may also be
     * one event loop of a group.
     */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The server socket channel class for {@code group} (or one of its event loops), epoll or NIO as it is. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** {@code "epoll"} or {@code "nio"}, for logs. */
    public static String name(EventLoopGroup group) {
        return isEpoll(group) ? "epoll" : "nio";
    }

    private static boolean isEpoll(EventLoopGroup group) {
        EventLoopGroup owner = group instanceof EventLoop loop && loop.parent() != null ? loop.parent() : group;
        return owner instanceof EpollEventLoopGroup;
    }

    /** Logs once which transport new groups use and, when it is NIO, why. */
    public static void logChoice() {
        if (epoll()) {
            LOG.info("event=transport kind=epoll");
        } else {
            LOG.info("event=transport kind=nio reason=\"{}\"", unavailabilityCause());
        }
    }
}
