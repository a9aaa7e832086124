package io.edgepush.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.flv.EnhancedVideoTag;
import io.edgepush.protocol.flv.FlvTag;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.hevc.HevcDecoderConfigurationRecord;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipCodec;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An H.265 camera end to end: the simulated camera plays fixtures/small.265 (50 frames at 25 fps, IRAP at 0 and
 * 25; HELLO codec "h265") over the bridge's TCP protocol to an agent whose always_on stream publishes to a
 * {@link ScriptedRtmpServer}. What the server receives is checked byte by byte, as {@code PushHevcTest} does for
 * {@code agent push} (no installed server decodes Enhanced RTMP HEVC): the connect command announces
 * {@code fourCcList: ["hvc1"]}, onMetaData says videocodecid 1752589105 ('hvc1'), the first video message is an
 * ExVideoTagHeader SequenceStart (FourCC hvc1) holding the HEVCDecoderConfigurationRecord of the clip's first
 * VPS/SPS/PPS, then come the 50 pictures as CodedFrames/CodedFramesX (keyframe flag on the two IRAPs, the
 * source's slice NAL units, 40 ms apart), and the stop ends with SequenceEnd.
 */
class HevcCameraTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "HEVC_CAM";
    /** The 23 fixed bytes + numOfArrays of small.265's record (as in PushHevcTest). */
    private static final String RECORD_FIXED = "01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 03";
    private static final double HVC1_CODEC_ID = 1752589105.0;

    @Test
    void anHevcCameraIsPublishedAsEnhancedRtmpHvc1() throws Exception {
        Path source = Fixtures.repoFixture("small.265");
        Clip clip = Clip.load(source);
        assertEquals(ClipCodec.H265, clip.codec(), "small.265 is detected as H.265");
        assertEquals(50, clip.size());
        List<byte[]> sourceNals = Fixtures.nalUnits(source);
        List<byte[]> sourceSlices = sourceNals.stream().filter(n -> ((n[0] >> 1) & 0x3F) < 32).toList();
        assertEquals(50, sourceSlices.size(), "one slice segment per picture in the source");

        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { })) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "hevc-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"enable_frame_dropping": false},
                     "cameras": [{"device_id": "%s", "camera_id": 0,
                       "streams": [{"stream_id": 0, "stream_name": "main", "quality": "medium", "trigger": "always_on",
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), DEVICE, server.urlText("hevc_cam_key")));
            long cameraSent;
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                CameraOptions options = new CameraOptions(DEVICE, clip, 25, "127.0.0.1", agent.cameraPort(), false);
                try (SimulatedCamera camera = SimulatedCamera.start(options, null)) {
                    assertEquals("h265", camera.hello().codec(), "HELLO codec");
                    Await.until(() -> camera.finished().isDone(), DEADLINE,
                            () -> "the camera to play the clip once; " + session.status());
                    cameraSent = camera.framesSent();
                }
                assertEquals(50, cameraSent, "the camera sent the whole clip");
                Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE, "camera offline");
                assertEquals(SessionState.STREAMING, session.state(), session.status().toString());
                assertEquals(cameraSent, session.metrics().framesSent(), "frames the agent wrote");
            }
            server.await(m -> "deleteStream".equals(m.name()), "deleteStream after the agent stopped");

            Object connect = server.connectCommandObject();
            assertTrue(connect instanceof Map<?, ?>, "connect command object: " + connect);
            assertEquals(List.of("hvc1"), ((Map<?, ?>) connect).get("fourCcList"),
                    "the connect command announces Enhanced RTMP HEVC (fourCcList); connect object: " + connect);

            List<ScriptedRtmpServer.Received> media = server.received().stream()
                    .filter(m -> m.typeId() == FlvTagType.VIDEO || m.typeId() == FlvTagType.SCRIPT_DATA).toList();
            assertEquals(FlvTagType.SCRIPT_DATA, media.get(0).typeId(), "onMetaData before any video");
            Map<?, ?> meta = onMetaData(media.get(0).payload());
            assertEquals(HVC1_CODEC_ID, meta.get("videocodecid"), "onMetaData videocodecid 'hvc1': " + meta);
            assertEquals(320.0, meta.get("width"), "onMetaData width: " + meta);
            assertEquals(180.0, meta.get("height"), "onMetaData height (conformance window applied): " + meta);

            List<ScriptedRtmpServer.Received> video = server.received(FlvTagType.VIDEO);
            assertEquals(1 + 50 + 1, video.size(), "SequenceStart + 50 pictures + SequenceEnd");
            List<EnhancedVideoTag> tags = new ArrayList<>();
            for (ScriptedRtmpServer.Received v : video) {
                tags.add(EnhancedVideoTag.parse(new FlvTag(0, FlvTagType.VIDEO, v.timestampMs(), v.payload())));
            }
            for (EnhancedVideoTag t : tags) {
                assertEquals("hvc1", t.fourCcText(), "FourCC of every video message");
            }

            EnhancedVideoTag start = tags.get(0);
            assertEquals(EnhancedVideoTag.SEQUENCE_START, start.packetType(), "first video message: SequenceStart");
            String expectedRecord = HexBytes.hex(RECORD_FIXED) + array(0xa0, sourceNals.get(0))
                    + array(0xa1, sourceNals.get(1)) + array(0xa2, sourceNals.get(2));
            assertEquals(expectedRecord, ByteBufUtil.hexDump(start.payload()),
                    "HEVCDecoderConfigurationRecord of the clip's first VPS/SPS/PPS");
            HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(
                    Unpooled.wrappedBuffer(start.payload()));
            assertEquals(List.of(HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS),
                    record.arrays().stream().map(HevcDecoderConfigurationRecord.NalUnitArray::nalUnitType).toList());

            EnhancedVideoTag first = tags.get(1);
            assertTrue(first.packetType() == EnhancedVideoTag.CODED_FRAMES
                    || first.packetType() == EnhancedVideoTag.CODED_FRAMES_X, "then coded frames: " + first.packetType());
            assertTrue(first.isKeyframe(), "the first picture is a keyframe");
            assertEquals(0, video.get(1).timestampMs(), "the first picture at 0 ms");

            List<byte[]> sentSlices = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                EnhancedVideoTag picture = tags.get(i + 1);
                assertTrue(picture.packetType() == EnhancedVideoTag.CODED_FRAMES_X
                                || picture.packetType() == EnhancedVideoTag.CODED_FRAMES && picture.compositionTimeMs() == 0,
                        "picture " + i + ": coded frames with composition time 0 (no B-frames in the clip)");
                assertEquals(i == 0 || i == 25, picture.isKeyframe(), "keyframe flag of picture " + i);
                assertEquals(i * 40, video.get(i + 1).timestampMs(), "25 fps timestamp of picture " + i);
                sentSlices.addAll(picture.nalUnits());
            }
            assertEquals(sourceSlices.size(), sentSlices.size(), "slice NAL units sent");
            for (int i = 0; i < sourceSlices.size(); i++) {
                assertArrayEquals(sourceSlices.get(i), sentSlices.get(i), "slice NAL unit " + i);
            }
            assertEquals(EnhancedVideoTag.SEQUENCE_END, tags.get(51).packetType(), "the stop ends with SequenceEnd");

        }
    }

    private static Map<?, ?> onMetaData(byte[] payload) {
        List<Object> values = Amf0.readAll(Unpooled.wrappedBuffer(payload));
        int at = values.indexOf("onMetaData");
        assertTrue(at >= 0 && at + 1 < values.size() && values.get(at + 1) instanceof Map<?, ?>,
                "script data is onMetaData with a property object: " + values);
        return (Map<?, ?>) values.get(at + 1);
    }

    private static String array(int typeByte, byte[] nal) {
        return String.format("%02x0001%04x", typeByte, nal.length) + ByteBufUtil.hexDump(nal);
    }
}
