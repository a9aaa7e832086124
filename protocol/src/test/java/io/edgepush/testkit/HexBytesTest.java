package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HexBytesTest {
    @Test
    void bytesAndBufDecodeSpacedHex() {
        assertArrayEquals(new byte[] {0x02, 0x00, 0x0a, (byte) 0xff}, HexBytes.bytes("02 00 0A ff"));
        ByteBuf b = HexBytes.buf("17 01");
        try {
            assertEquals(2, b.readableBytes());
            assertEquals(0x17, b.getUnsignedByte(0));
            assertEquals(0x01, b.getUnsignedByte(1));
        } finally {
            b.release();
        }
    }

    @Test
    void oddOrNonHexDigitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HexBytes.bytes("0"));
        assertThrows(IllegalArgumentException.class, () -> HexBytes.bytes("zz"));
    }

    @Test
    void hexIsLowerCaseWithoutSpaces() {
        assertEquals("0aff", HexBytes.hex("0A FF"));
    }

    @Test
    void writtenReturnsTheHexAndReleasesTheBufferEvenWhenTheWriterThrows() {
        AtomicReference<ByteBuf> seen = new AtomicReference<>();
        assertEquals("0203", HexBytes.written(out -> {
            seen.set(out);
            out.writeByte(2).writeByte(3);
        }));
        assertEquals(0, seen.get().refCnt());
        assertThrows(IllegalStateException.class, () -> HexBytes.written(out -> {
            seen.set(out);
            throw new IllegalStateException("writer bug");
        }));
        assertEquals(0, seen.get().refCnt());
    }
}
