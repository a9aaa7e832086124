package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.protocol.flv.AvcFlvMuxerTest.RecordingSink;
import io.edgepush.protocol.flv.AvcFlvMuxerTest.Tag;
import io.edgepush.protocol.flv.FlvVideoMuxer.Result;
import io.edgepush.protocol.hevc.H265Exception;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HevcFlvMuxer against hand-written bytes: onMetaData with videocodecid "hvc1" (1752589105.0 = 41 da 1d 98 cc 40
 * 00 00), SequenceStart with the HEVCDecoderConfigurationRecord of small.265's parameter sets (the bytes of
 * HevcDecoderConfigurationRecordTest.EXPECTED, repeated here), CodedFramesX / CodedFrames, SequenceEnd; and the
 * shared muxer rules (wait for a keyframe, new header after a parameter set change) for HEVC.
 */
class HevcFlvMuxerTest {
    static final String VPS = "40 01 0c 01 ff ff 01 60 00 00 03 00 90 00 00 03 00 00 03 00 3c 92 80 90";
    static final String SPS = "42 01 01 01 60 00 00 03 00 90 00 00 03 00 00 03 00 3c a0 0a 08 0b 9f 79 64 a9 24 ca"
            + " f0 16 80 80 00 00 03 00 80 00 00 0c 84";
    static final String PPS = "44 01 c1 72 b4 22 40";
    /** pps id 0, sps id 0, dependent_slice_segments_enabled_flag 1, 0, 000, stop bit: 1110 0001. */
    static final String PPS_2 = "44 01 e1";
    static final String RECORD_HEAD = "01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 03"
            + " a0 0001 0018 " + VPS + " a1 0001 0029 " + SPS;
    static final String SEQUENCE_START = "90 68 76 63 31 " + RECORD_HEAD + " a2 0001 0007 " + PPS;
    static final String SEQUENCE_START_2 = "90 68 76 63 31 " + RECORD_HEAD + " a2 0001 0003 " + PPS_2;
    static final String IDR = "28 01 af 00 11";   // IDR_N_LP (20)
    static final String CRA = "2a 01 af 00 12";   // CRA_NUT (21)
    static final String TRAIL = "02 01 d0 01";    // TRAIL_R (1)
    static final String AUD = "46 01 50";
    static final String SUFFIX_SEI = "50 01 05 00 80";
    static final String META_320X180 = AvcFlvMuxerTest.ON_METADATA + " " + AvcFlvMuxerTest.ecmaArray(
            "40 74 00 00 00 00 00 00", "40 66 80 00 00 00 00 00")
            .replace("00 40 1c 00 00 00 00 00 00", "00 41 da 1d 98 cc 40 00 00");

    private final RecordingSink sink = new RecordingSink();
    private final List<HevcFlvMuxer> muxers = new ArrayList<>();

    @AfterEach
    void closeMuxers() {
        muxers.forEach(HevcFlvMuxer::close);
    }

    private HevcFlvMuxer muxer(boolean rtmp) {
        HevcFlvMuxer m = new HevcFlvMuxer(PooledByteBufAllocator.DEFAULT, sink, rtmp, 25.0, "ep");
        muxers.add(m);
        return m;
    }

    private static Result write(HevcFlvMuxer muxer, int timestampMs, int compositionTimeMs, String... nalHex) {
        List<ByteBuf> nals = new ArrayList<>();
        for (String h : nalHex) {
            nals.add(HexBytes.buf(h));
        }
        try {
            return muxer.write(nals, timestampMs, compositionTimeMs);
        } finally {
            for (int i = 0; i < nals.size(); i++) {
                assertEquals(HexBytes.hex(nalHex[i]), ByteBufUtil.hexDump(nals.get(i)), "NAL unit left untouched");
                assertEquals(1, nals.get(i).refCnt(), "NAL unit borrowed");
                nals.get(i).release();
            }
        }
    }

