package io.edgepush.agent.chaos;

import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.cloud.SeenRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a chaos run measured, for {@link Invariants} and {@link ChaosReport}. Times are {@link ChaosClock}
 * milliseconds.
 *
 * @param runStartMs when the first fault's schedule began (all streams were flowing)
 * @param runEndMs when fault injection and the last recovery window ended (the cameras were stopped right after)
 * @param faults the faults injected, in order
 * @param samples every /status reading of the run (also the ones after the cameras stopped)
 * @param procs the agent's RSS and thread count, once a second
 * @param cameraFramesAtEnd frames each camera had sent at {@code runEndMs}
 * @param cameraFramesTotal frames each camera sent in all (read after the cameras stopped)
 * @param agentAlive whether the agent's JVM was running at {@code runEndMs}
 * @param statusMessages the stream status events and gateway presence messages, in arrival order
 * @param agentLog the agent's whole log
 * @param secrets every stream key and token handed out
 * @param pageLeaks secrets seen in full on a /status page (described masked)
 * @param recordings the directory the recordings were copied to
 * @param cloudOutcomes what the simulator cloud did with each endpoint request, in order
 * @param failedPolls /status polls that got no answer
 */
record ChaosResult(FaultPlan plan, long runStartMs, long runEndMs, List<Fault> faults,
        List<StatusPoller.Sample> samples, List<StatusPoller.Proc> procs, Map<String, Long> cameraFramesAtEnd,
        Map<String, Long> cameraFramesTotal, boolean agentAlive, List<MqttTestClient.Received> statusMessages,
        String agentLog, Set<String> secrets, List<String> pageLeaks, Path recordings,
        List<SeenRequest.Outcome> cloudOutcomes, int failedPolls) {

    /**
     * One injected fault.
     *
     * @param target what it hit: a device id or a peer ("nginx", "cloud+nginx", ...)
     * @param startMs when its action began
     * @param clearMs when it was cleared (its action done and its hold over)
     * @param cameraFramesAtStart frames each camera had sent at {@code startMs}
     */
    record Fault(FaultKind kind, String target, long startMs, long clearMs, Map<String, Long> cameraFramesAtStart) {
    }

    /** When the measurement window of fault {@code i} ends: the next fault's start, or the end of the run. */
    long windowEndMs(int i) {
        return i + 1 < faults.size() ? faults.get(i + 1).startMs() : runEndMs;
    }

    /** Camera frames at the end of fault {@code i}'s window. */
    Map<String, Long> cameraFramesAtWindowEnd(int i) {
        return i + 1 < faults.size() ? faults.get(i + 1).cameraFramesAtStart() : cameraFramesAtEnd;
    }

    /** The stream {@code device} in the last /status sample at or before {@code atMs}, or null. */
    StatusPoller.Stream streamAt(String device, long atMs) {
        StatusPoller.Stream found = null;
        for (StatusPoller.Sample s : samples) {
            if (s.atMs() > atMs) {
                break;
            }
            if (s.streams().containsKey(device)) {
                found = s.streams().get(device);
            }
        }
        return found;
    }

    /**
     * How long after fault {@code i} cleared stream {@code device} was seen {@code streaming} with more frames sent
     * than at the clear, milliseconds; -1 if not before the window ended.
     */
    long recoveryMs(int i, String device) {
        Fault f = faults.get(i);
        StatusPoller.Stream atClear = streamAt(device, f.clearMs());
        long baseline = atClear == null ? 0 : atClear.totalFrames();
        long until = windowEndMs(i);
        for (StatusPoller.Sample s : samples) {
            if (s.atMs() < f.clearMs() || s.atMs() > until) {
                continue;
            }
            StatusPoller.Stream st = s.streams().get(device);
            if (st != null && st.state().equals("streaming") && st.totalFrames() > baseline) {
                return s.atMs() - f.clearMs();
            }
        }
        return -1;
    }

    /** The last /status sample (after the cameras stopped and the counters settled). */
    StatusPoller.Sample lastSample() {
        return samples.get(samples.size() - 1);
    }
}
