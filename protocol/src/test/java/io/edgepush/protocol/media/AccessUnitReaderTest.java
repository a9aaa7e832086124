package io.edgepush.protocol.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.hevc.HevcAccessUnitAssembler;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessUnitReader} on the fixtures (fixtures/README.md) and on hand-made NAL units. Expected values come
 * from the README (frame counts, GOPs, reorder depth) and from the spec rules, not from the reader. NAL units are
 * unpooled heap copies so refCnt() stays meaningful after release: every one pushed must end at 0.
 */
class AccessUnitReaderTest {
    // Hand-made H.264 NAL units (bits as in h264/Vectors): Baseline 720p SPS, pic_order_cnt_type 2 (no reordering)
    private static final int[] SPS = {0x67, 0x42, 0xc0, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xe4};
    private static final int[] PPS = {0x68, 0xce, 0x3c, 0x80};
    private static final int[] IDR = {0x65, 0x88, 0x86, 0xe0};   // first_mb 0, frame_num 0
    private static final int[] P_FN1 = {0x41, 0x9a, 0x2d};       // first_mb 0, frame_num 1
    private static final int[] P_FN2 = {0x41, 0x9a, 0x4d};       // first_mb 0, frame_num 2

    /** What the sink saw of one access unit (it is released at once). */
    private record Seen(long dts, long pts, boolean key, boolean ref, List<Integer> headers, int size) { }

    private final List<ByteBuf> pushed = new ArrayList<>();
    private final List<Seen> seen = new ArrayList<>();

    @AfterEach
    void everyPushedNalUnitReleasedOnce() {
        pushed.forEach(b -> assertEquals(0, b.refCnt(), "NAL unit not released: " + b));
    }

    private void sink(AccessUnit au) {
        List<Integer> headers = new ArrayList<>();
        au.nalUnits().forEach(n -> headers.add((int) n.getUnsignedByte(n.readerIndex())));
        seen.add(new Seen(au.dtsMs(), au.ptsMs(), au.keyframe(), au.reference(), headers, au.sizeBytes()));
        au.release();
    }

    private void push(AccessUnitReader reader, int[] bytes, long dtsMs) {
        ByteBuf b = Unpooled.buffer(bytes.length);
        Arrays.stream(bytes).forEach(b::writeByte);
        push(reader, b, dtsMs);
    }

    /** SPS, PPS and an IDR picture, all with the same time. */
    private void pushKeyframe(AccessUnitReader reader, long dtsMs) {
        push(reader, SPS, dtsMs);
        push(reader, PPS, dtsMs);
        push(reader, IDR, dtsMs);
    }

    private void push(AccessUnitReader reader, ByteBuf nal, long dtsMs) {
        pushed.add(nal);
        reader.push(nal, dtsMs);
    }

    /** The fixture's NAL units, each an unpooled copy the caller owns. */
    private static List<ByteBuf> nals(String fixture) throws IOException {
        ByteBuf file = Unpooled.wrappedBuffer(Files.readAllBytes(Fixtures.repoFixture(fixture)));
        List<ByteBuf> out = new ArrayList<>();
        AnnexBReader.forEachNalUnit(file, nal -> out.add(Unpooled.copiedBuffer(nal)));
        file.release();
        return out;
    }

