package io.edgepush.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start uses the GOP buffer: a camera plays small.h264 in a loop (25 fps, IDR every 25 frames, so a keyframe
 * every second) to an agent whose on_demand stream is not started. After 3 s, in the middle of a GOP, the stream is
 * started ({@link StreamSession#start()}, as an MQTT start command would). The publish must begin at once from the
 * latest keyframe the camera had sent, not wait for the next one, and must not ask the camera for an IDR.
 *
 * <p>The frames are identified by position: the camera sends the clip's access units in order from frame 0 with
 * no drops and no jumps (no FORCE_IDR), so camera frame n is clip access unit n mod 50, and the latest keyframe
 * before the start is the last multiple of 25 below the frames sent so far. nginx-rtmp's recording must then hold
 * exactly the frames from that keyframe to the camera's last one: counted, 40 ms apart from 0 (the buffered GOP
 * keeps its relative timestamps, no gap), and decoding (zero errors) to the source's pictures starting at that
 * keyframe's picture.
 */
class BufferedStartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DEVICE = "BUFFERED_CAM";
    private static final String STREAM = "buffered_cam_main";
    private static final int FPS = 25;

    @Test
    void aStartPublishesFromTheLatestBufferedKeyframeWithoutAskingForAnIdr(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        Path source = Fixtures.repoFixture("small.h264");
        Clip clip = Clip.load(source);
        assertEquals(List.of(0, 25), keyframes(clip), "small.h264: IDR at 0 and 25 (fixtures/README.md)");
        List<String> sourcePictures = Ffprobe.frameMd5(source);
        assertEquals(clip.size(), sourcePictures.size(), "decoded pictures of small.h264");
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "buffered-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "cameras": [{"device_id": "%s", "camera_id": 0,
                       "streams": [{"stream_id": 0, "stream_name": "main", "quality": "medium", "trigger": "on_demand",
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), DEVICE, nginx.rtmpUrl(STREAM)));
            long keyframe;
            long cameraSent;
            long agentSent;
            long agentDropped;
            List<Control> controls;
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                CameraOptions options = new CameraOptions(DEVICE, clip, FPS, "127.0.0.1", agent.cameraPort(), true);
                try (SimulatedCamera camera = SimulatedCamera.start(options, null)) {
                    // 3 s of camera video with nothing published, then wait for the middle of a GOP (5..15 frames past
                    // its keyframe) so the latest keyframe and the next one are clearly apart.
                    Await.until(() -> camera.framesSent() >= 3 * FPS, DEADLINE, "3 s of camera video");
                    assertEquals(SessionState.IDLE, session.state(), "on_demand: nothing started yet");
                    Await.until(() -> framesPastKeyframe(clip, camera.framesSent()) >= 5
                            && framesPastKeyframe(clip, camera.framesSent()) <= 15, DEADLINE, "the middle of a GOP");
                    long sentBeforeStart = camera.framesSent();
                    keyframe = latestKeyframe(clip, sentBeforeStart);
                    assertTrue(session.start().get(5, TimeUnit.SECONDS), "this call started the stream");
                    Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE,
                            () -> "streaming: " + session.status());
                    long sentWhenStreaming = camera.framesSent();
                    assertEquals(keyframe, latestKeyframe(clip, sentWhenStreaming), "test timing: the publish came up "
                            + "within the GOP it was started in (frames sent " + sentBeforeStart + " -> "
                            + sentWhenStreaming + ")");
                    Await.until(() -> session.metrics().framesSent() >= 2 * FPS, DEADLINE,
                            () -> "2 s of video published: " + session.status());
                    camera.close();
                    cameraSent = camera.framesSent();
                    assertEquals(0, camera.framesDropped(), "the camera's socket never backed up");
                    controls = camera.controlsReceived();
                }
                Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE, "camera offline");
                agentSent = session.metrics().framesSent();
                agentDropped = session.metrics().framesDropped();
                assertTrue(session.stop().get(10, TimeUnit.SECONDS), "the stream was active and stopped");
            }
            Path recording = Files.copy(nginx.awaitRecordingClosed(STREAM, DEADLINE), dir.resolve("buffered.flv"));
            long expected = cameraSent - keyframe;
            String story = "camera sent frames 0.." + (cameraSent - 1) + ", start in the GOP of frame " + keyframe
                    + " (next keyframe " + (keyframe + 25) + "), expected frames " + keyframe + ".." + (cameraSent - 1);

            assertTrue(controls.stream().noneMatch(c -> c.op() == ControlOp.FORCE_IDR),
                    "no FORCE_IDR: the start used the buffered keyframe; controls received: " + controls);
            assertEquals(0, agentDropped, "frames the agent dropped");
            assertEquals(expected, agentSent, "frames the agent wrote; " + story);
            assertEquals(expected, Ffprobe.countFrames(recording), "frames nginx recorded; " + story);
            List<Ffprobe.Packet> packets = Ffprobe.packets(recording);
            assertEquals(expected, packets.size(), "video packets recorded; " + story);
            assertTrue(packets.get(0).keyframe(), "the recording starts with a keyframe");
            List<Long> dts = new ArrayList<>();
            for (Ffprobe.Packet p : packets) {
                dts.add(p.dtsMs());
            }
            for (int i = 0; i < dts.size(); i++) {
                assertEquals(i * 1000L / FPS, dts.get(i), "DTS of packet " + i + ": from 0, 40 ms apart, no gap; "
                        + dts);
            }
            assertEquals("", Ffprobe.decodeErrors(recording), "ffmpeg decode errors");
            List<String> expectedPictures = new ArrayList<>();
            for (long n = keyframe; n < cameraSent; n++) {
                expectedPictures.add(sourcePictures.get((int) (n % clip.size())));
            }
            assertEquals(expectedPictures, Ffprobe.frameMd5(recording),
                    "decoded pictures = the source's from the latest keyframe before the start on; " + story);
            System.out.println("event=buffered_start_measured keyframe=" + keyframe + " camera_frames=" + cameraSent
                    + " recorded=" + expected);
        }
    }

    private static List<Integer> keyframes(Clip clip) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < clip.size(); i++) {
            if (clip.isKeyframe(i)) {
                at.add(i);
            }
        }
        return at;
    }

    /** Index (camera frame count) of the latest keyframe among the first {@code sent} frames of the looped clip. */
    private static long latestKeyframe(Clip clip, long sent) {
        for (long n = sent - 1; n >= 0; n--) {
            if (clip.isKeyframe((int) (n % clip.size()))) {
                return n;
            }
        }
        throw new AssertionError("no keyframe among the first " + sent + " frames");
    }

    private static long framesPastKeyframe(Clip clip, long sent) {
        return sent <= 0 ? -1 : sent - 1 - latestKeyframe(clip, sent);
    }
}
