package io.edgepush.simulator.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the demo runs.
 *
 * @param seconds streaming time after the first start command; 0 = until Ctrl-C/SIGTERM
 * @param agentJar the agent's executable jar
 * @param config the agent config (its broker URL, camera ingest address and device ids are used here too)
 * @param gatewayId the config's gateway_id (the demo waits for its online presence)
 * @param outDir recordings and agent.log go here
 * @param brokerPort the embedded broker's port (the config's mqtt.broker_url port)
 * @param cameraIngestPort the agent's camera TCP ingest port (the config's ingest.tcp_listen port)
 * @param deviceIds the simulated cameras (the config's cameras[].device_id)
 * @param ingestPort the RTMP ingest's port
 * @param fps the cameras' frame rate
 */
public record DemoOptions(int seconds, Path agentJar, Path config, String gatewayId, Path outDir, int brokerPort,
        int cameraIngestPort, List<String> deviceIds, int ingestPort, int fps) {

    /** The demo's fixed ports (DESIGN.md demo layout). */
    public static final int DEFAULT_BROKER_PORT = 18830;
    public static final int DEFAULT_INGEST_PORT = 19350;
    public static final int DEFAULT_CAMERA_INGEST_PORT = 17000;

    public DemoOptions {
        Objects.requireNonNull(agentJar, "agentJar");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(gatewayId, "gatewayId");
        deviceIds = List.copyOf(deviceIds);
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be >= 0 (0 = until Ctrl-C), got " + seconds);
        }
        if (deviceIds.isEmpty()) {
            throw new IllegalArgumentException("the config lists no cameras");
        }
    }

    /** The rtmp_url the stream service hands out. */
    public String rtmpUrl() {
        return "rtmp://127.0.0.1:" + ingestPort + "/live/";
    }
}
