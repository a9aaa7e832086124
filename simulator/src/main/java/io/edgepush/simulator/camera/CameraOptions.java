package io.edgepush.simulator.camera;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link SimulatedCamera} plays and where it connects.
 *
 * @param deviceId device_id sent in HELLO (1..64 chars of [A-Za-z0-9_.-])
 * @param clip the access units to play
 * @param fps frames per second to pace at (1..240)
 * @param host gateway camera-ingest host
 * @param port gateway camera-ingest TCP port
 * @param loop restart the clip at its end (else the camera finishes after the last access unit)
 * @param motionAtSec camera-clock seconds since start at which to send a MOTION_START event (MOTION_END follows
 *     {@link SimulatedCamera#MOTION_LENGTH_SEC} s later); empty for none
 */
public record CameraOptions(String deviceId, Clip clip, int fps, String host, int port, boolean loop,
        List<Double> motionAtSec) {

    public CameraOptions {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(host, "host");
        motionAtSec = List.copyOf(motionAtSec);
        if (fps < 1 || fps > 240) {
            throw new IllegalArgumentException("fps must be 1..240, got " + fps);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        for (Double s : motionAtSec) {
            if (s == null || s < 0 || s.isNaN() || s.isInfinite()) {
                throw new IllegalArgumentException("motion times must be seconds >= 0, got " + motionAtSec);
            }
        }
    }

    /** Options without motion events. */
    public CameraOptions(String deviceId, Clip clip, int fps, String host, int port, boolean loop) {
        this(deviceId, clip, fps, host, port, loop, List.of());
    }
}
