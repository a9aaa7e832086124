package io.edgepush.bridge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Error paths of message decoding and construction: clear errors, payload released exactly once. */
class MessagesTest {
    private static Frame frame(int type, int streamId, String payloadHex) {
        ByteBuf p = PooledByteBufAllocator.DEFAULT.buffer();
        p.writeBytes(Vectors.bytes(payloadHex));
        return new Frame(type, 0, streamId, 0, 0, p);
    }

    @Test
    void truncatedHelloNamesTheFieldAndReleasesThePayload() {
        Frame f = frame(0x01, 0, "05 41 42"); // device_id claims 5 bytes, has 2
        WireException e = assertThrows(WireException.class, () -> Messages.decode(f));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
        assertEquals(0, f.payload().refCnt());
    }

    @Test
    void helloWithInvalidDeviceIdIsRejected() {
        Frame f = frame(0x01, 0, "03 61 2f 62 00 04 68 32 36 34 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
        WireException e = assertThrows(WireException.class, () -> Messages.decode(f));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
    }

    @Test
    void shortHeartbeatAckControlAndEmptyVideoAreMalformed() {
        for (int type : new int[] {0x04, 0x10, 0x11, 0x03}) {
            Frame f = frame(type, 0, "00");
            assertThrows(WireException.class, () -> Messages.decode(f), "type " + type);
            assertEquals(0, f.payload().refCnt());
        }
        Frame empty = frame(0x02, 0, "");
        assertThrows(WireException.class, () -> Messages.decode(empty));
        assertEquals(0, empty.payload().refCnt());
    }

    @Test
    void unknownControlOpCarriesTheIdToAnswer() {
        Frame f = frame(0x10, 1, "00 00 00 2a 63 00 00 00 00");
        UnsupportedControlException e = assertThrows(UnsupportedControlException.class, () -> Messages.decode(f));
        assertEquals(42, e.controlId());
        assertEquals(1, e.streamId());
    }

    @Test
    void unknownTypeIsIgnored() {
        Frame f = frame(0x7E, 0, "01 02");
        assertNull(Messages.decode(f));
        assertEquals(0, f.payload().refCnt());
    }

    @Test
    void trailingBytesAfterKnownFieldsAreIgnored() {
        Frame f = frame(0x11, 0, "00 00 00 07 03 ff ff");
        assertEquals(new Ack(7, Ack.INVALID_VALUE), Messages.decode(f));
    }

    @Test
    void ackAppliedValueIsOptional() {
        // 5 bytes: an older camera, no applied_value.
        assertEquals(new Ack(7, Ack.OK, 1, Ack.NO_VALUE), Messages.decode(frame(0x11, 1, "00 00 00 07 00")));
        // 9 bytes: applied_value (w << 16) | h = 1280x720.
        Ack resolution = (Ack) Messages.decode(frame(0x11, 0, "00 00 00 07 00 05 00 02 d0"));
        assertEquals(0x050002D0L, resolution.appliedValue());
        // u32 all ones is a value, not NO_VALUE; more bytes after it are ignored.
        assertEquals(new Ack(8, Ack.OK, 0, 0xFFFF_FFFFL),
                Messages.decode(frame(0x11, 0, "00 00 00 08 00 ff ff ff ff 01")));
        assertEquals(new Ack(7, Ack.OK), new Ack(7, Ack.OK, 0, Ack.NO_VALUE), "the short constructors mean NO_VALUE");
        assertEquals(5, new Ack(7, Ack.OK).payloadLength());
        assertFalse(new Ack(7, Ack.OK).hasAppliedValue());
        assertThrows(IllegalArgumentException.class, () -> new Ack(7, Ack.OK, 0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new Ack(7, Ack.OK, 0, -2));
    }

    @Test
    void outOfRangeFieldsAreRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Control(-1, ControlOp.FORCE_IDR, 0));
        assertThrows(IllegalArgumentException.class, () -> new Control(1, ControlOp.SET_FPS, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new Hello("cam", "1", "h264", 0, 70000, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Hello("cam", "1", "", 0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Event(0, 0, 1, "x".repeat(1025)));
    }

    @Test
    void encoderRejectsSequenceOutsideU32() {
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, new Heartbeat(0, 0), 1L << 32, 0));
    }
}
