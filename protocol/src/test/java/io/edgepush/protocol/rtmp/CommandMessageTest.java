package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMF0 command messages (Adobe RTMP spec 7.1.1, 7.2); bytes by hand from the AMF0 spec section 2. */
class CommandMessageTest {

    @Test
    void encodesNameTransactionIdObjectAndArguments() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            new CommandMessage("connect", 1, Map.of("app", "live"), List.of()).encode(out);
            assertEquals("02 0007 636f6e6e656374 00 3ff0000000000000 03 0003 617070 02 0004 6c697665 000009"
                    .replace(" ", ""), ByteBufUtil.hexDump(out));
            out.clear();
            new CommandMessage("publish", 5, null, List.of("k", "live")).encode(out);
            assertEquals("02 0007 7075626c697368 00 4014000000000000 05 02 0001 6b 02 0004 6c697665"
                    .replace(" ", ""), ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    @Test
    void decodesOnStatusInfoObject() {
        // "onStatus", 0, null, {level: "error", code: "NetStream.Publish.BadName"}
        ByteBuf in = HexBytes.buf("02 0008 6f6e537461747573 00 0000000000000000 05 03"
                + " 0005 6c6576656c 02 0005 6572726f72"
                + " 0004 636f6465 02 0019 4e657453747265616d2e5075626c6973682e4261644e616d65 000009");
        try {
            CommandMessage m = CommandMessage.decode(in);
            assertEquals("onStatus", m.name());
            assertEquals(0.0, m.transactionId());
            assertNull(m.commandObject());
            assertEquals("error", m.infoString("level"));
            assertEquals("NetStream.Publish.BadName", m.infoString("code"));
            assertNull(m.infoString("description"));
            assertEquals(0, in.readerIndex(), "payload borrowed, not consumed");
        } finally {
            in.release();
        }
    }

    @Test
    void keepsNameAndTransactionIdWhenALaterValueIsUnsupported() {
        // "_result", 1, null, then an AMF3 (AVM+) marker 0x11 the AMF0 reader does not decode
        ByteBuf in = HexBytes.buf("02 0007 5f726573756c74 00 3ff0000000000000 05 11 0a0b01");
        try {
            CommandMessage m = CommandMessage.decode(in);
            assertEquals("_result", m.name());
            assertEquals(1.0, m.transactionId());
            assertNull(m.commandObject());
            assertEquals(List.of(), m.arguments());
        } finally {
            in.release();
        }
    }

    /** FFmpeg's listen mode sends onFCPublish as a bare string: transaction id reads as 0. */
    @Test
    void bareCommandNameHasTransactionIdZero() {
        for (String vector : new String[] {"02 000b 6f6e46435075626c697368", "02 000b 6f6e46435075626c697368 11",
                "02 000b 6f6e46435075626c697368 02 0001 78"}) {
            ByteBuf in = HexBytes.buf(vector);
            try {
                CommandMessage m = CommandMessage.decode(in);
                assertEquals("onFCPublish", m.name());
                assertEquals(0.0, m.transactionId());
            } finally {
                in.release();
            }
        }
    }

    @Test
    void rejectsPayloadsWithoutAName() {
        for (String bad : new String[] {"", "00 3ff0000000000000", "11", "02 00ff 6e"}) {
            ByteBuf in = HexBytes.buf(bad);
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandMessage.decode(in),
                        bad);
                assertTrue(e.getMessage().contains("command message"), e.getMessage());
            } finally {
                in.release();
            }
        }
    }

    @Test
    void argumentOutOfRangeIsNull() {
        CommandMessage m = new CommandMessage("_result", 4, null, java.util.Arrays.asList(null, 1.0));
        assertNull(m.argument(0));
        assertEquals(1.0, m.argument(1));
        assertNull(m.argument(2));
    }
}