    /** The fixture's access units per the existing H.264 assembler, as groups of NAL unit copies. */
    private static List<List<ByteBuf>> h264Groups(String fixture) throws IOException {
        List<List<ByteBuf>> groups = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> {
            List<ByteBuf> copies = new ArrayList<>();
            au.nalUnits().forEach(n -> copies.add(Unpooled.copiedBuffer(n)));
            groups.add(copies);
            au.release();
        });
        nals(fixture).forEach(assembler::push);
        assembler.flush();
        return groups;
    }

    private List<Integer> keyframeIndexes() {
        return IntStream.range(0, seen.size()).filter(i -> seen.get(i).key()).boxed().toList();
    }

    /** Reads a whole fixture at 25 fps (push times are ignored there) into {@link #seen}. */
    private void readAtFrameRate(VideoCodec codec, String fixture) throws IOException {
        try (AccessUnitReader reader = AccessUnitReader.atFrameRate(codec, 25, this::sink)) {
            for (ByteBuf nal : nals(fixture)) {
                push(reader, nal, 777_777);
            }
            reader.flush();
            assertEquals(seen.size(), reader.accessUnits());
        }
    }

    @Test
    void smallH264AtFrameRateHasTheAssemblersAccessUnitsAt40MsSteps() throws IOException {
        List<List<ByteBuf>> groups = h264Groups("small.h264");
        List<Integer> assemblerKeys = IntStream.range(0, groups.size())
                .filter(i -> groups.get(i).stream().anyMatch(n -> (n.getByte(0) & 0x1f) == 5)).boxed().toList();
        groups.forEach(g -> g.forEach(ByteBuf::release));
        readAtFrameRate(VideoCodec.H264, "small.h264");
        assertEquals(50, groups.size(), "README: 50 frames");
        assertEquals(groups.size(), seen.size());
        assertEquals(List.of(0, 25), assemblerKeys, "README: two 1 s GOPs");
        assertEquals(assemblerKeys, keyframeIndexes());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(40L * i, seen.get(i).dts(), "dts of " + i);
            assertEquals(40L * i, seen.get(i).pts(), "Constrained Baseline: no reordering, pts of " + i);
        }
    }

    @Test
    void bFramesGetPresentationTimesThatUseEverySlotOnce() throws IOException {
        readAtFrameRate(VideoCodec.H264, "bframes.h264");
        assertEquals(50, seen.size(), "README: 50 frames");
        int shifted = 0;
        List<Long> pts = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            assertEquals(40L * i, s.dts(), "dts of " + i);
            assertTrue(s.pts() >= s.dts(), "pts >= dts at " + i);
            shifted += s.pts() != s.dts() ? 1 : 0;
            pts.add(s.pts());
        }
        assertTrue(shifted > 0, "B-frames: some pictures have pts != dts");
        pts.sort(null);
        // max_num_reorder_frames 2 (x264 b-pyramid): presentation slots 2..51 of 40 ms, each used once
        for (int k = 0; k < pts.size(); k++) {
            assertEquals(80 + 40L * k, pts.get(k), "sorted pts " + k + " of " + pts);
        }
        assertEquals(List.of(0, 25), keyframeIndexes());
    }

    @Test
    void hevcKeyframesFollowTheHevcAssemblerAndPtsEqualsDts() throws IOException {
        List<Boolean> assemblerKeys = new ArrayList<>();
        HevcAccessUnitAssembler assembler = new HevcAccessUnitAssembler(au -> {
            assemblerKeys.add(au.isKeyframe());
            au.release();
        });
        nals("small.265").forEach(assembler::push);
        assembler.flush();
        readAtFrameRate(VideoCodec.H265, "small.265");
        assertEquals(50, seen.size(), "README: 50 frames");
        assertEquals(assemblerKeys.size(), seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(assemblerKeys.get(i), seen.get(i).key(), "keyframe " + i);
            assertEquals(40L * i, seen.get(i).dts());
            assertEquals(seen.get(i).dts(), seen.get(i).pts(), "HEVC: pts == dts");
            assertTrue(seen.get(i).ref(), "README: IDR_N_LP, CRA and TRAIL_R only: all references, " + i);
        }
        assertEquals(List.of(0, 25), keyframeIndexes(), "IDR_N_LP at 0, CRA at 25");
    }

    @Test
    void framedMessagesAreHandedOnAtEndOfAccessUnitWithTheirCaptureTime() throws IOException {
        List<List<ByteBuf>> groups = h264Groups("small.h264");
        try (AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, 25, this::sink)) {
            for (int i = 0; i < groups.size(); i++) {
                long captureMs = 5_000 + 33L * i;
                for (ByteBuf nal : groups.get(i)) {
                    push(reader, nal, captureMs);
                }
                assertTrue(reader.endOfAccessUnit(i == 0 || i == 25), "declared keyframe agrees at " + i);
                assertEquals(i + 1, seen.size(), "handed on without waiting for the next access unit");
                assertEquals(captureMs, seen.get(i).dts());
                assertEquals(captureMs, seen.get(i).pts());
                assertEquals(groups.get(i).size(), seen.get(i).headers().size());
            }
            assertEquals(0, reader.keyframeFlagMismatches());
        }
    }

    @Test
    void aNewSequenceAtAnotherFrameRateIsTimedAtItsOwnSpacingFromItsKeyframe() throws IOException {
        // reschange.h264: 25 pictures at 320x240, then 25 at 480x270 from a new IDR with a new SPS (B-frames in
        // both). A camera sends the first sequence at 15 fps and, after a CONTROL, the second at 25 fps: the
        // pictures of the second must be presented 40 ms apart from its IDR on, not at the first one's 67 ms.
        List<List<ByteBuf>> groups = h264Groups("reschange.h264");
        assertEquals(50, groups.size());
        long captureMs = 0;
        try (AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, 15, this::sink)) {
            for (int i = 0; i < groups.size(); i++) {
                for (ByteBuf nal : groups.get(i)) {
                    push(reader, nal, captureMs);
                }
                reader.endOfAccessUnit(i == 0 || i == 25);
                captureMs += i < 25 ? 67 : 40;
            }
            reader.flush();
        }
        assertEquals(50, seen.size());
        List<Long> second = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            all.add(seen.get(i).pts());
            if (i >= 25) {
                second.add(seen.get(i).pts());
            }
        }
        all.sort(null);
        second.sort(null);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i) - all.get(i - 1) >= 35, "presentation times " + all.get(i - 1) + " and "
                    + all.get(i) + " too close (the old spacing timed the new sequence): " + all);
        }
        long lastOld = seen.subList(0, 25).stream().mapToLong(Seen::pts).max().orElseThrow();
        assertTrue(seen.get(25).pts() >= lastOld + 67, "the new keyframe is presented after the old sequence's last "
                + "picture has had its 67 ms: " + lastOld + " -> " + seen.get(25).pts());
        for (int i = 1; i < second.size(); i++) {
            long step = second.get(i) - second.get(i - 1);
            assertTrue(Math.abs(step - 40) <= 5, "second sequence presented 40 ms apart: " + second);
        }
    }

    @Test
    void parameterSetsAloneWaitForThePictureOfTheNextMessage() {
        try (AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, 25, this::sink)) {
            push(reader, SPS, 100);
            push(reader, PPS, 100);
            assertTrue(reader.endOfAccessUnit(false), "no picture completed: nothing to disagree with");
            assertEquals(0, seen.size(), "no access unit from parameter sets alone");
            push(reader, IDR, 140);
            reader.endOfAccessUnit(true);
            assertEquals(1, seen.size());
            Seen au = seen.get(0);
            assertEquals(List.of(0x67, 0x68, 0x65), au.headers());
            assertEquals(9 + 4 + 4, au.size());
            assertTrue(au.key());
            assertEquals(140, au.dts(), "time of the first picture NAL unit, not of the parameter sets sent ahead");
        }
    }

    @Test
    void nonIncreasingDecodeTimesBecomePreviousPlusOne() {
        try (AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, 25, this::sink)) {
            pushKeyframe(reader, 1000);
            reader.endOfAccessUnit();
            push(reader, P_FN1, 1000);
            reader.endOfAccessUnit();
            push(reader, P_FN2, 990);
            reader.endOfAccessUnit();
        }
        assertEquals(List.of(1000L, 1001L, 1002L), seen.stream().map(Seen::dts).toList());
        assertEquals(List.of(1000L, 1001L, 1002L), seen.stream().map(Seen::pts).toList());
    }

    @Test
    void declaredKeyframeFlagIsCheckedAndTheNalUnitTypesWin() {
        try (AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, 25, this::sink)) {
            pushKeyframe(reader, 0);
            assertTrue(reader.endOfAccessUnit(true));
            push(reader, P_FN1, 40);
            assertFalse(reader.endOfAccessUnit(true), "a P picture declared a keyframe");
            assertEquals(1, reader.keyframeFlagMismatches());
            push(reader, P_FN2, 80);
            assertTrue(reader.endOfAccessUnit(false));
            assertEquals(1, reader.keyframeFlagMismatches());
        }
        assertEquals(List.of(true, false, false), seen.stream().map(Seen::key).toList());
        assertEquals(List.of(true, true, true), seen.stream().map(Seen::ref).toList(), "0x65/0x41: nal_ref_idc != 0");
    }

    @Test
    void closeReleasesAHeldPictureAndPicturesWaitingForReordering() throws IOException {
        List<ByteBuf> all = nals("bframes.h264");
        AccessUnitReader reader = AccessUnitReader.atFrameRate(VideoCodec.H264, 25, this::sink);
        int pictures = 0;
        for (int i = 0; i < 14; i++) {
            pictures += (all.get(i).getByte(0) & 0x1f) <= 5 ? 1 : 0;
            push(reader, all.get(i), 0);
        }
        all.subList(14, all.size()).forEach(ByteBuf::release);
        assertEquals(pictures - 1, reader.accessUnits(), "the last picture is still being built");
        assertTrue(seen.size() < reader.accessUnits(), "some pictures wait for reordering: " + seen.size());
        int handedOn = seen.size();
        reader.close();
        assertEquals(handedOn, seen.size(), "close hands nothing on");
    }

    @Test
    void closeReleasesHevcPictureAndParameterSetsBeingBuilt() {
        AccessUnitReader hevc = new AccessUnitReader(VideoCodec.H265, 25, this::sink);
        push(hevc, new int[] {0x40, 0x01, 0x0c}, 0);   // VPS
        push(hevc, new int[] {0x28, 0x01, 0x80}, 0);   // IDR_N_LP, first slice segment
        hevc.close();
        AccessUnitReader h264 = new AccessUnitReader(VideoCodec.H264, 25, this::sink);
        push(h264, SPS, 0);
        push(h264, PPS, 0);
        h264.endOfAccessUnit();
        h264.close();
        assertEquals(0, seen.size());
    }
}
