package io.edgepush.agent.chaos;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.SimulatedCamera;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos run's four cameras, each looping the same clip at {@link #FPS}: {@link #TCP} (bridge protocol over TCP,
 * static URL), {@link #CLOUD} (bridge protocol over TCP, endpoint from the simulator cloud), {@link #SERIAL} (bridge
 * protocol over a socat pty, endpoint from the cloud) and {@link #RAW} (plain Annex B over TCP, static URL).
 * {@link #cut(int)} cuts one TCP camera's connection: a bridge camera is closed and started again, the raw camera
 * closes its socket and connects again. {@link #framesSent(String)} adds up every incarnation of a camera.
 */
final class CameraFleet implements AutoCloseable {
    static final String TCP = "CHAOS_TCP";
    static final String CLOUD = "CHAOS_CLOUD";
    static final String SERIAL = "CHAOS_SERIAL";
    static final String RAW = "CHAOS_RAW";
    /** Every device, in config order. */
    static final List<String> DEVICES = List.of(TCP, CLOUD, SERIAL, RAW);
    /** The cameras a {@link FaultKind#CAMERA_CUT} picks from, by {@link FaultPlan.Planned#target()}. */
    static final List<String> CUTTABLE = List.of(TCP, CLOUD, RAW);
    /** Frames from one IDR to the next in the clip (small.h264). */
    static final int GOP_FRAMES = 25;
    /** Frame rate of every camera: modest, the machine has 2 cores and other work. */
    static final int FPS = 15;

    private final Clip clip;
    private final int cameraPort;
    private final Map<String, SimulatedCamera> bridged = new LinkedHashMap<>();
    private final Map<String, Long> retiredFrames = new LinkedHashMap<>();
    private final RawAnnexBCamera raw;

    private CameraFleet(Clip clip, int cameraPort, RawAnnexBCamera raw) {
        this.clip = clip;
        this.cameraPort = cameraPort;
        this.raw = raw;
    }

    /**
     * Starts the four cameras: the bridge cameras on TCP {@code cameraPort} and on the pty end {@code serialEnd},
     * the raw camera on {@code rawPort}.
     */
    static CameraFleet start(Clip clip, int cameraPort, Path serialEnd, int rawPort) {
        CameraFleet fleet = new CameraFleet(clip, cameraPort, RawAnnexBCamera.start(clip, FPS, rawPort, RAW));
        try {
            fleet.bridged.put(TCP, SimulatedCamera.start(fleet.tcpOptions(TCP), null));
            fleet.bridged.put(CLOUD, SimulatedCamera.start(fleet.tcpOptions(CLOUD), null));
            fleet.bridged.put(SERIAL, SimulatedCamera.start(CameraOptions.serial(SERIAL, clip, FPS,
                    serialEnd.toString(), true, List.of(), SerialFaults.NONE), null));
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private CameraOptions tcpOptions(String device) {
        return new CameraOptions(device, clip, FPS, "127.0.0.1", cameraPort, true);
    }

    /** Cuts the connection of {@link #CUTTABLE}{@code .get(target)} and lets it connect again; returns its id. */
    synchronized String cut(int target) {
        String device = CUTTABLE.get(target);
        if (device.equals(RAW)) {
            raw.cut();
            return device;
        }
        SimulatedCamera old = bridged.get(device);
        old.close();
        retiredFrames.merge(device, old.framesSent(), Long::sum);
        bridged.put(device, SimulatedCamera.start(tcpOptions(device), null));
        return device;
    }

    /** Frames {@code device} sent so far, over all its connections. */
    synchronized long framesSent(String device) {
        if (device.equals(RAW)) {
            return raw.framesSent();
        }
        return retiredFrames.getOrDefault(device, 0L) + bridged.get(device).framesSent();
    }

    /** Frames sent so far by every device. */
    synchronized Map<String, Long> framesSent() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String d : DEVICES) {
            m.put(d, framesSent(d));
        }
        return m;
    }

    /** Stops every camera. Idempotent. */
    @Override
    public synchronized void close() {
        for (Map.Entry<String, SimulatedCamera> e : bridged.entrySet()) {
            e.getValue().close();
        }
        raw.close();
    }
}
