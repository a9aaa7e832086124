package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end in file mode: a real Annex B fixture through AnnexBReader and AccessUnitAssembler into AvcFlvMuxer
 * and FlvFileWriter, read back with FlvFileReader and, when installed, checked by ffprobe/ffmpeg. Frame counts,
 * sizes and frame rates are those of protocol/src/test/resources/fixtures/README.md.
 */
class AvcFlvMuxerFileTest {

    @TempDir
    Path dir;

    /** Muxes every access unit of {@code fixture} at timestamp round(i * 1000 / fps) ms; returns the timestamps. */
    private List<Integer> mux(Path fixture, Path flv, double fps) throws IOException {
        List<Integer> timestamps = new ArrayList<>();
        List<AvcFlvMuxer.Result> results = new ArrayList<>();
        try (FlvFileWriter writer = new FlvFileWriter(flv, true, false);
             InputStream in = Files.newInputStream(fixture);
             AnnexBReader reader = new AnnexBReader(in, 1 << 20)) {
            AvcFlvMuxer.TagSink sink = (tagType, timestampMs, body) -> {
                try {
                    writer.writeTag(tagType, timestampMs, body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    body.release();
                }
            };
            try (AvcFlvMuxer muxer = new AvcFlvMuxer(PooledByteBufAllocator.DEFAULT, sink, false, 25.0, "ep")) {
                AccessUnitAssembler assembler = new AccessUnitAssembler(au -> {
                    try {
                        int timestampMs = (int) Math.round(timestamps.size() * 1000 / fps);
                        timestamps.add(timestampMs);
                        results.add(muxer.write(au.nalUnits(), timestampMs, 0));
                    } finally {
                        au.release();
                    }
                });
                for (ByteBuf nal = reader.next(PooledByteBufAllocator.DEFAULT); nal != null;
                     nal = reader.next(PooledByteBufAllocator.DEFAULT)) {
                    assembler.push(nal);
                }
                assembler.flush();
                muxer.writeEndOfSequence(timestamps.get(timestamps.size() - 1));
            }
        }
        assertEquals(List.of(AvcFlvMuxer.Result.WRITTEN), results.stream().distinct().toList(),
                "every access unit of a stream starting with SPS/PPS/IDR is written");
        return timestamps;
    }

    @ParameterizedTest
    @CsvSource({"small.h264, 50, 320, 240, 25.0, 25.0", "slices2.h264, 25, 320, 240, 25.0, 25.0",
        "vui.h264, 30, 320, 180, 30.0, 30.0"})
    void readsBackAsMetaDataSequenceHeaderAndOneTagPerAccessUnit(String name, int frames, int width, int height,
                                                                   double fps, double metaFrameRate)
            throws IOException {
        Path flv = dir.resolve(name + ".flv");
        List<Integer> timestamps = mux(Fixtures.repoFixture(name), flv, fps);
        assertEquals(frames, timestamps.size(), "access units");

        List<FlvTag> tags = FlvFileReader.readAll(flv);
        assertEquals(frames + 3, tags.size(), "onMetaData + sequence header + one tag per access unit + end");

        FlvTag meta = tags.get(0);
        assertEquals(FlvTagType.SCRIPT_DATA, meta.tagType());
        assertEquals(0, meta.timestampMs());
        ByteBuf metaBody = meta.bodyBuf();
        try {
            List<Object> values = Amf0.readAll(metaBody);
            assertEquals("onMetaData", values.get(0));
            Map<?, ?> props = (Map<?, ?>) values.get(1);
            assertEquals((double) width, props.get("width"));
            assertEquals((double) height, props.get("height"));
            assertEquals(metaFrameRate, props.get("framerate"), "VUI timing wins over the 25 fps hint");
        } finally {
            metaBody.release();
        }

        FlvTag header = tags.get(1);
        assertEquals(FlvTagType.VIDEO, header.tagType());
        assertEquals(0, header.timestampMs());
        assertEquals(0x17, header.body()[0] & 0xFF, "keyframe | AVC");
        assertEquals(0x00, header.body()[1], "AVCPacketType 0: sequence header");
        assertEquals(0x01, header.body()[5], "configurationVersion 1");

        for (int i = 0; i < frames; i++) {
            FlvTag tag = tags.get(2 + i);
            assertEquals(FlvTagType.VIDEO, tag.tagType(), "tag of access unit " + i);
            assertEquals(timestamps.get(i), tag.timestampMs(), "timestamp of access unit " + i);
            assertEquals(0x01, tag.body()[1], "AVCPacketType 1 (NALU) for access unit " + i);
        }
        assertEquals(0x17, tags.get(2).body()[0] & 0xFF, "the first access unit is a keyframe");

        FlvTag end = tags.get(frames + 2);
        assertEquals(timestamps.get(frames - 1), end.timestampMs());
        assertEquals(HexBytes.hex("17 02 00 00 00"), ByteBufUtil.hexDump(end.body()));
    }

    @ParameterizedTest
    @CsvSource({"small.h264, 50, 25.0", "slices2.h264, 25, 25.0", "vui.h264, 30, 30.0"})
    void ffmpegDecodesTheFileWithoutErrors(String name, int frames, double fps) throws IOException {
        Path flv = dir.resolve(name + ".flv");
        List<Integer> timestamps = mux(Fixtures.repoFixture(name), flv, fps);
        assertEquals("", Ffprobe.decodeErrors(flv));
        assertEquals(frames, Ffprobe.countFrames(flv));
        List<Long> expectedDts = timestamps.stream().map(Integer::longValue).toList();
        assertEquals(expectedDts, Ffprobe.packetDtsMs(flv));
    }

    /** Third-party JVT conformance streams from ../shared/data/h264 (25 fps; skipped where that folder is absent). */
    @ParameterizedTest
    @CsvSource({"SVA_BA2_D.264, 17", "MIDR_MW_D.264, 100", "NRF_MW_E.264, 100", "BA1_FT_C.264, 299"})
    void conformanceStreamsMuxAndDecodeCleanly(String name, int frames) throws IOException {
        Path fixture = Fixtures.sharedH264().stream().filter(p -> p.getFileName().toString().equals(name))
                .findFirst().orElse(null);
        Assumptions.assumeTrue(fixture != null, "no ../shared/data/h264/" + name);
        Path flv = dir.resolve(name + ".flv");
        assertEquals(frames, mux(fixture, flv, 25.0).size(), "access units");
        assertEquals(frames + 3, FlvFileReader.readAll(flv).size());
        assertEquals("", Ffprobe.decodeErrors(flv));
        assertEquals(frames, Ffprobe.countFrames(flv));
    }
}
