package io.edgepush.agent.gateway;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.bridge.transport.SerialCameraTransport;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.SocatPty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1 MiB of random bytes injected between the frames of a clip sent over a pty, plus every 7th frame cut
 * in half (not the last frame: a loss shows only when a later frame arrives): every frame not hit is delivered, and the ones hit are counted lost by the sequence numbers.
 */
class SerialGarbageTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** 50 frames: frames 7, 14, ..., 49 are cut; frame 50 follows the last cut one, so every gap is seen. */
    private static final int CUT_EVERY = 7;

    @Test
    void garbageAndCutFramesLoseOnlyTheFramesHit(@TempDir Path dir) throws Exception {
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        int garbagePerFrame = (1 << 20) / clip.size() + 1;
        AtomicLong delivered = new AtomicLong();
        AtomicReference<CameraLink> link = new AtomicReference<>();
        CameraListener listener = new CameraListener() {
            @Override
            public void onCameraConnected(CameraLink l) {
                link.set(l);
            }

            @Override
            public void onAccessUnit(CameraLink l, int streamId, AccessUnit au) {
                delivered.incrementAndGet();
                au.release();
            }
        };
        try (SocatPty pty = SocatPty.start(dir);
             SerialCameraTransport transport = new SerialCameraTransport(
                     List.of(new SerialCameraTransport.Port(pty.a().toString(), 2_000_000)))) {
            transport.start(listener);
            long sent;
            try (SimulatedCamera camera = SimulatedCamera.start(CameraOptions.serial("GARBAGE_CAM", clip, 50,
                    pty.b().toString(), false, List.of(), new SerialFaults(garbagePerFrame, CUT_EVERY, 0)), null)) {
                camera.finished().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                sent = camera.framesSent();
            }
            assertEquals(clip.size(), sent, "camera sent the whole clip");
            long cut = sent / CUT_EVERY;
            Await.until(() -> link.get() != null && delivered.get() + link.get().stats().framesLost() == sent,
                    DEADLINE, () -> "delivered " + delivered + " + lost " + (link.get() == null ? "?"
                            : link.get().stats().framesLost()) + " == sent " + sent);
            assertTrue(delivered.get() >= sent - cut - 1, "only the cut frames may be lost: " + delivered);
            assertTrue(link.get().stats().bytesSkipped() >= (1 << 20), "garbage skipped: " + link.get().stats());
        }
    }
}