    @Test
    void streamOfMetaDataSequenceStartCodedFramesAndSequenceEnd() {
        HevcFlvMuxer muxer = muxer(false);
        assertNull(muxer.currentSize());
        assertEquals(Result.WRITTEN, write(muxer, 0, 0, AUD, VPS, SPS, PPS, IDR, SUFFIX_SEI));
        assertEquals(List.of(
                Tag.script(0, META_320X180),
                Tag.video(0, SEQUENCE_START),
                Tag.video(0, "93 68 76 63 31 00 00 00 05 " + IDR + " 00 00 00 05 " + SUFFIX_SEI)), sink.take());
        assertEquals("320x180", muxer.currentSize());
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, AUD, TRAIL));
        assertEquals(Result.WRITTEN, write(muxer, 80, 40, TRAIL));
        muxer.writeEndOfSequence(80);
        assertEquals(List.of(
                Tag.video(40, "a3 68 76 63 31 00 00 00 04 " + TRAIL),
                Tag.video(80, "a1 68 76 63 31 00 00 28 00 00 00 04 " + TRAIL),
                Tag.video(80, "92 68 76 63 31")), sink.take());
    }

    @Test
    void rtmpModeWrapsOnMetaDataInSetDataFrame() {
        HevcFlvMuxer muxer = muxer(true);
        assertEquals(Result.WRITTEN, write(muxer, 0, 0, VPS, SPS, PPS, CRA));
        assertEquals(Tag.script(0, AvcFlvMuxerTest.SET_DATA_FRAME + " " + META_320X180), sink.take().get(0));
    }

    @Test
    void waitsForAKeyframeWithAllThreeParameterSets() {
        HevcFlvMuxer muxer = muxer(false);
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 0, 0, VPS, SPS, PPS, TRAIL));
        assertEquals(Result.SKIPPED_NO_PARAMETER_SETS, write(muxer(false), 0, 0, SPS, PPS, IDR), "no VPS yet");
        muxer.writeEndOfSequence(40);
        assertEquals(List.of(), sink.take(), "nothing, not even SequenceEnd, before the first keyframe");
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, CRA));
        assertEquals(3, sink.take().size(), "parameter sets of the skipped access unit were kept");
    }

    @Test
    void parameterSetChangeSendsANewSequenceStartBeforeTheNextKeyframe() {
        HevcFlvMuxer muxer = muxer(false);
        write(muxer, 0, 0, VPS, SPS, PPS, IDR);
        sink.take();
        assertEquals(Result.WRITTEN, write(muxer, 40, 0, VPS, SPS, PPS, TRAIL), "same bytes: no change");
        assertEquals(Result.SKIPPED_WAITING_FOR_KEYFRAME, write(muxer, 80, 0, PPS_2, TRAIL));
        assertEquals(Result.WRITTEN, write(muxer, 120, 0, PPS_2, CRA));
        assertEquals(List.of(
                Tag.video(40, "a3 68 76 63 31 00 00 00 04 " + TRAIL),
                Tag.video(120, SEQUENCE_START_2),
                Tag.video(120, "93 68 76 63 31 00 00 00 05 " + CRA)), sink.take(),
                "same picture size: no new onMetaData");
    }

    @Test
    void badParameterSetOrHeaderWritesNothing() {
        HevcFlvMuxer muxer = muxer(false);
        H265Exception e = assertThrows(H265Exception.class, () -> write(muxer, 0, 0, VPS, "42 01 01", PPS, IDR));
        assertEquals("HEVC SPS truncated while reading general_profile_space (bit 8 of 8)", e.getMessage());
        assertThrows(H265Exception.class, () -> write(muxer, 0, 0, "80 01 00"));
        assertEquals(List.of(), sink.take());
        assertThrows(IllegalArgumentException.class, () -> {
            write(muxer, 0, 0, VPS, SPS, PPS, IDR);
            sink.take();
            write(muxer, 40, 1 << 23, TRAIL);
        });
        assertEquals(List.of(), sink.take(), "a composition time beyond SI24 writes no tag");
    }
}
