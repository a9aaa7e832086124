package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Protocol control messages, Adobe RTMP spec 5.4.1-5.4.5, and User Control events, 7.1.7. */
class ControlMessagesTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    private static void assertMessage(int typeId, String payloadHex, Supplier<RtmpMessage> build) {
        RtmpMessage m = build.get();
        try {
            assertEquals(typeId, m.typeId());
            assertEquals(0, m.messageStreamId());
            assertEquals(0, m.timestampMs());
            assertEquals(payloadHex.replace(" ", ""), ByteBufUtil.hexDump(m.payload()));
        } finally {
            m.release();
        }
    }

    @Test
    void buildsEachControlMessage() {
        assertMessage(1, "00 00 10 00", () -> ControlMessages.setChunkSize(alloc, 4096));
        assertMessage(2, "00 00 00 06", () -> ControlMessages.abort(alloc, 6));
        assertMessage(3, "ff ff ff ff", () -> ControlMessages.acknowledgement(alloc, 0xFFFFFFFFL));
        assertMessage(3, "00 00 00 01", () -> ControlMessages.acknowledgement(alloc, 0x100000001L));
        assertMessage(5, "00 26 25 a0", () -> ControlMessages.windowAckSize(alloc, 2_500_000));
        assertMessage(6, "00 26 25 a0 02", () -> ControlMessages.setPeerBandwidth(alloc, 2_500_000, 2));
        assertMessage(4, "00 07 12 34 56 78", () -> ControlMessages.userControl(alloc, 7, 0x12345678));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.setChunkSize(alloc, 0));
    }

    @Test
    void readsValuesAndRejectsShortPayloads() {
        RtmpMessage ping = ControlMessages.userControl(alloc, ControlMessages.UC_PING_REQUEST, -2);
        RtmpMessage shortOne = new RtmpMessage(MessageType.USER_CONTROL, 0, 0, alloc.buffer().writeShort(6));
        try {
            assertEquals(6, ControlMessages.userControlEventType(ping));
            assertEquals(-2, ControlMessages.userControlValue(ping));
            assertEquals(6L, ControlMessages.readUInt32(ping) >>> 16);
            assertEquals(6, ControlMessages.userControlEventType(shortOne));
            assertThrows(IllegalArgumentException.class, () -> ControlMessages.userControlValue(shortOne));
            assertThrows(IllegalArgumentException.class, () -> ControlMessages.readUInt32(shortOne));
        } finally {
            ping.release();
            shortOne.release();
        }
    }

    @Test
    void messageRejectsBadTypeIdAndNullPayload() {
        io.netty.buffer.ByteBuf payload = alloc.buffer(0);
        try {
            assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(256, 0, 0, payload));
        } finally {
            payload.release(); // a rejected payload stays with the caller
        }
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(9, 0, 0, null));
        assertEquals("Video(9)", MessageType.name(9));
        assertEquals("type(99)", MessageType.name(99));
    }
}
