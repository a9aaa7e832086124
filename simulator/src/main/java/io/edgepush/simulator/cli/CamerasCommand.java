package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.protocol.net.Transports;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulator cameras}: a fleet of looping simulated cameras (DESIGN.md section 6). */
@Command(name = "cameras", mixinStandardHelpOptions = true,
        description = "Runs N looping simulated cameras, device ids PREFIX001, PREFIX002, ..., until SIGTERM.")
final class CamerasCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--count", required = true, paramLabel = "N", description = "number of cameras (1..1000)")
    int count;

    @Option(names = "--id-prefix", required = true, paramLabel = "P", description = "device id prefix")
    String idPrefix;

    @Mixin
    ClipPlayback playback;

    @Option(names = "--connect", required = true, paramLabel = "tcp://HOST:PORT", description = "gateway TCP ingest")
    String connect;

    /** Device id of camera {@code index} (0-based): prefix + 3-digit 1-based number. */
    static String deviceId(String prefix, int index) {
        return prefix + String.format("%03d", index + 1);
    }

    @Override
    public Integer call() throws Exception {
        Options.checkRange(spec, count, 1, 1000, "--count");
        Options.checkDeviceId(spec, deviceId(idPrefix, count - 1), "--id-prefix");
        playback.checkFps(spec);
        Address gateway = Options.tcpUrl(spec, connect, "--connect");
        Clip frames = playback.load(spec);
        Lifecycle life = new Lifecycle();
        EventLoopGroup group = Transports.newGroup(Math.min(count, 2 * Runtime.getRuntime().availableProcessors()), "cameras");
        life.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        List<SimulatedCamera> cameras = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CameraOptions o = new CameraOptions(deviceId(idPrefix, i), frames, playback.fps, gateway.host(),
                    gateway.port(), true);
            cameras.add(life.add(SimulatedCamera.start(o, group)));
        }
        life.await();
        long sent = cameras.stream().mapToLong(SimulatedCamera::framesSent).sum();
        spec.commandLine().getOut().printf("%d cameras: %d frames sent%n", count, sent);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
