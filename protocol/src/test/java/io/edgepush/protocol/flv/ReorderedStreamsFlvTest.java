package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bframes.h264 and reschange.h264 (fixtures/README.md) through the whole file path: AnnexBReader, the media
 * AccessUnitReader at 25 fps (access units, picture order count to presentation time), an RTMP-mode H.264 muxer and
 * a {@link FlvRecordingTee} that writes a file and passes the tags on; the file is read back with FlvFileReader.
 */
class ReorderedStreamsFlvTest {
    @TempDir
    Path dir;

    /** Tags passed on by the tee: type, timestamp and the first AMF0 value of script data. */
    private final List<String> passedOn = new ArrayList<>();

    private List<FlvTag> record(String fixture) throws IOException {
        Path flv = dir.resolve(fixture + ".flv");
        FlvVideoMuxer.TagSink next = (tagType, timestampMs, body) -> {
            try {
                passedOn.add(tagType == FlvTagType.SCRIPT_DATA ? (String) Amf0.readValue(body.duplicate())
                        : "video " + timestampMs);
            } finally {
                body.release();
            }
        };
        try (FlvFileWriter writer = new FlvFileWriter(flv, true, false);
             FlvVideoMuxer muxer = FlvVideoMuxer.forCodec(VideoCodec.H264, PooledByteBufAllocator.DEFAULT,
                     new FlvRecordingTee(writer, next), true, 25.0, "ep");
             InputStream in = Files.newInputStream(Fixtures.repoFixture(fixture));
             AnnexBReader reader = new AnnexBReader(in, 1 << 20)) {
            AccessUnitReader accessUnits = AccessUnitReader.atFrameRate(VideoCodec.H264, 25, au -> {
                try {
                    assertEquals(FlvVideoMuxer.Result.WRITTEN, muxer.write(au, (int) au.dtsMs()));
                } finally {
                    au.release();
                }
            });
            for (ByteBuf nal = reader.next(PooledByteBufAllocator.DEFAULT); nal != null;
                 nal = reader.next(PooledByteBufAllocator.DEFAULT)) {
                accessUnits.push(nal, 0);
            }
            accessUnits.flush();
        }
        return FlvFileReader.readAll(flv);
    }

    /** Composition time (SI24, FLV spec E.4.3.1) of an AVC NALU tag. */
    private static int compositionTimeMs(FlvTag tag) {
        byte[] b = tag.body();
        return ((b[2] << 16) | ((b[3] & 0xFF) << 8) | (b[4] & 0xFF));
    }

    @Test
    void bFramesCarryCompositionTimeAndPtsCoverEveryFrameOnce() throws IOException {
        List<FlvTag> tags = record("bframes.h264");
        List<FlvTag> frames = tags.stream().filter(t -> t.tagType() == FlvTagType.VIDEO && t.body()[1] == 1).toList();
        assertEquals(50, frames.size());
        TreeSet<Integer> pts = new TreeSet<>();
        int positive = 0;
        for (int i = 0; i < frames.size(); i++) {
            FlvTag tag = frames.get(i);
            assertEquals(i * 40, tag.timestampMs(), "DTS of frame " + i);
            int cts = compositionTimeMs(tag);
            assertTrue(cts >= 0, "composition time " + cts + " of frame " + i);
            positive += cts > 0 ? 1 : 0;
            pts.add(tag.timestampMs() + cts);
        }
        // max_num_reorder_frames 2 (x264 with b-pyramid): PTS are 80, 120, ... 2040, each once
        assertEquals(50, pts.size(), "distinct PTS");
        assertEquals(80, pts.first());
        assertEquals(80 + 49 * 40, pts.last());
        assertTrue(positive > 0 && positive < 50, "some but not all frames are shifted: " + positive);
    }

    @Test
    void resolutionChangeWritesNewMetaDataAndSequenceHeaderAtTheIdr() throws IOException {
        List<FlvTag> tags = record("reschange.h264");
        List<String> kinds = new ArrayList<>();
        List<Object> widths = new ArrayList<>();
        for (FlvTag tag : tags) {
            if (tag.tagType() == FlvTagType.SCRIPT_DATA) {
                ByteBuf body = tag.bodyBuf();
                try {
                    List<Object> values = Amf0.readAll(body);
                    kinds.add((String) values.get(0));
                    widths.add(((Map<?, ?>) values.get(1)).get("width") + "x"
                            + ((Map<?, ?>) values.get(1)).get("height"));
                } finally {
                    body.release();
                }
            } else if (tag.body()[1] == 0) {
                kinds.add("sequence header " + tag.timestampMs());
            } else if ((tag.body()[0] & 0xF0) == 0x10) {
                kinds.add("keyframe " + tag.timestampMs());
            }
        }
        assertEquals(List.of("onMetaData", "sequence header 0", "keyframe 0",
                "onMetaData", "sequence header 1000", "keyframe 1000"), kinds);
        assertEquals(List.of("320.0x240.0", "480.0x270.0"), widths);
        assertEquals(54, tags.size(), "2 x (onMetaData + sequence header) + 50 frames");
        assertEquals("@setDataFrame", passedOn.get(0), "the RTMP side keeps the data message form");
        assertEquals(54, passedOn.size(), "every tag is passed on");
    }
}
