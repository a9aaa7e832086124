package io.edgepush.protocol.hevc;

import static io.edgepush.protocol.hevc.HevcTestNals.nal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Access unit boundaries (ITU-T H.265 7.4.2.4.4). NAL headers written by hand: type &lt;&lt; 1, then 0x01
 * (layer 0, temporal id plus 1 = 1); a slice segment's third byte starts with first_slice_segment_in_pic_flag.
 */
class HevcAccessUnitAssemblerTest {
    private static final String IDR_FIRST = "26 01 af 00";   // IDR_W_RADL (19), flag 1
    private static final String IDR_SECOND = "26 01 20 11";  // IDR_W_RADL, flag 0 (second slice segment)
    private static final String TRAIL_FIRST = "02 01 d0 01"; // TRAIL_R (1), flag 1
    private static final String TRAIL_SECOND = "02 01 40 02";
    private static final String CRA_FIRST = "2a 01 80";      // CRA_NUT (21)
    private static final String AUD = "46 01 50";
    private static final String PREFIX_SEI = "4e 01 05 00";
    private static final String SUFFIX_SEI = "50 01 05 00";
    private static final String EOS = "48 01";

    private final List<HevcAccessUnit> units = new ArrayList<>();
    private final HevcAccessUnitAssembler assembler = new HevcAccessUnitAssembler(units::add);

    @AfterEach
    void release() {
        units.forEach(HevcAccessUnit::release);
    }

    private void push(String... hex) {
        for (String h : hex) {
            assembler.push(nal(h));
        }
    }

    private List<Integer> types(int au) {
        return units.get(au).nalUnits().stream().map(HevcNalUnitType::of).toList();
    }

    @Test
    void parameterSetsAndFirstSliceSegmentFlagSplitPictures() {
        push(HevcTestNals.VPS, HevcTestNals.SPS, HevcTestNals.PPS, PREFIX_SEI, IDR_FIRST, IDR_SECOND, SUFFIX_SEI,
                TRAIL_FIRST, TRAIL_SECOND, PREFIX_SEI, TRAIL_FIRST, EOS, HevcTestNals.VPS, CRA_FIRST);
        assembler.flush();
        assertEquals(4, units.size());
        assertEquals(List.of(32, 33, 34, 39, 19, 19, 40), types(0));
        assertEquals(List.of(1, 1), types(1));
        assertEquals(List.of(39, 1, 36), types(2), "prefix SEI starts an AU, end of sequence stays with its picture");
        assertEquals(List.of(32, 21), types(3));
        assertTrue(units.get(0).isKeyframe());
        assertFalse(units.get(1).isKeyframe());
        assertFalse(units.get(2).isKeyframe());
        assertTrue(units.get(3).isKeyframe(), "CRA is a keyframe");
    }

    @Test
    void accessUnitDelimiterStartsAnAccessUnitAndLayerOneNeverDoes() {
        push(AUD, TRAIL_FIRST, AUD, TRAIL_FIRST, "02 09 80 00");  // layer 1 slice with flag 1
        assembler.flush();
        assertEquals(2, units.size());
        assertEquals(List.of(35, 1, 1), types(1));
    }

    @Test
    void flushDropsTrailingNonVclNalUnits() {
        push(TRAIL_FIRST, HevcTestNals.SPS);
        assembler.flush();
        assertEquals(1, units.size());
        assembler.flush();
        assertEquals(1, units.size(), "SPS without a picture is not an access unit (and was released)");
    }

    @Test
    void badNalUnitsAreReleasedAndRejected() {
        push(TRAIL_FIRST);
        ByteBuf empty = PooledByteBufAllocator.DEFAULT.buffer(1);
        H265Exception e = assertThrows(H265Exception.class, () -> assembler.push(empty));
        assertEquals("HEVC access unit assembler: HEVC NAL unit of 0 bytes is shorter than the 2-byte NAL unit header",
                e.getMessage());
        assertEquals(0, empty.refCnt());
        ByteBuf headerOnly = nal("02 01");
        e = assertThrows(H265Exception.class, () -> assembler.push(headerOnly));
        assertTrue(e.getMessage().contains("has no first_slice_segment_in_pic_flag"), e.getMessage());
        assertEquals(0, headerOnly.refCnt());
        ByteBuf forbidden = nal("82 01 80");
        assertThrows(H265Exception.class, () -> assembler.push(forbidden));
        assertEquals(0, forbidden.refCnt());
        push(TRAIL_SECOND);
        assembler.flush();
        assertEquals(List.of(1, 1), types(0), "the access unit being built is unchanged by rejected NAL units");
    }

    @Test
    void fixtureHas50AccessUnitsWithKeyframesAt0And25() throws Exception {
        try (InputStream in = Files.newInputStream(Fixtures.repoFixture("small.265"));
             AnnexBReader reader = new AnnexBReader(in, 1 << 20)) {
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                assembler.push(nal);
            }
            assembler.flush();
        }
        assertEquals(50, units.size());
        List<Integer> keyframes = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            if (units.get(i).isKeyframe()) {
                keyframes.add(i);
            }
        }
        assertEquals(List.of(0, 25), keyframes);
        assertEquals(List.of(32, 33, 34, 20), types(0), "IDR_N_LP with its parameter sets");
        assertEquals(List.of(32, 33, 34, 21), types(25), "open GOP: CRA with its parameter sets");
    }
}
