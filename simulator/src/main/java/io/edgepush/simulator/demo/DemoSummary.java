package io.edgepush.simulator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.ingest.RtmpIngestServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The demo's closing report: per stream what the agent sent and the ingest recorded, and the recordings. */
final class DemoSummary {
    private final Demo.Options o;
    private final StatusBoard board;
    private final StreamService cloud;
    private final RtmpIngestServer ingest;
    private final List<SimulatedCamera> cameras;

    DemoSummary(Demo.Options o, StatusBoard board, StreamService cloud, RtmpIngestServer ingest,
            List<SimulatedCamera> cameras) {
        this.o = o;
        this.board = board;
        this.cloud = cloud;
        this.ingest = ingest;
        this.cameras = cameras;
    }

    void print(PrintStream out) {
        out.println();
        out.println("Summary");
        for (int i = 0; i < o.deviceIds().size(); i++) {
            String id = o.deviceIds().get(i);
            StreamStatus s = board.status(id);
            JsonNode f = s.finalMetrics();
            String key = streamKey(id);
            long recorded = key == null ? 0 : ingest.framesReceived(key);
            long cameraFrames = i < cameras.size() ? cameras.get(i).framesSent() : 0;
            if (f == null) {
                out.printf("  %-14s no stream_stopped received (started: %s); camera sent %d frames, ingest"
                        + " recorded %d%n", id, s.started(), cameraFrames, recorded);
                continue;
            }
            out.printf("  %-14s frames sent %d, duration %.1f s, avg fps %.1f, avg kbps %.1f, dropped %d;"
                    + " ingest recorded %d frames; camera sent %d frames%n", id,
                    f.path("total_frames_sent").asLong(), f.path("stream_duration_ms").asLong() / 1000.0,
                    f.path("average_fps").asDouble(), f.path("average_bitrate_kbps").asDouble(),
                    f.path("dropped_frames").asLong(), recorded, cameraFrames);
        }
        out.println("Recordings:");
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p : ingest.recordings()) {
            Path abs = p.toAbsolutePath();
            out.println("  " + (abs.startsWith(cwd) ? cwd.relativize(abs) : abs));
        }
        if (ingest.recordings().isEmpty()) {
            out.println("  (none)");
        }
        out.println("Agent log: " + o.outDir().resolve("agent.log"));
        out.flush();
    }

    /**
     * 0 if every device streamed and (unless interrupted) stopped cleanly; else 1, printing why.
     */
    int exitStatus(PrintStream out, boolean allStopped, boolean interrupted) {
        int status = 0;
        for (String id : o.deviceIds()) {
            if (!board.status(id).started()) {
                out.printf("demo failed: the agent never started streaming %s; see %s%n", id,
                        o.outDir().resolve("agent.log"));
                status = 1;
            }
        }
        if (status == 0 && !allStopped && !interrupted) {
            out.printf("demo failed: not every stream reported stream_stopped within %d s; see %s%n",
                    Demo.STOPPED_TIMEOUT_MS / 1000, o.outDir().resolve("agent.log"));
            status = 1;
        }
        return status;
    }

    /** The stream key the cloud handed to {@code deviceId} last (the ingest's stream name), or null. */
    private String streamKey(String deviceId) {
        String key = null;
        for (SeenRequest r : cloud.requests()) {
            if (r.deviceId().equals(deviceId) && r.outcome() == SeenRequest.Outcome.ANSWERED) {
                key = r.streamKey();
            }
        }
        return key;
    }
}
