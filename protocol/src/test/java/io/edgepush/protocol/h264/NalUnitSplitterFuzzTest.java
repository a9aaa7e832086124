package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the push-based Annex B splitter {@link NalUnitSplitter} (ISO/IEC 14496-10 Annex B.2), which
 * reads raw camera TCP bytes.
 *
 * <p>Input layout: byte 0 picks maxNalBytes (0: 1 MiB, else 1..255); byte 1 gives the number n = 1 + (byte 1
 * &amp; 7) of piece sizes that follow, each 1 + (byte &amp; 0xFF) bytes, used in turn to cut the stream; the rest is the
 * byte stream. Invariants: {@code feed} and {@code finish} throw nothing (the splitter documents no exception for
 * bad input); fed whole or in pieces, it emits exactly the NAL units {@link AnnexBReader#forEachNalUnit} finds
 * from the first start code on that are no larger than maxNalBytes, counts each larger one in
 * {@code oversizeNalUnits()}, counts the emitted ones in {@code nalUnits()}, and counts in {@code bytesSkipped()}
 * the bytes before the first start code (leading zero bytes may or may not count); it never asks for a buffer
 * larger than max(4096, largest piece, maxNalBytes), holds at most maxNalBytes + 2 bytes between feeds, and its
 * internal buffer stays within a small multiple of maxNalBytes + piece size; chunks are borrowed (indices
 * unchanged); every buffer is released after {@code close()}, also when closed mid-stream.
 */
class NalUnitSplitterFuzzTest {
    private static final byte[] START_CODE_3 = {0, 0, 1};

    @FuzzTest
    void feed(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int maxNalBytes = data[0] == 0 ? 1 << 20 : data[0] & 0xFF;
        int pieceCount = 1 + (data[1] & 7);
        if (data.length < 2 + pieceCount) {
            return;
        }
        int[] pieces = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            pieces[i] = 1 + (data[2 + i] & 0xFF);
        }
        byte[] stream = Arrays.copyOfRange(data, 2 + pieceCount, data.length);

        int firstStartCode = indexOf(stream, START_CODE_3);
        List<String> expected = new ArrayList<>();
        int oversize = 0;
        if (firstStartCode >= 0) {
            ByteBuf whole = Unpooled.wrappedBuffer(stream, firstStartCode, stream.length - firstStartCode);
            List<String> units = new ArrayList<>();
            AnnexBReader.forEachNalUnit(whole, nal -> units.add(ByteBufUtil.hexDump(nal)));
            for (String unit : units) {
                if (unit.length() / 2 <= maxNalBytes) {
                    expected.add(unit);
                } else {
                    oversize++;
                }
            }
        }
        int prefixEnd = firstStartCode >= 0 ? firstStartCode : stream.length;
        int prefixNonZeroEnd = prefixEnd;
        while (prefixNonZeroEnd > 0 && stream[prefixNonZeroEnd - 1] == 0) {
            prefixNonZeroEnd--;
        }

        int[] whole = {Math.max(1, stream.length)};
        for (int[] cut : List.of(whole, pieces)) {
            String how = cut == whole ? "fed whole" : "fed in pieces " + Arrays.toString(pieces);
            TrackingAllocator alloc = new TrackingAllocator();
            List<String> emitted = new ArrayList<>();
            NalUnitSplitter splitter = new NalUnitSplitter(alloc, maxNalBytes);
            int largestPiece = 0;
            try {
                NalUnitSplitter.Sink sink = (nal, tag) -> {
                    try {
                        assertEquals(1, nal.refCnt(), "emitted NAL unit not owned by the sink");
                        assertTrue(nal.isReadable(), "empty NAL unit emitted");
                        assertTrue(nal.readableBytes() <= maxNalBytes, "NAL unit over maxNalBytes emitted");
                        emitted.add(ByteBufUtil.hexDump(nal));
                    } finally {
                        nal.release();
                    }
                };
                int offset = 0;
                for (int i = 0; offset < stream.length; i++) {
                    int n = Math.min(cut[i % cut.length], stream.length - offset);
                    largestPiece = Math.max(largestPiece, n);
                    ByteBuf chunk = alloc.buffer(n).writeBytes(stream, offset, n);
                    try {
                        splitter.feed(chunk, offset, sink);
                        assertEquals(0, chunk.readerIndex(), "chunk reader index changed");
                        assertEquals(n, chunk.writerIndex(), "chunk writer index changed");
                    } finally {
                        chunk.release();
                    }
                    offset += n;
                    assertTrue(splitter.bufferedBytes() <= maxNalBytes + 2,
                            "holds " + splitter.bufferedBytes() + " bytes with maxNalBytes " + maxNalBytes + ", " + how);
                    long boundBytes = 8L * Math.max(4096, maxNalBytes + 3L + largestPiece);
                    assertTrue(alloc.largestLiveCapacity() <= boundBytes,
                            "internal buffer grew to " + alloc.largestLiveCapacity() + " bytes, " + how);
                }
                splitter.finish(sink);
                long limitBytes = Math.max(4096, Math.max(largestPiece, maxNalBytes));
                assertTrue(alloc.largestRequestBytes() <= limitBytes,
                        "asked for " + alloc.largestRequestBytes() + " bytes (limit " + limitBytes + "), " + how);
                assertEquals(expected, emitted, "NAL units as forEachNalUnit from the first start code, maxNalBytes "
                        + maxNalBytes + ", " + how);
                assertEquals(emitted.size(), splitter.nalUnits(), "nalUnits(), " + how);
                assertEquals(oversize, splitter.oversizeNalUnits(), "oversizeNalUnits(), " + how);
                assertTrue(splitter.bytesSkipped() >= prefixNonZeroEnd && splitter.bytesSkipped() <= prefixEnd,
                        "bytesSkipped() " + splitter.bytesSkipped() + " outside [" + prefixNonZeroEnd + ", "
                                + prefixEnd + "], " + how);
            } finally {
                splitter.close();
                alloc.assertAllReleased("NalUnitSplitter " + how);
            }
        }
        assertClosingMidStreamReleases(stream, maxNalBytes, pieces[0]);
    }

    /** Feeds the first piece only, closes without finish, then feeds the rest: nothing emitted after close. */
    private static void assertClosingMidStreamReleases(byte[] stream, int maxNalBytes, int firstPiece) {
        TrackingAllocator alloc = new TrackingAllocator();
        NalUnitSplitter splitter = new NalUnitSplitter(alloc, maxNalBytes);
        int n = Math.min(firstPiece, stream.length);
        ByteBuf head = alloc.buffer(Math.max(1, n)).writeBytes(stream, 0, n);
        ByteBuf rest = alloc.buffer(Math.max(1, stream.length - n)).writeBytes(stream, n, stream.length - n);
        try {
            splitter.feed(head, 0, (nal, tag) -> nal.release());
            splitter.close();
            splitter.feed(rest, 1, (nal, tag) -> {
                nal.release();
                throw new AssertionError("NAL unit emitted after close()");
            });
            splitter.finish((nal, tag) -> {
                nal.release();
                throw new AssertionError("NAL unit emitted by finish() after close()");
            });
            assertEquals(0, splitter.bufferedBytes(), "bytes held after close()");
        } finally {
            head.release();
            rest.release();
            splitter.close();
            alloc.assertAllReleased("NalUnitSplitter closed mid-stream");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
