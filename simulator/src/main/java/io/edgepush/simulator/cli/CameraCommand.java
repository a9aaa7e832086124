package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipCodec;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.SimulatedCamera;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulator camera}: one simulated camera (DESIGN.md section 6) playing an H.264 or H.265 clip;
 * {@code --codec} picks the codec or leaves it to detection.
 */
@Command(name = "camera", mixinStandardHelpOptions = true,
        description = "Plays an H.264 or H.265 Annex B clip as one camera connected to a gateway"
                + " (firmware-bridge protocol v1; HELLO codec h264 or h265).")
final class CameraCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device-id", required = true, paramLabel = "ID", description = "device_id sent in HELLO")
    String deviceId;

    @Mixin
    ClipPlayback playback;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--codec", defaultValue = "auto", paramLabel = "auto|h264|h265",
            description = "codec of --clip; auto (default): .265/.h265/.hevc = h265, .264/.h264/.avc = h264,"
                    + " else h265 if the first NAL unit is an HEVC VPS/SPS/PPS/AUD/prefix SEI, else h264")
    String codecName;

    @Option(names = "--loop", description = "restart the clip at its end (default: exit 0 after the last frame)")
    boolean loop;

    @Option(names = "--motion-at", split = ",", paramLabel = "SEC",
            description = "send MOTION_START at these camera-clock seconds (MOTION_END 2 s later)")
    List<Double> motionAt = new ArrayList<>();

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
        playback.checkFps(spec);
        SerialFaults faults = faults();
        Address gateway = target.serial == null ? Options.tcpUrl(spec, target.connect, "--connect") : null;
        ClipCodec codec = Options.codec(spec, codecName);
        Clip frames = playback.load(spec, codec);
        CameraOptions options = Options.camera(spec, () -> (gateway == null
                ? CameraOptions.serial(deviceId, frames, playback.fps, target.serial, loop, motionAt, faults)
                : new CameraOptions(deviceId, frames, playback.fps, gateway.host(), gateway.port(), loop, motionAt))
                .withCodec(codec));
        Lifecycle life = new Lifecycle();
        SimulatedCamera camera = life.add(SimulatedCamera.start(options, null));
        camera.finished().thenRunAsync(life::stop);
        life.await();
        spec.commandLine().getOut().printf("%s: %d frames sent, %d dropped%n", deviceId, camera.framesSent(),
                camera.framesDropped());
        spec.commandLine().getOut().flush();
        return 0;
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
