package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for {@link AccessUnitAssembler} (ISO/IEC 14496-10 7.4.1.2.3/7.4.1.2.4): the input is an Annex B
 * stream, split with {@link AnnexBReader#forEachNalUnit}, and each NAL unit is pushed in a pooled buffer the
 * assembler then owns.
 *
 * <p>Invariants: {@code push} throws only {@link H264Exception}, and only for a slice too short to hold
 * first_mb_in_slice; every access unit emitted holds at least one VCL NAL unit; the emitted access units,
 * concatenated, are exactly the accepted NAL units in order, except for trailing non-VCL NAL units that
 * {@code flush} drops; every buffer is released once the access units are.
 */
class AccessUnitAssemblerFuzzTest {

    @FuzzTest
    void push(byte[] annexB) {
        TrackingAllocator alloc = new TrackingAllocator();
        List<ByteBuf> nalUnits = new ArrayList<>();
        ByteBuf in = alloc.buffer(Math.max(1, annexB.length)).writeBytes(annexB);
        try {
            AnnexBReader.forEachNalUnit(in, nal -> nalUnits.add(alloc.buffer(nal.readableBytes()).writeBytes(nal)));
        } catch (H264Exception e) {
            in.release();
            alloc.assertAllReleased("bad Annex B input");
            return;
        }
        in.release();

        List<String> accepted = new ArrayList<>();
        List<String> emitted = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> {
            try {
                List<ByteBuf> units = au.nalUnits();
                assertFalse(units.isEmpty(), "empty access unit");
                assertTrue(units.stream().anyMatch(n -> NalUnitType.isVcl(NalUnitType.of(n))),
                        "access unit without a VCL NAL unit");
                for (ByteBuf n : units) {
                    emitted.add(ByteBufUtil.hexDump(n));
                }
            } finally {
                au.release();
            }
        });
        try {
            for (int i = 0; i < nalUnits.size(); i++) {
                ByteBuf nal = nalUnits.get(i);
                nalUnits.set(i, null);
                String hex = ByteBufUtil.hexDump(nal);
                int type = NalUnitType.of(nal);
                try {
                    assembler.push(nal);
                    accepted.add(hex);
                } catch (H264Exception e) {
                    assertTrue(type == NalUnitType.SLICE || type == NalUnitType.DPA || type == NalUnitType.IDR,
                            "push rejected a NAL unit of type " + type + ": " + e.getMessage());
                }
            }
            assembler.flush();
            assertEquals(accepted.subList(0, emitted.size()), emitted, "access units keep the NAL units in order");
            for (String dropped : accepted.subList(emitted.size(), accepted.size())) {
                int type = Integer.parseInt(dropped.substring(0, 2), 16) & 0x1F;
                assertFalse(NalUnitType.isVcl(type), "flush dropped a VCL NAL unit of type " + type);
            }
        } finally {
            for (ByteBuf left : nalUnits) {
                if (left != null) {
                    left.release();
                }
            }
            alloc.assertAllReleased("access unit assembler input of " + annexB.length + " bytes");
        }
    }
}
