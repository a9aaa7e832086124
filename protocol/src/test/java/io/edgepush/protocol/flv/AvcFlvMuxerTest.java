package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.flv.FlvVideoMuxer.Result;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AvcFlvMuxer against hand-written bytes: FLV spec v10.1 E.4.3.1 (VIDEODATA / AVCVIDEOPACKET), E.5 onMetaData,
 * ISO/IEC 14496-15 5.3.3.1 (AVCDecoderConfigurationRecord). Slices are fake (only their NAL header byte matters
 * to the muxer); parameter sets are real.
 */
class AvcFlvMuxerTest {

    /**
     * Baseline 320x240, level 30: 67 | profile 0x42 constraint 0xC0 level 0x1E | 1 sps_id 0 | 1 log2_max_frame_num-4
     * 0 | 011 poc_type 2 | 010 max_num_ref_frames 1 | 0 gaps | 000010100 width_mbs-1 = 19 (20 MBs = 320) |
     * 0001111 height_map_units-1 = 14 (15 MBs = 240) | 1 frame_mbs_only | 1 direct_8x8 | 0 cropping | 0 vui |
     * 1 stop 00 -> da 05 07 e4.
     */
    static final String SPS_320X240 = "67 42 c0 1e da 05 07 e4";
    /** The same SPS with level 31 (0x1F): other bytes, same resolution. */
    static final String SPS_320X240_LEVEL31 = "67 42 c0 1f da 05 07 e4";
    /** Baseline 1280x720, level 31: width_mbs-1 = 79, height_map_units-1 = 44, otherwise as above. */
    static final String SPS_1280X720 = "67 42 c0 1f da 01 40 16 e4";
    /** PPS: 1 pps_id 0 | 1 sps_id 0 | 0 cavlc | 0 | 1 one slice group | 1 1 refs | 0 | 00 | 1 1 1 | 1 | 0 | 0 | stop. */
    static final String PPS = "68 ce 3c 80";
    static final String IDR = "65 88 84 00 21";
    static final String IDR_SECOND_SLICE = "65 05 22 21 b8";
    static final String P = "41 9a 2d 07";
    static final String AUD = "09 f0";
    static final String FILLER = "0c ff ff ff 80";
    static final String SEI = "06 06 01 80 80";

    static final String ON_METADATA = "02 00 0a 6f 6e 4d 65 74 61 44 61 74 61";
    static final String SET_DATA_FRAME = "02 00 0d 40 73 65 74 44 61 74 61 46 72 61 6d 65";

    /** AMF0 ECMA array of onMetaData (E.5) with videodatarate 0, framerate 25 (the hint), encoder "ep". */
    static String ecmaArray(String widthDouble, String heightDouble) {
        return "08 00 00 00 07"
                + " 00 08 64 75 72 61 74 69 6f 6e 00 00 00 00 00 00 00 00 00"       // duration 0.0
                + " 00 05 77 69 64 74 68 00 " + widthDouble                          // width
                + " 00 06 68 65 69 67 68 74 00 " + heightDouble                      // height
                + " 00 0d 76 69 64 65 6f 64 61 74 61 72 61 74 65 00 00 00 00 00 00 00 00 00" // videodatarate 0
                + " 00 09 66 72 61 6d 65 72 61 74 65 00 40 39 00 00 00 00 00 00"     // framerate 25.0
                + " 00 0c 76 69 64 65 6f 63 6f 64 65 63 69 64 00 40 1c 00 00 00 00 00 00" // videocodecid 7.0
                + " 00 07 65 6e 63 6f 64 65 72 02 00 02 65 70"                       // encoder "ep"
                + " 00 00 09";
    }

    static final String META_320X240 = ON_METADATA + " " + ecmaArray("40 74 00 00 00 00 00 00",
            "40 6e 00 00 00 00 00 00");
    static final String META_1280X720 = ON_METADATA + " " + ecmaArray("40 94 00 00 00 00 00 00",
            "40 86 80 00 00 00 00 00");

