package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.buf;
import static io.edgepush.testkit.HexBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FLV header, tags and PreviousTagSize (FLV spec v10.1 E.2, E.3, E.4.1); expected bytes written by hand. */
class FlvFileWriterTest {

    @TempDir
    Path dir;

    private static String fileHex(Path file) throws IOException {
        return ByteBufUtil.hexDump(Files.readAllBytes(file));
    }

    @Test
    void threeTagsHaveExactHeaderTagHeadersAndPreviousTagSizes() throws IOException {
        Path file = dir.resolve("three.flv");
        ByteBuf script = buf("02 00 01 61");
        ByteBuf seq = buf("17 00 00 00 00 01");
        ByteBuf frame = buf("27 01 00 00 00 00 00 00 01 41");
        try (FlvFileWriter w = new FlvFileWriter(file, true, false)) {
            w.writeTag(FlvTagType.SCRIPT_DATA, 0, script);
            w.writeTag(FlvTagType.VIDEO, 0, seq);
            w.writeTag(FlvTagType.VIDEO, 33, frame);
            assertEquals(13 + (11 + 4 + 4) + (11 + 6 + 4) + (11 + 10 + 4), w.bytesWritten());
        } finally {
            script.release();
            seq.release();
            frame.release();
        }
        String expected = ("46 4C 56 01 01 00 00 00 09" // "FLV", version 1, video flag, DataOffset 9 (E.2)
                + " 00 00 00 00"                      // PreviousTagSize0 (E.3)
                + " 12 00 00 04 00 00 00 00 00 00 00" // script data, DataSize 4, ts 0, ext 0, StreamID 0
                + " 02 00 01 61"
                + " 00 00 00 0F"                      // PreviousTagSize 11 + 4
                + " 09 00 00 06 00 00 00 00 00 00 00" // video, DataSize 6, ts 0
                + " 17 00 00 00 00 01"
                + " 00 00 00 11"                      // 11 + 6
                + " 09 00 00 0A 00 00 21 00 00 00 00" // video, DataSize 10, ts 33 = 0x21
                + " 27 01 00 00 00 00 00 00 01 41"
                + " 00 00 00 15")                     // 11 + 10
                .replace(" ", "").toLowerCase();
        assertEquals(expected, fileHex(file));

        List<FlvTag> tags = FlvFileReader.readAll(file);
        assertEquals(3, tags.size());
        assertEquals(FlvTagType.SCRIPT_DATA, tags.get(0).tagType());
        assertEquals(13, tags.get(0).offset());
        assertArrayEquals(bytes("02 00 01 61"), tags.get(0).body());
        assertEquals(FlvTagType.VIDEO, tags.get(2).tagType());
        assertEquals(33, tags.get(2).timestampMs());
        assertArrayEquals(bytes("27 01 00 00 00 00 00 00 01 41"), tags.get(2).body());
    }

    @Test
    void typeFlagsFollowAudioAndVideo() throws IOException {
        String[] expected = {"00", "01", "04", "05"};
        for (int i = 0; i < 4; i++) {
            Path file = dir.resolve("flags" + i + ".flv");
            new FlvFileWriter(file, (i & 1) != 0, (i & 2) != 0).close();
            assertEquals("464c5601" + expected[i] + "0000000900000000", fileHex(file));
            try (FlvFileReader r = new FlvFileReader(file)) {
                assertEquals((i & 1) != 0, r.hasVideo());
                assertEquals((i & 2) != 0, r.hasAudio());
            }
        }
    }

    @Test
    void extendedTimestampStoresTheUpperByteLast() throws IOException {
        Path file = dir.resolve("ext.flv");
        ByteBuf body = buf("AA");
        try (FlvFileWriter w = new FlvFileWriter(file, true, false)) {
            w.writeTag(FlvTagType.VIDEO, 0x01020304, body);
        } finally {
            body.release();
        }
        // Timestamp UI24 = 02 03 04, TimestampExtended = 01 (E.4.1)
        assertTrue(fileHex(file).endsWith("0900000102030401000000aa0000000c"), fileHex(file));
        assertEquals(0x01020304, FlvFileReader.readAll(file).get(0).timestampMs());
    }

    @Test
    void bodyIsBorrowedAndEmptyBodyIsAllowed() throws IOException {
        Path file = dir.resolve("borrow.flv");
        ByteBuf body = buf("00 11 22 33");
        ByteBuf empty = buf("");
        try (FlvFileWriter w = new FlvFileWriter(file, true, false)) {
            body.skipBytes(1);
            w.writeTag(FlvTagType.VIDEO, 5, body);
            assertEquals(1, body.readerIndex());
            assertEquals(1, body.refCnt());
            w.writeTag(FlvTagType.AUDIO, 6, empty);
        } finally {
            body.release();
            empty.release();
        }
        List<FlvTag> tags = FlvFileReader.readAll(file);
        assertArrayEquals(bytes("11 22 33"), tags.get(0).body());
        assertEquals(0, tags.get(1).body().length);
        assertEquals(FlvTagType.AUDIO, tags.get(1).tagType());
    }

    @Test
    void badArgumentsAreRejectedAndNothingIsWritten() throws IOException {
        Path file = dir.resolve("bad.flv");
        ByteBuf body = buf("AA");
        ByteBuf huge = PooledByteBufAllocator.DEFAULT.heapBuffer(0x1000000);
        huge.writerIndex(0x1000000);
        try (FlvFileWriter w = new FlvFileWriter(file, true, false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.writeTag(7, 0, body));
            assertTrue(e.getMessage().contains("8, 9 or 18"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.writeTag(FlvTagType.VIDEO, -1, body));
            e = assertThrows(IllegalArgumentException.class, () -> w.writeTag(FlvTagType.VIDEO, 0, huge));
            assertTrue(e.getMessage().contains("16777216"), e.getMessage());
            assertEquals(13, w.bytesWritten());
        } finally {
            body.release();
            huge.release();
        }
        assertEquals(13, Files.size(file));
    }

    @Test
    void writeAfterCloseFails() throws IOException {
        Path file = dir.resolve("closed.flv");
        ByteBuf body = buf("AA");
        try {
            FlvFileWriter w = new FlvFileWriter(file, true, false);
            w.close();
            w.close();
            IOException e = assertThrows(IOException.class, () -> w.writeTag(FlvTagType.VIDEO, 0, body));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IOException.class, w::flush);
        } finally {
            body.release();
        }
    }

    @Test
    void unwritableLocationFailsInConstructor() {
        assertThrows(IOException.class, () -> new FlvFileWriter(dir.resolve("no/such/dir/x.flv"), true, false));
    }
}
