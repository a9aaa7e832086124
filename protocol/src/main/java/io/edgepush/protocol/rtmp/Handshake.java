package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simple (unencrypted, non-digest) RTMP handshake of Adobe RTMP specification 5.2, client or server side.
 *
 * <p>Client: {@link #start} returns C0+C1 (version 3; C1 = 4-byte time, 4 zero bytes, 1528 random bytes);
 * {@link #read} waits for S0+S1+S2, checks the S0 version and returns C2 (an echo of S1).
 * Server: {@link #start} returns null; {@link #read} waits for C0+C1, checks the C0 version, returns
 * S0+S1+S2 (S2 echoes C1), then consumes C2. Bytes after the handshake stay in the input buffer for the chunk
 * reader. One instance per connection, not thread safe.
 */
final class Handshake {
    /** RTMP version byte in C0/S0 (5.2.2). */
    public static final int VERSION = 3;
    /** Size of C1/S1/C2/S2 in bytes (5.2.3, 5.2.4). */
    public static final int PACKET_SIZE = 1536;

    private enum State { NEW, WAIT_PEER_HELLO, WAIT_C2, DONE }

    private final boolean client;
    private State state = State.NEW;

    private Handshake(boolean client) {
        this.client = client;
    }

    /** A client side handshake (sends C0C1, expects S0S1S2, sends C2). */
    public static Handshake client() {
        return new Handshake(true);
    }

    /** A server side handshake (expects C0C1, sends S0S1S2, expects C2). */
    public static Handshake server() {
        return new Handshake(false);
    }

    /** True once the handshake finished; later bytes are chunks. */
    public boolean isComplete() {
        return state == State.DONE;
    }

    /**
     * Starts the handshake. Client: returns C0+C1 (1537 bytes, caller owns). Server: returns null.
     *
     * @param timeMs the 4-byte epoch written into C1 (milliseconds, any base)
     */
    public ByteBuf start(ByteBufAllocator alloc, int timeMs) {
        if (state != State.NEW) {
            throw new IllegalStateException("handshake already started");
        }
        state = State.WAIT_PEER_HELLO;
        if (!client) {
            return null;
        }
        ByteBuf out = alloc.buffer(1 + PACKET_SIZE);
        out.writeByte(VERSION);
        writeHello(out, timeMs);
        return out;
    }

    /**
     * Consumes handshake bytes from {@code in} (borrowed; only the bytes of complete handshake packets are read).
     *
     * @return bytes to send to the peer (caller owns): C2 for a client, S0+S1+S2 for a server; or null when
     *         nothing is to be sent yet
     * @throws RtmpException RTMP_HANDSHAKE_FAILED if the peer's version byte is not 3
     */
    public ByteBuf read(ByteBufAllocator alloc, ByteBuf in, int timeMs) throws RtmpException {
        switch (state) {
            case NEW -> throw new IllegalStateException("handshake not started");
            case WAIT_PEER_HELLO -> {
                return client ? readServerHello(alloc, in, timeMs) : readClientHello(alloc, in, timeMs);
            }
            case WAIT_C2 -> {
                if (in.readableBytes() >= PACKET_SIZE) {
                    in.skipBytes(PACKET_SIZE);
                    state = State.DONE;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private ByteBuf readServerHello(ByteBufAllocator alloc, ByteBuf in, int timeMs) throws RtmpException {
        if (in.readableBytes() < 1 + 2 * PACKET_SIZE) {
            checkVersion(in, "S0");
            return null;
        }
        checkVersion(in, "S0");
        in.skipBytes(1);
        ByteBuf c2 = alloc.buffer(PACKET_SIZE);
        writeEcho(c2, in, timeMs);
        in.skipBytes(PACKET_SIZE); // S2: echo of our C1; servers using the digest handshake do not echo it
        state = State.DONE;
        return c2;
    }

    private ByteBuf readClientHello(ByteBufAllocator alloc, ByteBuf in, int timeMs) throws RtmpException {
        checkVersion(in, "C0");
        if (in.readableBytes() < 1 + PACKET_SIZE) {
            return null;
        }
        in.skipBytes(1);
        ByteBuf out = alloc.buffer(1 + 2 * PACKET_SIZE);
        out.writeByte(VERSION);
        writeHello(out, timeMs);
        writeEcho(out, in, timeMs);
        state = State.WAIT_C2;
        return out;
    }

    private static void checkVersion(ByteBuf in, String what) throws RtmpException {
        if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != VERSION) {
            throw new RtmpException(RtmpErrorCode.RTMP_HANDSHAKE_FAILED, what + " version is "
                    + in.getUnsignedByte(in.readerIndex()) + ", expected " + VERSION
                    + " (is the peer speaking RTMP? an rtmps:// server needs the rtmps scheme)");
        }
    }

    /** C1/S1 (5.2.3): time (4 bytes), zero (4 bytes), 1528 random bytes. */
    private static void writeHello(ByteBuf out, int timeMs) {
        out.writeInt(timeMs);
        out.writeInt(0);
        byte[] random = new byte[PACKET_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        out.writeBytes(random);
    }

    /** C2/S2 (5.2.4): peer's time, time2 = when we read the peer's packet, peer's random echo. Consumes it. */
    private static void writeEcho(ByteBuf out, ByteBuf peerHello, int timeMs) {
        out.writeInt(peerHello.readInt());
        out.writeInt(timeMs);
        peerHello.skipBytes(4);
        out.writeBytes(peerHello, PACKET_SIZE - 8);
    }
}
