package io.edgepush.agent.chaos;

import io.edgepush.simulator.cloud.SeenRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chaos run's report: a table per fault kind (faults injected, recovery time p50 and max, frames lost and frames
 * dropped), then the faults one by one, the frame counts per stream, the agent's RSS and threads, the cloud's
 * answers and the invariants' verdict. Recovery of one fault is the time until every stream was back (the slowest
 * stream); frames lost in a fault's window (from its start to the next fault's) are the frames the cameras sent
 * that the agent did not send once (its {@code total_frames - frames_resent}), over all streams: dropped frames,
 * frames lost on the way to the agent, and frames still buffered at the window's end (those go out in the next
 * window, which then shows fewer).
 */
final class ChaosReport {
    private ChaosReport() {
    }

    /** Markdown text of the report. */
    static String render(ChaosResult r, List<String> violations) {
        StringBuilder b = new StringBuilder();
        b.append("# Chaos run\n\nseed ").append(r.plan().seed()).append(", ").append(r.plan().runMs() / 1000)
                .append(" s planned, ").append((r.runEndMs() - r.runStartMs()) / 1000).append(" s run, ")
                .append(r.faults().size()).append(" faults; recovery deadline ")
                .append(ChaosRig.RECOVERY_DEADLINE_MS).append(" ms (max_retry_delay_ms ")
                .append(ChaosRig.MAX_RETRY_DELAY_MS).append(" + 2000)\n\n");
        b.append(kindTable(r)).append('\n');
        b.append("## Faults\n\n| # | t (s) | kind | target | held (ms) | back (ms) per stream | lost | dropped |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < r.faults().size(); i++) {
            ChaosResult.Fault f = r.faults().get(i);
            int at = i;
            String back = CameraFleet.DEVICES.stream().map(d -> d + " " + fmt(r.recoveryMs(at, d)))
                    .collect(Collectors.joining(", "));
            b.append(String.format("| %d | %.1f | %s | %s | %d | %s | %d | %d |%n", i + 1,
                    (f.startMs() - r.runStartMs()) / 1000.0, f.kind().label(), f.target(), f.clearMs() - f.startMs(),
                    back, lost(r, i), dropped(r, i)));
        }
        b.append("\n## Frames per stream (end of run)\n\n| stream | camera sent | agent received | sent | re-sent |"
                + " dropped by reason | still buffered | unaccounted | publishes |\n|---|---|---|---|---|---|---|---|---|\n");
        StatusPoller.Sample last = r.lastSample();
        for (String d : CameraFleet.DEVICES) {
            StatusPoller.Stream s = last.streams().get(d);
            if (s == null) {
                b.append("| ").append(d).append(" | not in the last /status page |||||||\n");
                continue;
            }
            b.append(String.format("| %s | %d | %d | %d | %d | %s | %d | %d | %d |%n", d, r.cameraFramesTotal().get(d),
                    s.received(), s.totalFrames(), s.resent(), s.droppedByReason(), s.buffered(), s.unaccounted(),
                    Invariants.publishes(r, d)));
        }
        long third = (r.runEndMs() - r.runStartMs()) / 3;
        List<StatusPoller.Proc> first = StatusPoller.between(r.procs(), r.runStartMs(), r.runStartMs() + third);
        List<StatusPoller.Proc> end = StatusPoller.between(r.procs(), r.runEndMs() - third, r.runEndMs());
        b.append(String.format("%nAgent RSS %.0f -> %.0f KiB, threads %.1f -> %.1f (first third -> last third).%n",
                Invariants.mean(first, true), Invariants.mean(end, true), Invariants.mean(first, false),
                Invariants.mean(end, false)));
        Map<SeenRequest.Outcome, Long> outcomes = r.cloudOutcomes().stream()
                .collect(Collectors.groupingBy(Function.identity(), () -> new EnumMap<>(SeenRequest.Outcome.class),
                        Collectors.counting()));
        b.append("Cloud endpoint requests: ").append(outcomes).append("; recordings checked: ")
                .append(Invariants.flvFiles(r.recordings()).size()).append("; /status polls unanswered: ")
                .append(r.failedPolls()).append(".\n\n");
        b.append(violations.isEmpty() ? "All invariants hold.\n" : "Violations:\n" + violations.stream()
                .map(v -> "- " + v).collect(Collectors.joining("\n")) + "\n");
        return b.toString();
    }

    /** The table the issue asks for: per kind, faults injected, recovery p50/max, frames lost and dropped. */
    static String kindTable(ChaosResult r) {
        StringBuilder b = new StringBuilder("| fault | injected | recovery p50 (ms) | recovery max (ms) |"
                + " frames lost | frames dropped |\n|---|---|---|---|---|---|\n");
        for (FaultKind k : FaultKind.values()) {
            List<Long> recoveries = new ArrayList<>();
            long lost = 0;
            long dropped = 0;
            boolean never = false;
            for (int i = 0; i < r.faults().size(); i++) {
                if (r.faults().get(i).kind() != k) {
                    continue;
                }
                long worst = 0;
                for (String d : CameraFleet.DEVICES) {
                    long ms = r.recoveryMs(i, d);
                    never |= ms < 0;
                    worst = Math.max(worst, ms);
                }
                recoveries.add(worst);
                lost += lost(r, i);
                dropped += dropped(r, i);
            }
            if (recoveries.isEmpty()) {
                b.append("| ").append(k.label()).append(" | 0 | - | - | - | - |\n");
                continue;
            }
            recoveries.sort(null);
            long p50 = recoveries.get((recoveries.size() - 1) / 2);
            long max = recoveries.get(recoveries.size() - 1);
            b.append(String.format("| %s | %d | %d | %s | %d | %d |%n", k.label(), recoveries.size(), p50,
                    never ? "never" : Long.toString(max), lost, dropped));
        }
        return b.toString();
    }

    /** Frames the cameras sent in fault {@code i}'s window that the agent did not send once, over all streams. */
    static long lost(ChaosResult r, int i) {
        long camera = 0;
        long sent = 0;
        Map<String, Long> endFrames = r.cameraFramesAtWindowEnd(i);
        for (String d : CameraFleet.DEVICES) {
            camera += endFrames.get(d) - r.faults().get(i).cameraFramesAtStart().get(d);
            sent += delta(r, i, d, s -> s.totalFrames() - s.resent());
        }
        return camera - sent;
    }

    /** Frames the agent dropped (all reasons) in fault {@code i}'s window, over all streams. */
    static long dropped(ChaosResult r, int i) {
        long dropped = 0;
        for (String d : CameraFleet.DEVICES) {
            dropped += delta(r, i, d, StatusPoller.Stream::dropped);
        }
        return dropped;
    }

    private static long delta(ChaosResult r, int i, String d, Function<StatusPoller.Stream, Long> counter) {
        StatusPoller.Stream a = r.streamAt(d, r.faults().get(i).startMs());
        StatusPoller.Stream b = r.streamAt(d, r.windowEndMs(i));
        return (b == null ? 0 : counter.apply(b)) - (a == null ? 0 : counter.apply(a));
    }

    private static String fmt(long ms) {
        return ms < 0 ? "never" : Long.toString(ms);
    }
}