    /** 0x17 keyframe|AVC, 0x00 sequence header, CTS 0, then version 1 | 42 c0 1e | ff | e1 | 0008 SPS | 01 | 0004 PPS. */
    static final String SEQUENCE_HEADER_320X240 = "17 00 00 00 00 01 42 c0 1e ff e1 00 08 " + SPS_320X240
            + " 01 00 04 " + PPS;
    static final String SEQUENCE_HEADER_320X240_LEVEL31 = "17 00 00 00 00 01 42 c0 1f ff e1 00 08 "
            + SPS_320X240_LEVEL31 + " 01 00 04 " + PPS;
    static final String SEQUENCE_HEADER_1280X720 = "17 00 00 00 00 01 42 c0 1f ff e1 00 09 " + SPS_1280X720
            + " 01 00 04 " + PPS;
    /** 0x17 keyframe|AVC, 0x01 NALU, CTS 0, 4-byte length + IDR. */
    static final String IDR_TAG = "17 01 00 00 00 00 00 00 05 " + IDR;
    /** 0x27 inter frame|AVC, 0x01 NALU, CTS 0, 4-byte length + P slice. */
    static final String P_TAG = "27 01 00 00 00 00 00 00 04 " + P;

    record Tag(int tagType, int timestampMs, String hex) {
        static Tag script(int timestampMs, String spacedHex) {
            return new Tag(FlvTagType.SCRIPT_DATA, timestampMs, HexBytes.hex(spacedHex));
        }

        static Tag video(int timestampMs, String spacedHex) {
            return new Tag(FlvTagType.VIDEO, timestampMs, HexBytes.hex(spacedHex));
        }
    }

    /** Records each tag as hex and releases the body it was given (the sink owns it). */
    static final class RecordingSink implements AvcFlvMuxer.TagSink {
        final List<Tag> tags = new ArrayList<>();

        @Override
        public void onTag(int tagType, int timestampMs, ByteBuf body) {
            try {
                assertEquals(1, body.refCnt(), "the sink receives a body it owns alone");
                tags.add(new Tag(tagType, timestampMs, ByteBufUtil.hexDump(body)));
            } finally {
                body.release();
            }
        }

