package io.edgepush.bridge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/** The sending half of a byte transport (TCP socket, serial port), as seen by {@link CameraConnection}. */
interface ByteOutput {
    /** Allocator for outgoing frames. */
    ByteBufAllocator alloc();

    /** Queues {@code bytes} for sending, in call order; TAKES OWNERSHIP. Thread-safe. */
    void write(ByteBuf bytes);

    /** Closes the transport; it then calls {@link CameraConnection#onTransportClosed}. Thread-safe, idempotent. */
    void close();

    /** The Netty event loop that reads this transport, or null when no event loop does (a serial port's thread). */
    default EventLoop eventLoop() {
        return null;
    }
}
