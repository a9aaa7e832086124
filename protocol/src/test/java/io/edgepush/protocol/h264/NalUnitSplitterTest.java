package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expected NAL units written by hand from ISO/IEC 14496-10 Annex B.2 (start code 00 00 01, zero_byte). */
class NalUnitSplitterTest {
    private final List<String> nals = new ArrayList<>();
    private final List<Long> tags = new ArrayList<>();
    private final NalUnitSplitter.Sink sink = (nal, tag) -> {
        try {
            nals.add(ByteBufUtil.hexDump(nal));
            tags.add(tag);
        } finally {
            nal.release();
        }
    };
    private NalUnitSplitter splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 64);

    @AfterEach
    void close() {
        splitter.close();
    }

    private void feed(String hex, long tag) {
        ByteBuf chunk = HexBytes.buf(hex);
        try {
            splitter.feed(chunk, tag, sink);
            assertEquals(0, chunk.readerIndex(), "chunk borrowed, indices unchanged");
        } finally {
            chunk.release();
        }
    }

    @Test
    void oneChunkSplitsAtStartCodesAndDropsTrailingZeros() {
        feed("00 00 00 01 67 aa 00 00 01 68 bb 00 00 00 01 65 cc dd 00", 7);
        assertEquals(List.of("67aa", "68bb"), nals, "the last NAL unit waits for the next start code");
        splitter.finish(sink);
        assertEquals(List.of("67aa", "68bb", "65ccdd"), nals);
        assertEquals(0, splitter.bytesSkipped());
        assertEquals(3, splitter.nalUnits());
    }

    @Test
    void byteAtATimeGivesTheSameNalUnits() {
        byte[] stream = HexBytes.bytes("00 00 00 01 67 aa 00 00 01 68 bb 00 00 00 01 65 cc dd 00 00 01 09 10");
        for (byte b : stream) {
            feed(String.format("%02x", b), 0);
        }
        splitter.finish(sink);
        assertEquals(List.of("67aa", "68bb", "65ccdd", "0910"), nals);
    }

    @Test
    void bytesBeforeTheFirstStartCodeAreSkippedAndCounted() {
        feed("11 22 33 44", 1);
        feed("55 00 00 01 09 f0 00 00 01", 2);
        assertEquals(List.of("09f0"), nals);
        assertEquals(5, splitter.bytesSkipped());
        assertTrue(splitter.bufferedBytes() <= 2, "nothing but a possible start code prefix is held");
    }

    @Test
    void longGarbageBeforeAnyStartCodeIsNotBuffered() {
        for (int i = 0; i < 100; i++) {
            feed("ab".repeat(1000), 0);
            assertTrue(splitter.bufferedBytes() <= 2);
        }
        assertEquals(100_000, splitter.bytesSkipped(), "no zero bytes: nothing held back");
        feed("00 00 01 41 01 00 00 01", 0);
        assertEquals(List.of("4101"), nals);
    }

    @Test
    void emptyNalUnitsAreSkipped() {
        feed("00 00 01 00 00 01 00 00 00 01 41 02 00 00 01", 0);
        assertEquals(List.of("4102"), nals);
    }

    @Test
    void nalUnitOverTheLimitIsDroppedAsItArrivesAndTheNextOneSurvives() {
        splitter.close();
        splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 8);
        feed("00 00 01 41", 0);
        for (int i = 0; i < 50; i++) {
            feed("11 22 33 44 55 66 77 88 99 aa", 0);
            assertTrue(splitter.bufferedBytes() <= 12, "buffered " + splitter.bufferedBytes());
        }
        feed("00 00 01 41 01 02 00 00 01", 0);
        assertEquals(List.of("410102"), nals);
        assertEquals(1, splitter.oversizeNalUnits());
    }

    @Test
    void nalUnitOverTheLimitWithinOneChunkIsDropped() {
        splitter.close();
        splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 4);
        feed("00 00 01 41 01 02 03 04 05 00 00 01 41 06 00 00 01", 0);
        assertEquals(List.of("4106"), nals);
        assertEquals(1, splitter.oversizeNalUnits());
    }

    @Test
    void nalUnitOfExactlyMaxNalBytesSurvivesAPieceEndingInTheNextStartCodesZeros() {
        // Fuzz finding crash_nal_unit_at_limit_then_start_code_split_after_zeros: the zero_byte and first zero of the
        // next start code were counted as NAL unit bytes, so a 4-byte NAL unit with maxNalBytes 4 was dropped.
        splitter.close();
        splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 4);
        feed("00 00 01 41 01 02 03 00 00", 0);
        feed("00 01 41 05 00 00 01", 0);
        assertEquals(List.of("41010203", "4105"), nals);
        assertEquals(0, splitter.oversizeNalUnits());
    }

    @Test
    void trailingZeroRunLongerThanTheLimitIsNotPartOfTheNalUnit() {
        splitter.close();
        splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 4);
        feed("00 00 01 41 01", 0);
        for (int i = 0; i < 20; i++) {
            feed("00", 0); // trailing_zero_8bits (Annex B.2) before the next start code
            assertTrue(splitter.bufferedBytes() <= 6, "buffered " + splitter.bufferedBytes());
        }
        feed("00 00 01 41 02 00 00 00 00 00 00 00", 0);
        splitter.finish(sink);
        assertEquals(List.of("4101", "4102"), nals);
        assertEquals(0, splitter.oversizeNalUnits());
    }

    @Test
    void zeroRunInsideANalUnitCountsTowardsTheLimit() {
        splitter.close();
        splitter = new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 4);
        feed("00 00 01 41 00 00 00 00 00 00", 0);
        feed("02 00 00 01 41 03 00 00 01", 0); // 41 00 00 00 00 00 00 02 is 8 bytes
        assertEquals(List.of("4103"), nals);
        assertEquals(1, splitter.oversizeNalUnits());
    }

    @Test
    void eachNalUnitCarriesTheTagOfTheChunkWithItsFirstByte() {
        feed("00 00 01 67 aa 00 00 01", 10);   // 68 starts in the next chunk
        feed("68 bb 00 00 01 65", 20);          // 65 starts here
        feed("cc 00 00 01 41", 30);
        assertEquals(List.of("67aa", "68bb", "65cc"), nals);
        assertEquals(List.of(10L, 20L, 20L), tags);
    }

    @Test
    void startCodeSplitAcrossChunksIsFound() {
        feed("00 00 01 41 01 00", 0);
        feed("00", 0);
        feed("01 41 02 00 00 01", 0);
        assertEquals(List.of("4101", "4102"), nals);
    }

    @Test
    void afterCloseInputIsIgnoredAndFinishDoesNothing() {
        feed("00 00 01 41 01", 0);
        splitter.close();
        feed("00 00 01 41 02 00 00 01", 0);
        splitter.finish(sink);
        splitter.close();
        assertTrue(nals.isEmpty());
        assertEquals(0, splitter.bufferedBytes());
    }

    @Test
    void finishWithOnlyGarbageEmitsNothing() {
        feed("12 34 56", 0);
        splitter.finish(sink);
        assertTrue(nals.isEmpty());
        assertEquals(3, splitter.bytesSkipped());
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NalUnitSplitter(PooledByteBufAllocator.DEFAULT, 0));
    }
}
