package io.edgepush.simulator.camera;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link SimulatedCamera} plays and where it connects: one clip, or a {@link ClipLadder} (then the camera
 * honours SET_BITRATE, SET_FPS, SET_RESOLUTION and SET_PRESET by moving between its rungs; build such options with
 * {@link #ladder} or {@link #withLadder}).
 *
 * @param deviceId device_id sent in HELLO (1..64 chars of [A-Za-z0-9_.-])
 * @param clip the access units to play; with a ladder, the clip of its highest rung (where the camera starts)
 * @param fps frames per second to pace at (1..240); with a ladder, its highest rung's (each rung plays at its own)
 * @param host gateway camera-ingest host
 * @param port gateway camera-ingest TCP port
 * @param loop restart the clip at its end (else the camera finishes after the last access unit)
 * @param motionAtSec camera-clock seconds since start at which to send a MOTION_START event (MOTION_END follows
 *     {@link SimulatedCamera#MOTION_LENGTH_SEC} s later); empty for none
 * @param serialPath serial device to write to instead of TCP (host and port are then ignored), or null
 * @param faults faults injected on the serial link ({@link SerialFaults#NONE} for none)
 * @param codec the codec asked for ({@code simulator camera --codec}): {@link ClipCodec#AUTO} plays the clip as
 *     whatever it is; {@link ClipCodec#H264} or {@link ClipCodec#H265} must be the clip's {@link Clip#codec()}
 * @param ladder the clips to move between on CONTROL, or null for a camera playing {@code clip} only; {@code loop}
 *     then restarts the scene at its end
 * @throws IllegalArgumentException if a value is out of range, or {@code clip} and {@code fps} are not the
 *     ladder's highest rung's
 */
public record CameraOptions(String deviceId, Clip clip, int fps, String host, int port, boolean loop,
        List<Double> motionAtSec, String serialPath, SerialFaults faults, ClipCodec codec, ClipLadder ladder) {

    public CameraOptions {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(host, "host");
        motionAtSec = List.copyOf(motionAtSec);
        if (fps < 1 || fps > 240) {
            throw new IllegalArgumentException("fps must be 1..240, got " + fps);
        }
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(codec, "codec");
        if (codec != ClipCodec.AUTO && codec != clip.codec()) {
            throw new IllegalArgumentException("codec " + codec.helloCodec() + " asked for, but clip " + clip.name()
                    + " is " + clip.codec().displayName());
        }
        if (serialPath == null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        for (Double s : motionAtSec) {
            if (s == null || s < 0 || s.isNaN() || s.isInfinite()) {
                throw new IllegalArgumentException("motion times must be seconds >= 0, got " + motionAtSec);
            }
        }
        if (ladder != null && (clip != ladder.clip(ladder.highest()) || fps != ladder.highest().fps())) {
            throw new IllegalArgumentException("with a ladder, clip and fps must be its highest rung's ("
                    + ladder.highest().name() + "); use CameraOptions.ladder or withLadder");
        }
    }

    /**
     * A ladder camera on TCP {@code host:port}: starts on the ladder's highest rung and moves between rungs on
     * CONTROL (see {@link SimulatedCamera}).
     *
     * @param loop restart the scene at its end (else the camera finishes after the last frame)
     * @param motionAtSec as for a single clip; empty for none
     * @throws IllegalArgumentException if a value is out of range
     */
    public static CameraOptions ladder(String deviceId, ClipLadder ladder, String host, int port, boolean loop,
            List<Double> motionAtSec) {
        LadderRung top = ladder.highest();
        return new CameraOptions(deviceId, ladder.clip(top), top.fps(), host, port, loop, motionAtSec, null,
                SerialFaults.NONE, ClipCodec.AUTO, ladder);
    }

    /**
     * These options playing {@code ladder} instead of their clip: clip and fps become those of the ladder's highest
     * rung (e.g. {@code CameraOptions.serial(...).withLadder(ladder)} for a ladder camera on a serial device).
     *
     * @throws IllegalArgumentException if {@link #codec()} is not {@link ClipCodec#AUTO} and not the ladder's
     */
    public CameraOptions withLadder(ClipLadder ladder) {
        Objects.requireNonNull(ladder, "ladder");
        LadderRung top = ladder.highest();
        return new CameraOptions(deviceId, ladder.clip(top), top.fps(), host, port, loop, motionAtSec, serialPath,
                faults, codec, ladder);
    }

    /** A camera on TCP {@code host:port}. */
    public CameraOptions(String deviceId, Clip clip, int fps, String host, int port, boolean loop,
            List<Double> motionAtSec) {
        this(deviceId, clip, fps, host, port, loop, motionAtSec, null, SerialFaults.NONE, ClipCodec.AUTO, null);
    }

    /** A camera on the serial device {@code serialPath} (e.g. a pty end made by socat). */
    public static CameraOptions serial(String deviceId, Clip clip, int fps, String serialPath, boolean loop,
            List<Double> motionAtSec, SerialFaults faults) {
        return new CameraOptions(deviceId, clip, fps, "serial", 0, loop, motionAtSec,
                Objects.requireNonNull(serialPath, "serialPath"), faults, ClipCodec.AUTO, null);
    }

    /**
     * These options with {@code codec} asked for.
     *
     * @throws IllegalArgumentException if {@code codec} is not {@link ClipCodec#AUTO} and not the clip's codec
     */
    public CameraOptions withCodec(ClipCodec codec) {
        return new CameraOptions(deviceId, clip, fps, host, port, loop, motionAtSec, serialPath, faults, codec,
                ladder);
    }

    /** The HELLO codec field: the clip's codec (a ladder's clips all have it), "h264" or "h265". */
    public String helloCodec() {
        return clip.codec().helloCodec();
    }

    /** Where the camera connects, for logs: "tcp HOST:PORT" or "serial PATH". */
    public String target() {
        return serialPath != null ? "serial " + serialPath : "tcp " + host + ":" + port;
    }

    /** Options without motion events. */
    public CameraOptions(String deviceId, Clip clip, int fps, String host, int port, boolean loop) {
        this(deviceId, clip, fps, host, port, loop, List.of());
    }
}
