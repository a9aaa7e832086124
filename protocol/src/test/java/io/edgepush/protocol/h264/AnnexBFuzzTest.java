package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the Annex B splitters (ISO/IEC 14496-10 Annex B): {@link AnnexBReader#forEachNalUnit} on a
 * buffer and the streaming {@link AnnexBReader#next} on an input stream.
 *
 * <p>Input layout: byte 0 picks maxNalBytes for the streaming reader (0: 1 MiB, else 1..255), byte 1 the
 * largest read the input stream returns (1..256 bytes, so the 64 KiB window refills often), the rest is the
 * Annex B stream. Invariants: only {@link H264Exception} escapes and only when the stream does not begin with a
 * start code (or a NAL unit is over maxNalBytes, streaming only); forEachNalUnit leaves the buffer's indices
 * alone and yields non-empty NAL units holding no start code and no trailing zero byte; writing them back with
 * 4-byte start codes and splitting again gives the same units; the streaming reader yields exactly the units
 * of forEachNalUnit no larger than maxNalBytes, skips each larger one with an H264Exception, never asks for a
 * buffer larger than maxNalBytes, and every returned buffer is released.
 */
class AnnexBFuzzTest {
    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final ByteBuf START_CODE_3 = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {0, 0, 1}));

    @FuzzTest
    void split(byte[] data) throws IOException {
        if (data.length < 2) {
            return;
        }
        int maxNalBytes = data[0] == 0 ? 1 << 20 : data[0] & 0xFF;
        int readBytes = 1 + (data[1] & 0xFF);
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);

        List<String> units;
        try {
            units = splitBuffer(stream);
        } catch (H264Exception e) {
            assertTrue(e.getMessage().contains("start code"), e.getMessage());
            assertStreamingFailsAtStart(stream, maxNalBytes, readBytes);
            return;
        }
        if (!units.isEmpty()) {
            assertEquals(units, splitBuffer(rejoin(units)), "rejoined NAL units split the same way");
        }
        List<String> expected = new ArrayList<>();
        for (String unit : units) {
            if (unit.length() / 2 <= maxNalBytes) {
                expected.add(unit);
            }
        }
        assertEquals(expected, splitStream(stream, maxNalBytes, readBytes, units.size() - expected.size()),
                "streaming reader agrees with forEachNalUnit (maxNalBytes " + maxNalBytes + ")");
    }

    private static List<String> splitBuffer(byte[] stream) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf in = alloc.buffer(Math.max(1, stream.length)).writeBytes(stream);
        List<String> units = new ArrayList<>();
        try {
            AnnexBReader.forEachNalUnit(in, nal -> {
                assertTrue(nal.isReadable(), "empty NAL unit");
                assertNotEquals(0, nal.getByte(nal.writerIndex() - 1), "NAL unit ends with a zero byte");
                assertEquals(-1, ByteBufUtil.indexOf(START_CODE_3, nal), "start code inside a NAL unit");
                units.add(ByteBufUtil.hexDump(nal));
            });
            assertEquals(0, in.readerIndex(), "reader index unchanged");
            assertEquals(stream.length, in.writerIndex(), "writer index unchanged");
        } finally {
            in.release();
            alloc.assertAllReleased("forEachNalUnit");
        }
        return units;
    }

    private static byte[] rejoin(List<String> units) {
        ByteBuf out = Unpooled.buffer();
        for (String unit : units) {
            out.writeBytes(START_CODE).writeBytes(ByteBufUtil.decodeHexDump(unit));
        }
        return ByteBufUtil.getBytes(out);
    }

    private static List<String> splitStream(byte[] stream, int maxNalBytes, int readBytes, int oversize)
            throws IOException {
        TrackingAllocator alloc = new TrackingAllocator();
        List<String> units = new ArrayList<>();
        int skipped = 0;
        try (AnnexBReader reader = new AnnexBReader(new SmallReads(stream, readBytes), maxNalBytes)) {
            while (true) {
                ByteBuf nal;
                try {
                    nal = reader.next(alloc);
                } catch (H264Exception e) {
                    assertTrue(e.getMessage().contains("exceeds maxNalBytes"), e.getMessage());
                    skipped++;
                    continue;
                }
                if (nal == null) {
                    break;
                }
                try {
                    assertTrue(nal.readableBytes() <= maxNalBytes, "NAL unit larger than maxNalBytes returned");
                    units.add(ByteBufUtil.hexDump(nal));
                } finally {
                    nal.release();
                }
            }
        } finally {
            assertTrue(alloc.largestRequestBytes() <= maxNalBytes,
                    "asked for " + alloc.largestRequestBytes() + " bytes with maxNalBytes " + maxNalBytes);
            alloc.assertAllReleased("AnnexBReader.next");
        }
        assertEquals(oversize, skipped, "one H264Exception per NAL unit over maxNalBytes");
        return units;
    }

    private static void assertStreamingFailsAtStart(byte[] stream, int maxNalBytes, int readBytes)
            throws IOException {
        TrackingAllocator alloc = new TrackingAllocator();
        try (AnnexBReader reader = new AnnexBReader(new SmallReads(stream, readBytes), maxNalBytes)) {
            ByteBuf nal = reader.next(alloc);
            if (nal != null) {
                nal.release();
            }
            throw new AssertionError("streaming reader accepted a stream forEachNalUnit rejects");
        } catch (H264Exception e) {
            assertTrue(e.getMessage().contains("start code"), e.getMessage());
        } finally {
            alloc.assertAllReleased("AnnexBReader.next on a bad start");
        }
    }

    /** An input stream that returns at most {@code readBytes} per read, like a pipe or socket. */
    private static final class SmallReads extends InputStream {
        private final ByteArrayInputStream in;
        private final int readBytes;

        SmallReads(byte[] data, int readBytes) {
            this.in = new ByteArrayInputStream(data);
            this.readBytes = readBytes;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, readBytes));
        }
    }
}
