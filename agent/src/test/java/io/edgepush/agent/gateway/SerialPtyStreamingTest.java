package io.edgepush.agent.gateway;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.SocatPty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A camera on a USB-serial port, modelled by a socat pty pair: the agent in-process reads one end
 * ({@code ingest.serial_ports}), the simulated camera writes the other, and an always_on stream publishes
 * to nginx-rtmp, whose recording is checked with ffprobe.
 */
class SerialPtyStreamingTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void clipThroughPtyReachesNginxIntact(@TempDir Path dir) throws Exception {
        requirePeers();
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Nginx nginx = Nginx.start(); SocatPty pty = SocatPty.start(dir)) {
            long sent;
            try (GatewayAgent agent = GatewayAgent.start(config(pty, nginx))) {
                StreamSession session = streaming(agent);
                try (SimulatedCamera camera = SimulatedCamera.start(CameraOptions.serial("PTY_CAM", clip, 25,
                        pty.b().toString(), false, List.of(), SerialFaults.NONE), null)) {
                    camera.finished().get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                    sent = camera.framesSent();
                }
                assertEquals(clip.size(), sent, "the camera sent the whole clip");
                Await.until(() -> session.metrics().framesSent() == sent, DEADLINE,
                        () -> "all " + sent + " frames published, got " + session.metrics().framesSent());
            }
            Path copy = Files.copy(nginx.awaitRecordingClosed("PTY_CAM_main", DEADLINE), dir.resolve("pty.flv"));
            assertEquals(clip.size(), Ffprobe.countFrames(copy), "recording holds every source frame");
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
        }
    }

    @Test
    void ptyUnpluggedThreeTimesPausesAndResumesTheStream(@TempDir Path dir) throws Exception {
        requirePeers();
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        try (Nginx nginx = Nginx.start(); SocatPty pty = SocatPty.start(dir)) {
            long published;
            try (GatewayAgent agent = GatewayAgent.start(config(pty, nginx))) {
                StreamSession session = streaming(agent);
                try (SimulatedCamera camera = SimulatedCamera.start(CameraOptions.serial("PTY_CAM", clip, 25,
                        pty.b().toString(), true, List.of(), SerialFaults.NONE), null)) {
                    for (int unplug = 1; unplug <= 3; unplug++) {
                        long before = session.metrics().framesSent();
                        Await.until(() -> session.metrics().framesSent() >= before + 20, DEADLINE, "frames flowing");
                        pty.stop();
                        Await.until(() -> session.camera() == CameraControl.OFFLINE, DEADLINE, "camera offline");
                        assertEquals(SessionState.STREAMING, session.state(), "paused, not failed, after unplug " + unplug);
                        pty.restart();
                        Await.until(() -> session.camera() != CameraControl.OFFLINE, DEADLINE, "camera back");
                    }
                    long last = session.metrics().framesSent();
                    Await.until(() -> session.metrics().framesSent() >= last + 20, DEADLINE, "frames after the last replug");
                    assertTrue(camera.connections() >= 4, "camera reopened its port: " + camera.connections());
                }
                published = session.metrics().framesSent();
            }
            Path copy = Files.copy(nginx.awaitRecordingClosed("PTY_CAM_main", DEADLINE), dir.resolve("replug.flv"));
            assertEquals("", Ffprobe.decodeErrors(copy), "recording decodes without errors");
            assertEquals(published, Ffprobe.countFrames(copy), "one publish holds every frame sent");
            List<Long> dts = Ffprobe.packetDtsMs(copy);
            for (int i = 1; i < dts.size(); i++) {
                assertTrue(dts.get(i) > dts.get(i - 1), "DTS increases across the pauses at packet " + i + ": " + dts);
            }
        }
    }

    private static void requirePeers() {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Peers.require("ffmpeg");
        Peers.require("socat");
    }

    /** Starts the session before the camera shows up, so the first access unit already goes out. */
    private static StreamSession streaming(GatewayAgent agent) {
        StreamSession session = agent.sessions().get(0);
        session.start();
        Await.until(() -> session.state() == SessionState.STREAMING, DEADLINE, "session streaming");
        return session;
    }

    private static AgentConfig config(SocatPty pty, Nginx nginx) throws Exception {
        return ConfigLoader.parse("""
                {"gateway_id": "serial-gw",
                 "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": [{"port": "%s", "baud": 2000000}]},
                 "cameras": [{"device_id": "PTY_CAM", "camera_id": 1,
                   "streams": [{"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "always_on",
                     "rtmp": {"url_template": "rtmp://127.0.0.1:%d/live/{device_id}_{stream_name}"}}]}],
                 "accept_unknown_cameras": false}
                """.formatted(FreePorts.tcp(), pty.a(), nginx.port()));
    }
}
