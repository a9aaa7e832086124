package io.edgepush.agent.push;

import io.edgepush.protocol.media.VideoCodec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.cli.StdStreams;
import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.flv.EnhancedVideoTag;
import io.edgepush.protocol.flv.FlvFileReader;
import io.edgepush.protocol.flv.FlvTag;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent push} of an H.265 Annex B file (fixtures/small.265: 50 frames, IRAP at 0 and 25) over Enhanced
 * RTMP into a scripted server (protocol's {@link ScriptedRtmpServer}), recorded with {@code --record} and read
 * back with our own FLV reader: no peer here decodes Enhanced RTMP HEVC (nginx-rtmp 1.2, ffmpeg 5.1), so the
 * recording is checked against the source NAL units and against the HEVCDecoderConfigurationRecord layout written
 * by hand.
 */
class PushHevcTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The 23 fixed bytes + numOfArrays of small.265's record (see HevcDecoderConfigurationRecordTest). */
    private static final String RECORD_FIXED = "01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 03";

    @TempDir
    Path dir;

    @Test
    void pushedHevcRecordingHoldsEveryAccessUnitKeyframesAndTheRecord() throws Exception {
        Path source = Files.copy(Fixtures.repoFixture("small.265"), dir.resolve("clip.bin")); // no extension hint
        Path recording = dir.resolve("out.flv");
        List<byte[]> sourceNals = Fixtures.nalUnits(source);
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            StdStreams r = StdStreams.agent("push", "--input", source.toString(), "--url", server.urlText("hevckey123"),
                    "--fast", "--record", recording.toString(), "--connect-timeout-ms", "5000");
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("pushed 50 H.265 frames"), r::describe);
            assertEquals(List.of("hvc1"), ((Map<?, ?>) server.connectCommandObject()).get("fourCcList"));
            Await.until(() -> server.received(FlvTagType.VIDEO).size() == 52, TIMEOUT,
                    "SequenceStart + 50 frames + SequenceEnd");
        }

        List<FlvTag> tags = FlvFileReader.readAll(recording);
        assertEquals(FlvTagType.SCRIPT_DATA, tags.get(0).tagType());
        ByteBuf script = Unpooled.wrappedBuffer(tags.get(0).body());
        List<Object> meta = Amf0.readAll(script);
        assertEquals("onMetaData", meta.get(0));
        Map<?, ?> properties = (Map<?, ?>) meta.get(1);
        assertEquals(320.0, properties.get("width"));
        assertEquals(180.0, properties.get("height"));
        assertEquals(1752589105.0, properties.get("videocodecid"));

        List<EnhancedVideoTag> video = new ArrayList<>();
        for (FlvTag tag : tags.subList(1, tags.size())) {
            assertEquals(FlvTagType.VIDEO, tag.tagType(), tag::toString);
            video.add(EnhancedVideoTag.parse(tag));
        }
        assertEquals(52, video.size());
        assertTrue(video.stream().allMatch(t -> "hvc1".equals(t.fourCcText())));

        EnhancedVideoTag start = video.get(0);
        assertEquals(EnhancedVideoTag.SEQUENCE_START, start.packetType());
        String expectedRecord = HexBytes.hex(RECORD_FIXED) + array(0xa0, sourceNals.get(0))
                + array(0xa1, sourceNals.get(1)) + array(0xa2, sourceNals.get(2));
        assertEquals(expectedRecord, ByteBufUtil.hexDump(start.payload()), "record of the first VPS/SPS/PPS");
        assertEquals(EnhancedVideoTag.SEQUENCE_END, video.get(51).packetType());

        List<byte[]> sentNals = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            EnhancedVideoTag frame = video.get(i);
            int frameIndex = i - 1;
            assertEquals(EnhancedVideoTag.CODED_FRAMES_X, frame.packetType(), "composition time 0: CodedFramesX");
            assertEquals(frameIndex == 0 || frameIndex == 25, frame.isKeyframe(), "keyframe flag of frame " + frameIndex);
            assertEquals(frameIndex * 40, tags.get(i + 1).timestampMs(), "25 fps timestamps");
            sentNals.addAll(frame.nalUnits());
        }
        List<byte[]> expectedNals = sourceNals.stream().filter(n -> ((n[0] >> 1) & 0x3F) < 32).toList();
        assertEquals(50, expectedNals.size(), "one slice segment per picture in the source");
        assertEquals(expectedNals.size(), sentNals.size());
        for (int i = 0; i < expectedNals.size(); i++) {
            assertArrayEquals(expectedNals.get(i), sentNals.get(i), "NAL unit " + i);
        }
    }

    @Test
    void explicitCodecH265WithoutAKeyframeExits1() throws Exception {
        Path input = dir.resolve("trail.265");
        Files.write(input, HexBytes.bytes("00 00 00 01 02 01 d0 01 00 00 01 02 01 d0 02"));
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            StdStreams r = StdStreams.agent("push", "--input", input.toString(), "--url", server.urlText("hevckey123"),
                    "--fast", "--codec", "h265", "--connect-timeout-ms", "5000");
            assertEquals(1, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("holds no keyframe (IRAP picture)"), r::describe);
            assertEquals(0, server.received(FlvTagType.VIDEO).size());
        }
    }

    @Test
    void unknownCodecIsAUsageError() throws Exception {
        Path input = dir.resolve("x.265");
        Files.write(input, HexBytes.bytes("00 00 01 40 01"));
        StdStreams r = StdStreams.agent("push", "--input", input.toString(), "--url", "rtmp://127.0.0.1:1/live/k",
                "--codec", "vp9");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--codec must be auto, h264 or h265, got vp9"), r::describe);
    }

    @Test
    void detectionByExtensionThenByFirstNalUnit() throws Exception {
        Path hevc = Files.write(dir.resolve("a.bin"), HexBytes.bytes("00 00 01 40 01 0c"));
        Path avc = Files.write(dir.resolve("b.bin"), HexBytes.bytes("00 00 00 01 67 42 c0 1e"));
        Path garbage = Files.write(dir.resolve("c.bin"), HexBytes.bytes("5a 5a"));
        assertEquals(VideoCodec.H265, VideoCodec.detect(hevc));
        assertEquals(VideoCodec.H264, VideoCodec.detect(avc));
        assertEquals(VideoCodec.H264, VideoCodec.detect(garbage), "not Annex B: the H.264 reader reports it");
        assertEquals(VideoCodec.H265, VideoCodec.detect(Files.copy(avc, dir.resolve("b.hevc"))));
        assertEquals(VideoCodec.H264, VideoCodec.detect(Files.copy(hevc, dir.resolve("a.h264"))));
    }

    private static String array(int typeByte, byte[] nal) {
        return String.format("%02x0001%04x", typeByte, nal.length) + ByteBufUtil.hexDump(nal);
    }
}
