package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Adobe RTMP specification 5.2: C0/S0 version 3, C1/S1 time+zero+random, C2/S2 echoes. */
class HandshakeTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Test
    void clientAndServerCompleteAndEchoEachOther() throws Exception {
        Handshake client = Handshake.client();
        Handshake server = Handshake.server();
        assertNull(server.start(alloc, 0));
        ByteBuf c0c1 = client.start(alloc, 1000);
        ByteBuf s0s1s2 = null;
        ByteBuf c2 = null;
        try {
            assertEquals(1537, c0c1.readableBytes());
            assertEquals(3, c0c1.getByte(0));
            assertEquals(1000, c0c1.getInt(1), "C1 time");
            assertEquals(0, c0c1.getInt(5), "C1 zero field");
            byte[] c1Random = ByteBufUtil.getBytes(c0c1, 9, 1528);

            ByteBuf c0c1Copy = c0c1.retainedDuplicate();
            s0s1s2 = server.read(alloc, c0c1Copy, 2000);
            c0c1Copy.release();
            assertEquals(1 + 1536 * 2, s0s1s2.readableBytes());
            assertEquals(3, s0s1s2.getByte(0));
            assertEquals(2000, s0s1s2.getInt(1), "S1 time");
            assertEquals(1000, s0s1s2.getInt(1 + 1536), "S2 time = C1 time");
            assertArrayEquals(c1Random, ByteBufUtil.getBytes(s0s1s2, 1 + 1536 + 8, 1528), "S2 random echo");
            byte[] s1Random = ByteBufUtil.getBytes(s0s1s2, 9, 1528);
            assertFalse(server.isComplete());

            c2 = client.read(alloc, s0s1s2, 3000);
            assertTrue(client.isComplete());
            assertEquals(1536, c2.readableBytes());
            assertEquals(2000, c2.getInt(0), "C2 time = S1 time");
            assertEquals(3000, c2.getInt(4), "C2 time2");
            assertArrayEquals(s1Random, ByteBufUtil.getBytes(c2, 8, 1528), "C2 random echo");

            assertNull(server.read(alloc, c2, 4000));
            assertTrue(server.isComplete());
        } finally {
            c0c1.release();
            if (s0s1s2 != null) {
                s0s1s2.release();
            }
            if (c2 != null) {
                c2.release();
            }
        }
    }

    @Test
    void waitsForCompletePacketsAndLeavesFollowingBytes() throws Exception {
        Handshake client = Handshake.client();
        client.start(alloc, 0).release();
        ByteBuf in = alloc.buffer();
        try {
            in.writeByte(3).writeZero(1536 * 2 - 1);
            assertNull(client.read(alloc, in, 0));
            assertEquals(1536 * 2, in.readableBytes(), "nothing consumed before S2 is complete");
            in.writeZero(1).writeByte(0x42);
            ByteBuf c2 = client.read(alloc, in, 0);
            c2.release();
            assertEquals(1, in.readableBytes(), "chunk bytes after S2 stay for the chunk reader");
        } finally {
            in.release();
        }
    }

    @Test
    void wrongVersionFailsWithHandshakeError() {
        Handshake server = Handshake.server();
        server.start(alloc, 0);
        ByteBuf in = alloc.buffer().writeByte(6);
        try {
            RtmpException e = assertThrows(RtmpException.class, () -> server.read(alloc, in, 0));
            assertEquals(RtmpErrorCode.RTMP_HANDSHAKE_FAILED, e.code());
            assertTrue(e.getMessage().contains("C0 version is 6"), e.getMessage());
        } finally {
            in.release();
        }
        Handshake client = Handshake.client();
        client.start(alloc, 0).release();
        ByteBuf tls = alloc.buffer().writeByte(0x16);
        try {
            RtmpException e = assertThrows(RtmpException.class, () -> client.read(alloc, tls, 0));
            assertTrue(e.getMessage().contains("S0 version is 22"), e.getMessage());
        } finally {
            tls.release();
        }
    }

    @Test
    void readBeforeStartIsAProgrammingError() {
        ByteBuf in = alloc.buffer().writeByte(3);
        try {
            assertThrows(IllegalStateException.class, () -> Handshake.client().read(alloc, in, 0));
        } finally {
            in.release();
        }
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, what);
    }
}
