package io.edgepush.bridge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/** {@link ByteOutput} over a Netty channel; failed writes are released by Netty. */
final class NettyByteOutput implements ByteOutput {
    private final Channel channel;

    NettyByteOutput(Channel channel) {
        this.channel = channel;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void write(ByteBuf bytes) {
        channel.writeAndFlush(bytes, channel.voidPromise());
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }
}
