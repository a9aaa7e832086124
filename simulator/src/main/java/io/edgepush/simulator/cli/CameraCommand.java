package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
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

/** {@code simulator camera}: one simulated camera (DESIGN.md section 6). */
@Command(name = "camera", mixinStandardHelpOptions = true,
        description = "Plays an H.264 Annex B clip as one camera connected to a gateway (firmware-bridge protocol v1).")
public final class CameraCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device-id", required = true, paramLabel = "ID", description = "device_id sent in HELLO")
    String deviceId;

    @Mixin
    ClipPlayback playback;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--loop", description = "restart the clip at its end (default: exit 0 after the last frame)")
    boolean loop;

    @Option(names = "--motion-at", split = ",", paramLabel = "SEC",
            description = "send MOTION_START at these camera-clock seconds (MOTION_END 2 s later)")
    List<Double> motionAt = new ArrayList<>();

    /** Where the camera connects. */
    static final class Target {
        @Option(names = "--connect", required = true, paramLabel = "tcp://HOST:PORT", description = "gateway TCP ingest")
        String connect;

        @Option(names = "--serial", required = true, paramLabel = "PATH", description = "USB-serial device (not yet)")
        String serial;
    }

    @Override
    public Integer call() throws Exception {
        if (target.serial != null) {
            throw new ParameterException(spec.commandLine(),
                    "--serial " + target.serial + ": the serial transport is not supported yet, see issue 4;"
                            + " use --connect tcp://HOST:PORT");
        }
        Options.checkDeviceId(spec, deviceId, "--device-id");
        playback.checkFps(spec);
        Address gateway = Options.tcpUrl(spec, target.connect, "--connect");
        Clip frames = playback.load(spec);
        CameraOptions options = Options.camera(spec,
                () -> new CameraOptions(deviceId, frames, playback.fps, gateway.host(), gateway.port(), loop,
                        motionAt));
        Lifecycle life = new Lifecycle();
        SimulatedCamera camera = life.add(SimulatedCamera.start(options, null));
        camera.finished().thenRunAsync(life::stop);
        life.await();
        spec.commandLine().getOut().printf("%s: %d frames sent, %d dropped%n", deviceId, camera.framesSent(),
                camera.framesDropped());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
