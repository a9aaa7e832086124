package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * The {@code scheduled} trigger on an injected clock (issue 11): the gateway "boots" on Monday 2026-12-07 at
 * 08:00:55 Europe/Berlin. EARLY_CAM's window (mon 08:00-08:01) is open at boot, so its stream starts at once and stops
 * when the window closes 5 s later; LATE_CAM's window (mon 08:01-08:02) opens 5 s after boot and its stream starts
 * then, not before.
 */
class ScheduledTriggerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** How late after its window's edge a stream may start or begin to stop. */
    private static final Duration ON_TIME = Duration.ofSeconds(2);

    @Test
    void aWindowOpenAtBootStartsAtOnceAndAWindowOpening5sLaterStartsThen() throws Exception {
        Peers.requireNginxRtmp();
        Instant boot = ZonedDateTime.parse("2026-12-07T08:00:55+01:00[Europe/Berlin]").toInstant();
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), boot));
        try (Nginx nginx = Nginx.start()) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "sched-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "cameras": [
                       {"device_id": "EARLY_CAM", "camera_id": 1, "streams": [{"stream_name": "main", "quality": "low",
                         "trigger": "scheduled",
                         "schedule": [{"days": "mon", "start": "08:00", "end": "08:01", "tz": "Europe/Berlin"}],
                         "rtmp": {"urls": ["%s"]}}]},
                       {"device_id": "LATE_CAM", "camera_id": 2, "streams": [{"stream_name": "main", "quality": "low",
                         "trigger": "scheduled",
                         "schedule": [{"days": "sat-sun", "start": "10:00", "end": "11:00", "tz": "UTC"},
                                      {"days": "mon", "start": "08:01", "end": "08:02", "tz": "Europe/Berlin"}],
                         "rtmp": {"urls": ["%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), nginx.rtmpUrl("EARLY"), nginx.rtmpUrl("LATE")));
            try (GatewayAgent agent = GatewayAgent.start(config, clock)) {
                StreamSession early = agent.sessions().stream().filter(s -> s.deviceId().equals("EARLY_CAM"))
                        .findFirst().orElseThrow();
                StreamSession late = agent.sessions().stream().filter(s -> s.deviceId().equals("LATE_CAM"))
                        .findFirst().orElseThrow();
                Instant edge = boot.plusSeconds(5);
                Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
                try (SimulatedCamera a = SimulatedCamera.start(new CameraOptions("EARLY_CAM", clip, 25, "127.0.0.1",
                        agent.cameraPort(), true), null);
                     SimulatedCamera b = SimulatedCamera.start(new CameraOptions("LATE_CAM", clip, 25, "127.0.0.1",
                             agent.cameraPort(), true), null)) {
                    Await.until(() -> early.state() == SessionState.STREAMING, Duration.ofSeconds(4),
                            "the stream whose window is open at boot streams at once");
                    Await.until(() -> early.metrics().framesSent() >= 25, Duration.ofSeconds(4), "frames sent");
                    assertTrue(clock.instant().isBefore(edge.minusMillis(200)), "checked before the edge");
                    assertEquals(SessionState.IDLE, late.state(), "the later window is not open yet");

                    Await.until(() -> late.state().isActive(), Duration.between(clock.instant(), edge.plus(ON_TIME)),
                            "the later window's stream starts when it opens");
                    assertTrue(!clock.instant().isBefore(edge), "not before its window opened: " + clock.instant());
                    Await.until(() -> early.state() == SessionState.IDLE || early.state() == SessionState.STOPPING,
                            Duration.between(clock.instant(), edge.plus(ON_TIME)).plusMillis(1),
                            "the first window's stream stops when it closes");
                    Await.until(() -> late.state() == SessionState.STREAMING, DEADLINE, "the later stream streams");
                    Await.until(() -> early.state() == SessionState.IDLE, DEADLINE, "the first stream is idle");
                }
            }
            assertEquals(1, nginx.publishCount("EARLY"));
            assertEquals(1, nginx.publishCount("LATE"));
        }
    }
}
