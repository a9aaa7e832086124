package io.edgepush.simulator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.ingest.RtmpIngestServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's closing report: per stream what the agent sent and the ingest recorded, and the recordings; for a
 * motion-driven stream also when the motion was, its pre-roll, when it stopped and its recording, with a warning
 * when the recording or the pre-roll is missing.
 */
final class DemoSummary {
    private final Demo.Options o;
    private final StatusBoard board;
    private final StreamService cloud;
    private final RtmpIngestServer ingest;
    private final List<SimulatedCamera> cameras;
    private final DemoTimeline timeline;

    DemoSummary(Demo.Options o, StatusBoard board, StreamService cloud, RtmpIngestServer ingest,
            List<SimulatedCamera> cameras, DemoTimeline timeline) {
        this.o = o;
        this.board = board;
        this.cloud = cloud;
        this.ingest = ingest;
        this.cameras = cameras;
        this.timeline = timeline;
    }

    /**
     * What the summary says about one motion-driven stream.
     *
     * @param lines what happened, for the viewer
     * @param warnings checks that failed (no recording, no frames recorded, no pre-roll, no stop by itself)
     */
    record MotionReport(List<String> lines, List<String> warnings) {
    }

    /**
     * The report on motion-driven stream {@code s}.
     *
     * @param t0Ms wall-clock ms of the demo clock's second 0
     * @param stopSentAtMs wall-clock ms when the demo sent its stop commands, -1 if it never did
     * @param recordings the ingest's files for the stream's last stream key
     * @param recorded frames the ingest recorded under that key
     */
    static MotionReport motionReport(Demo.Options o, StreamStatus s, long t0Ms, long stopSentAtMs,
            List<Path> recordings, long recorded) {
        List<String> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        StreamStatus.Motion m = s.motion();
        String id = s.deviceId();
        lines.add(String.format("motion at %.1f s (camera clock)%s", o.motionAtSec(), m.detected()
                ? String.format(", motion_detected at %.1f s (demo clock)", (m.detectedAtMs() - t0Ms) / 1000.0)
                : ", no motion_detected received"));
        if (!s.started()) {
            warnings.add(id + ": the motion_based stream never started");
            return new MotionReport(lines, warnings);
        }
        if (m.preRollMs() > 0) {
            lines.add("stream_started pre_roll_ms " + m.preRollMs() + ": recording starts " + m.preRollMs()
                    + " ms before the motion");
        } else {
            warnings.add(id + ": stream_started " + (m.preRollMs() < 0 ? "had no pre_roll_ms"
                    : "had pre_roll_ms " + m.preRollMs()) + "; expected the buffered GOPs from up to "
                    + o.preRollSec() + " s before the motion to be sent first");
        }
        boolean byItself = m.stoppedAtMs() >= 0 && (stopSentAtMs < 0 || m.stoppedAtMs() < stopSentAtMs);
        if (byItself) {
            lines.add(String.format("stopped by itself at %.1f s (demo clock)%s", (m.stoppedAtMs() - t0Ms) / 1000.0,
                    m.endedAtMs() >= 0 ? String.format(", %.1f s after motion_ended (post_roll_sec %d)",
                            (m.stoppedAtMs() - m.endedAtMs()) / 1000.0, o.postRollSec()) : ""));
        } else {
            double motionEnd = o.motionAtSec() + SimulatedCamera.MOTION_LENGTH_SEC;
            String what = "did not stop by itself before the demo's stop" + (s.finalMetrics() != null
                    ? " (the demo's stop ended it)" : " (and no stream_stopped came)");
            if (o.seconds() > 0 && motionEnd + o.postRollSec() >= o.seconds()) {
                lines.add(String.format("%s, as expected: motion end %.1f s + post_roll_sec %d is past the demo's"
                        + " %d s", what, motionEnd, o.postRollSec(), o.seconds()));
            } else {
                warnings.add(id + ": " + what);
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        if (recordings.isEmpty()) {
            warnings.add(id + ": no recording of the motion_based stream in " + o.outDir());
        } else {
            Path abs = recordings.get(recordings.size() - 1).toAbsolutePath();
            lines.add("recording " + (abs.startsWith(cwd) ? cwd.relativize(abs) : abs) + ", " + recorded
                    + " frames recorded");
            if (recorded == 0) {
                warnings.add(id + ": the ingest recorded no frames of the motion_based stream");
            }
        }
        return new MotionReport(lines, warnings);
    }

    /** The report on {@code deviceId}, a motion-driven device. */
    MotionReport motionReport(String deviceId) {
        String key = streamKey(deviceId);
        return motionReport(o, board.status(deviceId), timeline.startedAtMs(), timeline.stopSentAtMs(),
                key == null ? List.of() : ingest.recordings(key), key == null ? 0 : ingest.framesReceived(key));
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
        for (String id : o.motionDeviceIds()) {
            MotionReport r = motionReport(id);
            String prefix = String.format("  %-14s motion_based: ", id);
            for (String line : r.lines()) {
                out.println(prefix + line);
                prefix = " ".repeat(prefix.length());
            }
            for (String w : r.warnings()) {
                out.println("  warning: " + w);
            }
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
            if (o.motionDriven(id) && !board.status(id).started()) {
                if (interrupted) {
                    out.printf("note: the motion_based stream of %s had not started when the demo was stopped%n",
                            id);
                    continue;
                }
                out.printf("demo failed: the agent never started the motion_based stream of %s after the motion at"
                        + " %.1f s (camera clock); see %s%n", id, o.motionAtSec(), o.outDir().resolve("agent.log"));
                status = 1;
            } else if (!board.status(id).started()) {
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
