package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.MotionClips;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.LadderRung;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.camera.TinyLadder;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code motion_based} stream end to end (issue 11): a simulated camera plays a 20 s clip (an IDR every second,
 * every picture different) and sends MOTION_START at 8 s and 11.5 s (MOTION_END 2 s after each); pre_roll_sec 2,
 * post_roll_sec 3. The recording at nginx must start with the GOP from within 2 s before the first motion (capture
 * time in [6, 8] s), hold one publish (the second motion came during the post-roll), and end 3 s after the last
 * motion end (13.5 s + 3 s, within a GOP). Which clip picture a recorded picture is, is found by the MD5 of its
 * decoded image.
 */
class MotionTriggerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int FPS = 25;

    @Test
    void motionStartsThePublishWithThePreRollAndMotionDuringThePostRollExtendsIt(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Path clipFile = TinyLadder.make(dir.resolve("clip"), 20, new LadderRung(160, 120, FPS, 200_000))
                .resolve("160x120_25_200.h264");
        List<String> clipFrames = Ffprobe.frameMd5(clipFile);
        assertEquals(20 * FPS, clipFrames.size(), "clip pictures");
        assertEquals(clipFrames.size(), clipFrames.stream().distinct().count(), "every clip picture differs");
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "motion-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"pre_roll_sec": 2, "post_roll_sec": 3},
                     "cameras": [{"device_id": "MOTION_CAM",
                       "streams": [{"stream_name": "main", "quality": "low", "trigger": "motion_based",
                         "motion": {"source": "camera"},
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), nginx.rtmpUrl("MOTION_CAM_main")));
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                CameraOptions options = new CameraOptions("MOTION_CAM", Clip.load(clipFile), FPS, "127.0.0.1",
                        agent.cameraPort(), true, List.of(8.0, 11.5));
                try (SimulatedCamera camera = SimulatedCamera.start(options, null)) {
                    Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "streaming on motion");
                    Await.until(() -> session.state() == SessionState.IDLE, DEADLINE, "stopped after the post-roll");
                }
            }
            Path recording = Files.copy(nginx.awaitRecordingClosed("MOTION_CAM_main", DEADLINE),
                    dir.resolve("motion.flv"));
            assertEquals(1, nginx.publishCount("MOTION_CAM_main"), "one publish: the second motion extended it");
            assertEquals("", Ffprobe.decodeErrors(recording), "the recording decodes without errors");
            assertTrue(Ffprobe.packets(recording).get(0).keyframe(), "the recording starts at a keyframe");
            List<String> recorded = Ffprobe.frameMd5(recording);
            int first = clipFrames.indexOf(recorded.get(0));
            int last = clipFrames.indexOf(recorded.get(recorded.size() - 1));
            assertTrue(first >= 0 && last >= 0, "recorded pictures come from the clip");
            long firstMs = first * 1000L / FPS;
            long lastMs = last * 1000L / FPS;
            System.out.printf("motion at 8000 ms and 11500 ms: recording from capture time %d ms to %d ms, %d"
                    + " pictures%n", firstMs, lastMs, recorded.size());
            assertTrue(firstMs >= 6000 && firstMs <= 8000, "first picture within the 2 s pre-roll: " + firstMs);
            assertEquals(0, firstMs % 1000, "the pre-roll starts at a GOP boundary: " + firstMs);
            assertEquals(last - first + 1, recorded.size(), "every picture in between, none dropped or repeated");
            assertTrue(lastMs >= 16_500 - 1000 && lastMs <= 16_500 + 1000,
                    "ends post_roll_sec after the last motion end (13.5 s + 3 s), within a GOP: " + lastMs);
        }
    }

    /**
     * {@code "motion": {"source": "bitstream"}}: a camera that sends no EVENT plays {@code moving.h264}
     * (scripts/make-motion-clips.sh: a static scene; an object moves across from 10 s to 15 s). The agent's detector
     * finds the motion, the publish starts with a pre-roll from before the motion's onset, and stops after the
     * post-roll, before the clip's end at 26 s.
     */
    @Test
    void theBitstreamDetectorStartsAStreamForACameraWithoutMotionEvents(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Path clipFile = MotionClips.clip("cbr", "moving");
        List<String> clipFrames = Ffprobe.frameMd5(clipFile);
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "motion-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"pre_roll_sec": 2, "post_roll_sec": 2},
                     "cameras": [{"device_id": "QUIET_CAM",
                       "streams": [{"stream_name": "main", "quality": "medium", "trigger": "motion_based",
                         "motion": {"source": "bitstream"},
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), nginx.rtmpUrl("QUIET_CAM_main")));
            long preRollMs;
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                CameraOptions options = new CameraOptions("QUIET_CAM", Clip.load(clipFile), FPS, "127.0.0.1",
                        agent.cameraPort(), false);
                try (SimulatedCamera camera = SimulatedCamera.start(options, null)) {
                    Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "streaming on motion");
                    preRollMs = session.preRollSentMs();
                    Await.until(() -> session.state() == SessionState.IDLE, DEADLINE, "stopped after the post-roll");
                }
            }
            Path recording = Files.copy(nginx.awaitRecordingClosed("QUIET_CAM_main", DEADLINE),
                    dir.resolve("quiet.flv"));
            assertEquals(1, nginx.publishCount("QUIET_CAM_main"));
            assertEquals("", Ffprobe.decodeErrors(recording), "the recording decodes without errors");
            List<String> recorded = Ffprobe.frameMd5(recording);
            long firstMs = clipFrames.indexOf(recorded.get(0)) * 1000L / FPS;
            long lastMs = clipFrames.indexOf(recorded.get(recorded.size() - 1)) * 1000L / FPS;
            System.out.printf("bitstream motion: pre_roll_ms %d, recording from capture time %d ms to %d ms%n",
                    preRollMs, firstMs, lastMs);
            assertTrue(preRollMs > 0 && preRollMs <= 2000, "a pre-roll from before the motion: " + preRollMs);
            assertTrue(firstMs >= 8000 && firstMs <= 10_000, "the recording starts before the object enters at 10 s,"
                    + " within the 2 s pre-roll: " + firstMs);
            assertTrue(lastMs >= 15_000 && lastMs < 25_000, "ends after the motion, before the clip's end: " + lastMs);
        }
    }

    /**
     * A camera that says HELLO again on a new connection while its old one still looks alive (a reboot mid-motion)
     * never sends the MOTION_END of the old connection: the replaced connection ends its motion, so the post-roll
     * runs out and the stream stops instead of staying on.
     */
    @Test
    void aCameraReplacedMidMotionEndsItsMotion() throws Exception {
        Peers.requireNginxRtmp();
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "motion-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"pre_roll_sec": 1, "post_roll_sec": 1},
                     "cameras": [{"device_id": "REBOOT_CAM",
                       "streams": [{"stream_name": "main", "quality": "low", "trigger": "motion_based",
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), nginx.rtmpUrl("REBOOT_CAM_main")));
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                Clip clip = Clip.load(io.edgepush.testkit.Fixtures.repoFixture("small.h264"));
                // MOTION_START at 1 s; its MOTION_END (3 s) never comes: the camera is replaced before.
                try (SimulatedCamera first = SimulatedCamera.start(new CameraOptions("REBOOT_CAM", clip, FPS,
                        "127.0.0.1", agent.cameraPort(), true, List.of(1.0)), null)) {
                    Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "streaming on motion");
                    try (SimulatedCamera second = SimulatedCamera.start(new CameraOptions("REBOOT_CAM", clip, FPS,
                            "127.0.0.1", agent.cameraPort(), true), null)) {
                        Await.until(() -> session.state() == SessionState.IDLE, DEADLINE,
                                "stopped after the replaced camera's motion ended and the post-roll ran out");
                    }
                }
            }
        }
    }
}
