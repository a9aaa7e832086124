package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessUnitAssemblerTest {
    private final List<ByteBuf> pushed = new ArrayList<>();
    private final List<List<String>> units = new ArrayList<>();
    private final List<Boolean> keyframes = new ArrayList<>();
    private final List<Boolean> parameterSets = new ArrayList<>();
    private final AccessUnitAssembler assembler = new AccessUnitAssembler(au -> {
        List<String> hexes = new ArrayList<>();
        au.nalUnits().forEach(nal -> hexes.add(hex(nal)));
        units.add(hexes);
        keyframes.add(au.isKeyframe());
        parameterSets.add(au.hasParameterSets());
        au.release();
    });

    @AfterEach
    void everyPushedBufferWasReleasedOnce() {
        for (ByteBuf b : pushed) {
            assertEquals(0, b.refCnt(), "NAL unit not released");
        }
    }

    @Test
    void twoSlicePicturesStayOneAccessUnit() {
        push(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0, Vectors.IDR_MB40,
                Vectors.P_MB0_FN1, Vectors.P_MB40_FN1, Vectors.P_MB0_FN2, Vectors.P_MB40_FN2);
        assembler.flush();
        assertEquals(List.of(
                List.of(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0, Vectors.IDR_MB40),
                List.of(Vectors.P_MB0_FN1, Vectors.P_MB40_FN1),
                List.of(Vectors.P_MB0_FN2, Vectors.P_MB40_FN2)), units);
        assertEquals(List.of(true, false, false), keyframes);
        assertEquals(List.of(true, false, false), parameterSets);
    }

    @Test
    void accessUnitDelimiterStartsAnAccessUnit() {
        push(Vectors.AUD, Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.SEI, Vectors.IDR_MB0,
                Vectors.AUD, Vectors.P_MB0_FN1, Vectors.AUD, Vectors.P_MB0_FN2);
        assembler.flush();
        assertEquals(List.of(
                List.of(Vectors.AUD, Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.SEI, Vectors.IDR_MB0),
                List.of(Vectors.AUD, Vectors.P_MB0_FN1),
                List.of(Vectors.AUD, Vectors.P_MB0_FN2)), units);
    }

    @Test
    void parameterSetsAndSeiBetweenPicturesStartTheNextAccessUnit() {
        push(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0, Vectors.SEI, Vectors.P_MB0_FN1,
                Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0, Vectors.IDR_MB40);
        assembler.flush();
        assertEquals(List.of(
                List.of(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0),
                List.of(Vectors.SEI, Vectors.P_MB0_FN1),
                List.of(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0, Vectors.IDR_MB40)), units);
        assertEquals(List.of(true, false, true), keyframes);
    }

    @Test
    void frameNumChangeStartsAPictureWhoseFirstSliceWasLost() {
        push(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.P_MB0_FN1, Vectors.P_MB40_FN1, Vectors.P_MB40_FN2);
        assembler.flush();
        assertEquals(List.of(
                List.of(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.P_MB0_FN1, Vectors.P_MB40_FN1),
                List.of(Vectors.P_MB40_FN2)), units);
    }

    @Test
    void withoutParameterSetsFirstMbInSliceStillSplitsPictures() {
        push(Vectors.P_MB0_FN1, Vectors.P_MB40_FN1, Vectors.P_MB0_FN2);
        assembler.flush();
        assertEquals(List.of(List.of(Vectors.P_MB0_FN1, Vectors.P_MB40_FN1), List.of(Vectors.P_MB0_FN2)), units);
    }

    @Test
    void endOfSequenceAndFillerStayWithTheirPicture() {
        push(Vectors.IDR_MB0, "0c ff ff 80", "0a", Vectors.IDR_MB0);
        assembler.flush();
        assertEquals(List.of(List.of(Vectors.IDR_MB0, "0c ff ff 80", "0a"), List.of(Vectors.IDR_MB0)), units);
    }

    @Test
    void flushDropsNonVclLeftoversAndEmitsNothingTwice() {
        push(Vectors.IDR_MB0, Vectors.SPS_720P_BASELINE);
        assembler.flush();
        assembler.flush();
        assertEquals(List.of(List.of(Vectors.IDR_MB0)), units);
    }

    @Test
    void badNalUnitsAreReleasedAndReported() {
        push(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0);
        ByteBuf empty = pooled("");
        H264Exception e = assertThrows(H264Exception.class, () -> assembler.push(empty));
        assertEquals("access unit assembler: empty NAL unit: no nal_unit_type header byte", e.getMessage());
        ByteBuf headerOnly = pooled("41");
        H264Exception e2 = assertThrows(H264Exception.class, () -> assembler.push(headerOnly));
        assertEquals("access unit assembler: slice header truncated while reading first_mb_in_slice (bit 0 of 0)",
                e2.getMessage());
        // a broken SPS is kept in the stream; the access unit being built is intact
        push("67 42 c0", Vectors.P_MB0_FN1);
        assembler.flush();
        assertEquals(List.of(List.of(Vectors.SPS_720P_BASELINE, Vectors.PPS_0, Vectors.IDR_MB0),
                List.of("67 42 c0", Vectors.P_MB0_FN1)), units);
    }

    @Test
    void accessUnitReleaseIsOnceOnly() {
        ByteBuf nal = pooled(Vectors.IDR_MB0);
        AccessUnit au = new AccessUnit(new ArrayList<>(List.of(nal)));
        assertTrue(au.isKeyframe());
        assertFalse(au.hasParameterSets());
        assertEquals(4, au.sizeBytes());
        au.release();
        assertEquals(0, nal.refCnt());
        assertThrows(IllegalStateException.class, au::release);
        assertThrows(IllegalStateException.class, au::nalUnits);
    }

    private void push(String... hexes) {
        for (String h : hexes) {
            assembler.push(pooled(h));
        }
    }

    private ByteBuf pooled(String hex) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeBytes(Vectors.bytes(hex));
        pushed.add(b);
        return b;
    }
}