        List<Tag> take() {
            List<Tag> copy = List.copyOf(tags);
            tags.clear();
            return copy;
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final List<AvcFlvMuxer> muxers = new ArrayList<>();

    @AfterEach
    void closeMuxers() {
        muxers.forEach(AvcFlvMuxer::close);
    }

    private AvcFlvMuxer fileMuxer() {
        return track(new AvcFlvMuxer(PooledByteBufAllocator.DEFAULT, sink, false, 25.0, "ep"));
    }

    private AvcFlvMuxer track(AvcFlvMuxer muxer) {
        muxers.add(muxer);
        return muxer;
    }

    /** Writes one access unit of pooled NAL units, checks they were only borrowed, and releases them. */
    private static Result write(AvcFlvMuxer muxer, int timestampMs, int compositionTimeMs, String... nalHex) {
        List<ByteBuf> nals = nals(nalHex);
        try {
            return muxer.write(nals, timestampMs, compositionTimeMs);
        } finally {
            for (int i = 0; i < nals.size(); i++) {
                ByteBuf nal = nals.get(i);
                assertEquals(hex(nalHex[i]), ByteBufUtil.hexDump(nal), "NAL unit " + i + " must be left untouched");
                assertEquals(1, nal.refCnt(), "NAL unit " + i + " is borrowed, not released or retained");
                nal.release();
            }
        }
    }

    private static List<ByteBuf> nals(String... nalHex) {
        List<ByteBuf> nals = new ArrayList<>();
        for (String h : nalHex) {
            nals.add(HexBytes.buf(h));
        }
        return nals;
    }

    /** Starts a file-mode muxer with SPS 320x240 + PPS + IDR at 0 ms and drops the three tags it writes. */
    private AvcFlvMuxer started() {
        AvcFlvMuxer muxer = fileMuxer();
        assertEquals(Result.WRITTEN, write(muxer, 0, 0, SPS_320X240, PPS, IDR));
        assertEquals(3, sink.take().size());
        return muxer;
    }

    @Test
    void nonKeyframesBeforeTheFirstKeyframeAreSkippedWithoutTags() {
        AvcFlvMuxer muxer = fileMuxer();
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 0, 0, P));
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 40, 0, AUD, SPS_320X240, PPS, SEI, P));
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 80, 0, AUD, P));
        assertEquals(List.of(), sink.tags);
        assertTrue(muxer.hasParameterSets(), "parameter sets of skipped access units are still tracked");
        muxer.writeEndOfSequence(120);
        assertEquals(List.of(), sink.tags, "no end of sequence before anything was written");
    }

    @Test
    void firstKeyframeWritesMetaDataSequenceHeaderAndFilteredNalUnits() {
        AvcFlvMuxer muxer = fileMuxer();
        assertNull(muxer.currentSize());
        assertEquals(Result.WRITTEN, write(muxer, 1000, 0, AUD, SPS_320X240, PPS, SEI, IDR, IDR_SECOND_SLICE, FILLER));
        // AUD, SPS, PPS and filler are dropped; SEI and both slices stay, each with a 4-byte length.
        assertEquals(List.of(
                Tag.script(1000, META_320X240),
                Tag.video(1000, SEQUENCE_HEADER_320X240),
                Tag.video(1000, "17 01 00 00 00 00 00 00 05 " + SEI + " 00 00 00 05 " + IDR
                        + " 00 00 00 05 " + IDR_SECOND_SLICE)), sink.take());
        assertEquals("320x240", muxer.currentSize());

        assertEquals(Result.WRITTEN, write(muxer, 1040, 0, AUD, P, FILLER));
        assertEquals(List.of(Tag.video(1040, P_TAG)), sink.take());
    }

    @Test
    void rtmpModeWrapsOnMetaDataInSetDataFrame() {
        AvcFlvMuxer muxer = track(new AvcFlvMuxer(PooledByteBufAllocator.DEFAULT, sink, true, 25.0, "ep"));
        assertEquals(Result.WRITTEN, write(muxer, 0, 0, SPS_320X240, PPS, IDR));
        assertEquals(List.of(
                Tag.script(0, SET_DATA_FRAME + " " + META_320X240),
                Tag.video(0, SEQUENCE_HEADER_320X240),
                Tag.video(0, IDR_TAG)), sink.take());
    }

    @Test
    void keyframeWithoutParameterSetsIsSkipped() {
        AvcFlvMuxer muxer = fileMuxer();
        assertEquals(Result.SKIPPED_NO_PARAMETER_SETS, write(muxer, 0, 0, IDR));
        assertEquals(Result.SKIPPED_NO_PARAMETER_SETS, write(muxer, 40, 0, SPS_320X240, IDR), "PPS still missing");
        assertFalse(muxer.hasParameterSets());
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 80, 0, P));
        assertEquals(List.of(), sink.tags);
        assertEquals(Result.WRITTEN, write(muxer, 120, 0, PPS, IDR), "the SPS from two access units ago is used");
        assertEquals(List.of(
                Tag.script(120, META_320X240),
                Tag.video(120, SEQUENCE_HEADER_320X240),
                Tag.video(120, IDR_TAG)), sink.take());
    }

    @Test
    void newResolutionGetsNewMetaDataAndSequenceHeaderAtTheNextKeyframe() {
        AvcFlvMuxer muxer = started();
        // The camera switches to 720p: the SPS arrives with an inter frame, which cannot be decoded with the old
        // sequence header and the new one can only start at a keyframe.
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 40, 0, SPS_1280X720, PPS, P));
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 80, 0, P));
        assertEquals(List.of(), sink.tags);
        assertEquals(Result.WRITTEN, write(muxer, 120, 0, IDR));
        assertEquals(List.of(
                Tag.script(120, META_1280X720),
                Tag.video(120, SEQUENCE_HEADER_1280X720),
                Tag.video(120, IDR_TAG)), sink.take());
        assertEquals("1280x720", muxer.currentSize());
    }

    @Test
    void changedSpsWithTheSameResolutionGetsOnlyANewSequenceHeader() {
        AvcFlvMuxer muxer = started();
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, SPS_320X240_LEVEL31, PPS, IDR));
        assertEquals(List.of(
                Tag.video(40, SEQUENCE_HEADER_320X240_LEVEL31),
                Tag.video(40, IDR_TAG)), sink.take());
    }

    @Test
    void repeatedIdenticalParameterSetsWriteNoNewHeaders() {
        AvcFlvMuxer muxer = started();
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, AUD, SPS_320X240, PPS, P));
        assertEquals(Result.WRITTEN, write(muxer, 80, 0, AUD, SPS_320X240, PPS, IDR));
        assertEquals(List.of(Tag.video(40, P_TAG), Tag.video(80, IDR_TAG)), sink.take());
    }

    @Test
    void restartBeginsAgainWithMetaDataAndSequenceHeaderAtAKeyframe() {
        AvcFlvMuxer muxer = started();
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, P));
        sink.take();
        muxer.restart();
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 80, 0, P));
        muxer.writeEndOfSequence(80);
        assertEquals(List.of(), sink.tags, "nothing written to the new output yet");
        assertEquals(Result.WRITTEN, write(muxer, 120, 0, IDR), "parameter sets seen before the restart are kept");
        assertEquals(List.of(
                Tag.script(120, META_320X240),
                Tag.video(120, SEQUENCE_HEADER_320X240),
                Tag.video(120, IDR_TAG)), sink.take());
    }

    @Test
    void observeTracksParameterSetsWithoutWriting() {
        AvcFlvMuxer muxer = fileMuxer();
        List<ByteBuf> au = nals(AUD, SPS_320X240, PPS, IDR);
        try {
            muxer.observe(au);
        } finally {
            au.forEach(ByteBuf::release);
        }
        assertEquals(List.of(), sink.tags);
        assertTrue(muxer.hasParameterSets());
        assertEquals(Result.WRITTEN, write(muxer, 5000, 0, IDR));
        assertEquals(List.of(
                Tag.script(5000, META_320X240),
                Tag.video(5000, SEQUENCE_HEADER_320X240),
                Tag.video(5000, IDR_TAG)), sink.take());
    }

    @Test
    void observedParameterSetChangeWritesNewHeadersAtTheNextKeyframe() {
        AvcFlvMuxer muxer = started();
        List<ByteBuf> au = nals(SPS_1280X720, PPS, IDR);
        try {
            muxer.observe(au);
        } finally {
            au.forEach(ByteBuf::release);
        }
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 40, 0, P));
        assertEquals(Result.WRITTEN, write(muxer, 80, 0, IDR));
        assertEquals(List.of(
                Tag.script(80, META_1280X720),
                Tag.video(80, SEQUENCE_HEADER_1280X720),
                Tag.video(80, IDR_TAG)), sink.take());
    }

    @Test
    void endOfSequenceAfterOutput() {
        AvcFlvMuxer muxer = started();
        muxer.writeEndOfSequence(400);
        assertEquals(List.of(Tag.video(400, "17 02 00 00 00")), sink.take());
    }

    @Test
    void compositionTimeIsSi24() {
        AvcFlvMuxer muxer = started();
        assertEquals(Result.WRITTEN, write(muxer, 40, 80, P));
        assertEquals(Result.WRITTEN, write(muxer, 80, -33, P));
        assertEquals(Result.WRITTEN, write(muxer, 120, 0x7FFFFF, P));
        assertEquals(Result.WRITTEN, write(muxer, 160, -0x800000, IDR));
        assertEquals(List.of(
                Tag.video(40, "27 01 00 00 50 00 00 00 04 " + P),
                Tag.video(80, "27 01 ff ff df 00 00 00 04 " + P),
                Tag.video(120, "27 01 7f ff ff 00 00 00 04 " + P),
                Tag.video(160, "17 01 80 00 00 00 00 00 05 " + IDR)), sink.take());
    }

    @Test
    void compositionTimeOutOfSi24RangeIsRejectedWithoutLeakingTheBody() {
        AvcFlvMuxer muxer = started();
        assertThrows(IllegalArgumentException.class, () -> write(muxer, 40, 0x800000, P));
        assertThrows(IllegalArgumentException.class, () -> write(muxer, 40, -0x800001, P));
        assertEquals(List.of(), sink.tags);
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, P), "the muxer keeps working");
        assertEquals(List.of(Tag.video(40, P_TAG)), sink.take());
    }

    @Test
    void malformedParameterSetIsAnErrorAndChangesNothing() {
        AvcFlvMuxer muxer = started();
        assertThrows(H264Exception.class, () -> write(muxer, 40, 0, "67 42", PPS, IDR));
        assertThrows(H264Exception.class, () -> write(muxer, 40, 0, "", P));
        assertEquals(List.of(), sink.tags);
        assertEquals(Result.WRITTEN, write(muxer, 80, 0, IDR), "the previous parameter sets are still in use");
        assertEquals(List.of(Tag.video(80, IDR_TAG)), sink.take());
    }
}
