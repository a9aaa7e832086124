package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipCodec;
import io.edgepush.simulator.camera.ClipLadder;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.SimulatedCamera;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulator camera}: one simulated camera (DESIGN.md section 6) playing an H.264 or H.265 clip
 * ({@code --clip FILE --fps N}), or a ladder of clips of one scene ({@code --ladder DIR}, each rung at the fps its
 * file name says) between which it moves on CONTROL; {@code --codec} picks the codec or leaves it to detection.
 */
@Command(name = "camera", mixinStandardHelpOptions = true,
        description = "Plays an H.264 or H.265 Annex B clip, or a ladder of clips, as one camera connected to a"
                + " gateway (firmware-bridge protocol v1; HELLO codec h264 or h265).")
final class CameraCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device-id", required = true, paramLabel = "ID", description = "device_id sent in HELLO")
    String deviceId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--fps", paramLabel = "N",
            description = "frames per second (1..240); required with --clip, refused with --ladder (each rung plays"
                    + " at the fps its file name says)")
    Integer fps;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--codec", defaultValue = "auto", paramLabel = "auto|h264|h265",
            description = "codec of --clip (or of the --ladder clips); auto (default): .265/.h265/.hevc = h265, .264/.h264/.avc = h264,"
                    + " else h265 if the first NAL unit is an HEVC VPS/SPS/PPS/AUD/prefix SEI, else h264")
    String codecName;

    @Option(names = "--loop", description = "restart the clip at its end (default: exit 0 after the last frame)")
    boolean loop;

    @Option(names = "--motion-at", split = ",", paramLabel = "SEC",
            description = "send MOTION_START at these camera-clock seconds (MOTION_END 2 s later)")
    List<Double> motionAt = new ArrayList<>();

    /** What the camera plays: one clip, or a ladder of clips. */
    static final class Source {
        @Option(names = "--clip", required = true, paramLabel = "FILE.h264",
                description = "H.264 or H.265 Annex B file to play (with --fps)")
        String clip;

        @Option(names = "--ladder", required = true, paramLabel = "DIR",
                description = "directory of clips of one scene named <width>x<height>_<fps>_<kbps>.h264"
                        + " (scripts/make-ladder.sh DIR makes one): starts on the highest rung and moves between"
                        + " rungs on SET_BITRATE/SET_FPS/SET_RESOLUTION/SET_PRESET, at GOP boundaries")
        String ladder;
    }

    /** Where the camera connects. */
    static final class Target {
        @Option(names = "--connect", required = true, paramLabel = "tcp://HOST:PORT", description = "gateway TCP ingest")
        String connect;

        @Option(names = "--serial", required = true, paramLabel = "PATH",
                description = "serial device to write the protocol to, e.g. a pty end made by socat (DTR/RTS stay off)")
        String serial;
    }

    @Option(names = "--fault-garbage-bytes", paramLabel = "N", description = "with --serial: write N random bytes before every VIDEO frame")
    int garbageBytes;

    @Option(names = "--fault-cut-every", paramLabel = "N", description = "with --serial: write only half of every Nth VIDEO frame")
    int cutEvery;

    @Option(names = "--fault-reopen-every-sec", paramLabel = "S", description = "with --serial: close the port every S seconds and reopen it")
    int reopenEverySec;

    @Override
    public Integer call() throws Exception {
        Options.checkDeviceId(spec, deviceId, "--device-id");
        checkFps();
        SerialFaults faults = faults();
        Address gateway = target.serial == null ? Options.tcpUrl(spec, target.connect, "--connect") : null;
        ClipCodec codec = Options.codec(spec, codecName);
        ClipLadder ladder = source.ladder != null ? Options.ladder(spec, source.ladder) : null;
        Clip frames = ladder != null ? ladder.clip(ladder.highest()) : Options.clip(spec, source.clip, codec);
        int framesPerSecond = ladder != null ? ladder.highest().fps() : fps;
        CameraOptions options = Options.camera(spec, () -> {
            CameraOptions o = gateway == null
                    ? CameraOptions.serial(deviceId, frames, framesPerSecond, target.serial, loop, motionAt, faults)
                    : new CameraOptions(deviceId, frames, framesPerSecond, gateway.host(), gateway.port(), loop,
                            motionAt);
            return (ladder != null ? o.withLadder(ladder) : o).withCodec(codec);
        });
        Lifecycle life = new Lifecycle();
        SimulatedCamera camera = life.add(SimulatedCamera.start(options, null));
        camera.finished().thenRunAsync(life::stop);
        life.await();
        spec.commandLine().getOut().printf("%s: %d frames sent, %d dropped%s%n", deviceId, camera.framesSent(),
                camera.framesDropped(), ladder == null ? "" : ", " + camera.rungSwitches() + " rung switches, last "
                        + camera.currentRung().name());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** --fps: 1..240 and required with --clip; not allowed with --ladder. */
    private void checkFps() {
        if (source.ladder != null) {
            if (fps != null) {
                throw new ParameterException(spec.commandLine(),
                        "--fps cannot be used with --ladder: each rung plays at the fps its file name says");
            }
        } else if (fps == null) {
            throw new ParameterException(spec.commandLine(), "--clip needs --fps N (frames per second, 1..240)");
        } else {
            Options.checkRange(spec, fps, 1, 240, "--fps");
        }
    }

    private SerialFaults faults() {
        Options.checkRange(spec, garbageBytes, 0, 16 * 1024 * 1024, "--fault-garbage-bytes");
        Options.checkRange(spec, cutEvery, 0, Integer.MAX_VALUE, "--fault-cut-every");
        Options.checkRange(spec, reopenEverySec, 0, 86_400, "--fault-reopen-every-sec");
        if (target.serial == null && garbageBytes + cutEvery + reopenEverySec > 0) {
            throw new ParameterException(spec.commandLine(), "--fault-* options need --serial PATH");
        }
        return new SerialFaults(garbageBytes, cutEvery, reopenEverySec);
    }
}
