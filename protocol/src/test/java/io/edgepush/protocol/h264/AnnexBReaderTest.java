package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.buf;
import static io.edgepush.protocol.h264.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBReaderTest {
    /** 4-byte start code, SPS, 3-byte start code, PPS, 4-byte, IDR with trailing_zero_8bits, 3-byte, AUD. */
    private static final String STREAM = "00 00 00 01 67 42 c0 1f da 01 40 16 e4 00 00 01 68 ce 3c 80"
            + " 00 00 00 01 65 88 86 e0 00 00 00 00 01 09 f0";
    private static final List<String> NALS = List.of("67 42 c0 1f da 01 40 16 e4", "68 ce 3c 80", "65 88 86 e0",
            "09 f0");

    @Test
    void splitsBufferOn3And4ByteStartCodesAndDropsTrailingZeros() {
        ByteBuf in = buf(STREAM + " 00 00");
        List<String> seen = new ArrayList<>();
        AnnexBReader.forEachNalUnit(in, nal -> seen.add(hex(nal)));
        assertEquals(NALS, seen);
        assertEquals(0, in.readerIndex());
        assertEquals(1, in.refCnt());
    }

    @Test
    void bufferSlicesBorrowTheInput() {
        ByteBuf in = PooledByteBufAllocator.DEFAULT.buffer();
        in.writeBytes(Vectors.bytes("00 00 00 00 01 41 9a 2d 00 00 01 00 00 01 41 9a 4d"));
        List<String> seen = new ArrayList<>();
        AnnexBReader.forEachNalUnit(in, nal -> {
            assertEquals(1, nal.refCnt());
            seen.add(hex(nal));
        });
        assertEquals(List.of("41 9a 2d", "41 9a 4d"), seen); // leading zeros and an empty NAL unit skipped
        assertTrue(in.release());
    }

    @Test
    void bufferWithoutStartCodeIsRejected() {
        H264Exception e = assertThrows(H264Exception.class,
                () -> AnnexBReader.forEachNalUnit(buf("00 00 02 67 42"), nal -> { }));
        assertEquals("Annex B stream does not begin with a start code (00 00 01): byte 0x02 at offset 2",
                e.getMessage());
        H264Exception e2 = assertThrows(H264Exception.class,
                () -> AnnexBReader.forEachNalUnit(buf("00 01 67"), nal -> { }));
        assertTrue(e2.getMessage().contains("byte 0x01 at offset 1"), e2.getMessage());
        H264Exception e3 = assertThrows(H264Exception.class,
                () -> AnnexBReader.forEachNalUnit(buf("00 00 00"), nal -> { }));
        assertEquals("Annex B stream has no start code: only 3 zero bytes", e3.getMessage());
        List<ByteBuf> none = new ArrayList<>();
        AnnexBReader.forEachNalUnit(buf(""), none::add);
        assertTrue(none.isEmpty());
    }

    @Test
    void streamsNalUnitsWithStartCodesSplitAcrossOneByteReads() throws IOException {
        assertEquals(NALS, readAll(new OneBytePerRead(Vectors.bytes(STREAM + " 00 00 00")), 1000));
    }

    @Test
    void streamsAcrossTheWindowBoundary() throws IOException {
        // a 100000-byte NAL unit puts the following start code past the 64 KiB read window
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 0xAB);
        big[0] = 0x41;
        byte[] stream = concat(Vectors.bytes("00 00 01"), big, Vectors.bytes("00 00 00 01 09 f0"));
        try (AnnexBReader r = new AnnexBReader(new ByteArrayInputStream(stream), 200_000)) {
            ByteBuf first = r.next(PooledByteBufAllocator.DEFAULT);
            assertEquals(100_000, first.readableBytes());
            byte[] got = new byte[first.readableBytes()];
            first.readBytes(got);
            first.release();
            assertTrue(Arrays.equals(big, got));
            ByteBuf aud = r.next(PooledByteBufAllocator.DEFAULT);
            assertEquals("09 f0", hex(aud));
            aud.release();
            assertNull(r.next(PooledByteBufAllocator.DEFAULT));
        }
    }

    @Test
    void truncatedStreamDeliversTheBytesPresent() throws IOException {
        // the file is cut inside the SPS: the reader returns its first bytes; the SPS parser names the field
        List<String> nals = readAll(new ByteArrayInputStream(Vectors.bytes("00 00 01 68 ce 3c 80 00 00 01 67 42 c0")),
                100);
        assertEquals(List.of("68 ce 3c 80", "67 42 c0"), nals);
        H264Exception e = assertThrows(H264Exception.class, () -> SpsParser.parse(buf(nals.get(1))));
        assertTrue(e.getMessage().startsWith("SPS truncated while reading level_idc"), e.getMessage());
    }

    @Test
    void oversizedNalUnitIsSkippedAndReadingContinues() throws IOException {
        byte[] stream = Vectors.bytes("00 00 01 41 11 22 33 44 55 00 00 01 09 f0");
        try (AnnexBReader r = new AnnexBReader(new OneBytePerRead(stream), 4)) {
            H264Exception e = assertThrows(H264Exception.class, () -> r.next(PooledByteBufAllocator.DEFAULT));
            assertEquals("NAL unit near stream offset 3 exceeds maxNalBytes 4; skipped to the next start code",
                    e.getMessage());
            ByteBuf aud = r.next(PooledByteBufAllocator.DEFAULT);
            assertEquals("09 f0", hex(aud));
            aud.release();
            assertNull(r.next(PooledByteBufAllocator.DEFAULT));
        }
    }

    @Test
    void streamWithoutStartCodeIsRejected() throws IOException {
        try (AnnexBReader r = new AnnexBReader(new OneBytePerRead(Vectors.bytes("00 00 00 47 40 11")), 100)) {
            H264Exception e = assertThrows(H264Exception.class, () -> r.next(PooledByteBufAllocator.DEFAULT));
            assertEquals("Annex B stream does not begin with a start code (00 00 01): byte 0x47 at offset 3",
                    e.getMessage());
        }
        try (AnnexBReader r = new AnnexBReader(new ByteArrayInputStream(new byte[5]), 100)) {
            H264Exception e = assertThrows(H264Exception.class, () -> r.next(PooledByteBufAllocator.DEFAULT));
            assertEquals("Annex B stream has no start code: only 5 zero bytes", e.getMessage());
        }
        try (AnnexBReader r = new AnnexBReader(new ByteArrayInputStream(new byte[0]), 100)) {
            assertNull(r.next(PooledByteBufAllocator.DEFAULT));
        }
        assertThrows(IllegalArgumentException.class, () -> new AnnexBReader(InputStream.nullInputStream(), 0));
    }

    private static List<String> readAll(InputStream in, int maxNalBytes) throws IOException {
        List<String> out = new ArrayList<>();
        try (AnnexBReader r = new AnnexBReader(in, maxNalBytes)) {
            ByteBuf nal;
            while ((nal = r.next(PooledByteBufAllocator.DEFAULT)) != null) {
                out.add(hex(nal));
                nal.release();
            }
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Returns at most one byte per read call, so every start code is split across reads. */
    static final class OneBytePerRead extends InputStream {
        private final byte[] data;
        private int pos;

        OneBytePerRead(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }
}
