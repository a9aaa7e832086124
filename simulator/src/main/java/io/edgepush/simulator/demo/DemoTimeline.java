package io.edgepush.simulator.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The demo's clock: sends {@code start} to each on-command device (a few seconds apart), prints one status line per
 * started or motion-driven stream per second on an absolute 1 s schedule, says what each motion-driven stream does
 * (motion_detected, stream_started with its pre-roll, motion_ended, stream_stopped by itself), and after the
 * duration sends {@code stop} to every stream still on and waits for their stream_stopped.
 */
final class DemoTimeline {
    private final Demo.Options o;
    private final PrintStream out;
    private final StatusBoard board;
    private final AgentProcess agent;
    private final CountDownLatch stopRequested;
    private final List<String> started = new ArrayList<>();
    private final Map<String, StreamStatus> motionSeen = new HashMap<>();
    private volatile long startedAtMs = -1;
    private volatile long stopSentAtMs = -1;

    DemoTimeline(Demo.Options o, PrintStream out, StatusBoard board, AgentProcess agent, CountDownLatch stop) {
        this.o = o;
        this.out = out;
        this.board = board;
        this.agent = agent;
        this.stopRequested = stop;
    }

    /** Seconds between two start commands: 3, or less when the whole demo is shorter than 6 s. */
    static int startGapSec(int seconds) {
        return seconds == 0 ? Demo.START_GAP_SEC : Math.min(Demo.START_GAP_SEC, seconds / 2);
    }

    /** The line announcing what a motion-driven camera will do. */
    static String motionPlan(Demo.Options o, String deviceId) {
        return String.format("%s: motion at %.1f s (camera clock) -> motion_based stream starts with %d s pre-roll,"
                + " stops %d s after the motion ends (no start/stop commands)", deviceId, o.motionAtSec(),
                o.preRollSec(), o.postRollSec());
    }

    /** Runs until the duration has passed, a stop was requested, or the agent died. */
    void streamUntilDone() throws InterruptedException {
        int gap = startGapSec(o.seconds());
        List<String> commanded = o.deviceIds().stream().filter(id -> !o.motionDriven(id)).toList();
        for (String id : o.motionDeviceIds()) {
            out.println(motionPlan(o, id));
            motionSeen.put(id, board.status(id));
        }
        long t0 = System.nanoTime();
        startedAtMs = System.currentTimeMillis();
        for (int second = 0; ; second++) {
            for (int i = 0; i < commanded.size(); i++) {
                if (second == i * gap && !started.contains(commanded.get(i))) {
                    send(commanded.get(i), "start", "demo-" + (i + 1));
                    started.add(commanded.get(i));
                }
            }
            for (String id : o.motionDeviceIds()) {
                StreamStatus now = board.status(id);
                reportMotion(second, motionSeen.put(id, now), now);
            }
            if (second > 0) {
                List<String> shown = o.deviceIds().stream()
                        .filter(id -> started.contains(id) || o.motionDriven(id)).toList();
                for (StreamStatus s : board.statuses(shown)) {
                    out.printf("[%4ds] %s%n", second, s.line());
                }
                out.flush();
            }
            if (o.seconds() > 0 && second >= o.seconds()) {
                return;
            }
            if (!agent.isAlive()) {
                out.printf("the agent exited unexpectedly (status %s); last lines of its log:%n%s%n",
                        agent.exitStatus(), agent.logTail(20));
                return;
            }
            long next = t0 + TimeUnit.SECONDS.toNanos(second + 1);
            if (stopRequested.await(next - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                out.println("stop requested");
                return;
            }
        }
    }

    /** Prints what changed for a motion-driven stream between two looks at it. */
    private void reportMotion(int second, StreamStatus before, StreamStatus now) {
        StreamStatus.Motion b = before.motion();
        StreamStatus.Motion n = now.motion();
        String at = String.format("[%4ds] %s", second, now.deviceId());
        if (n.detectedAtMs() != b.detectedAtMs()) {
            out.printf("%s motion_detected (pre_roll_sec %d): the agent starts the motion_based stream%n", at,
                    n.preRollSec());
        }
        boolean newStart = now.started() && now.finalMetrics() == null
                && (!before.started() || before.finalMetrics() != null);
        if (newStart) {
            out.printf("%s stream_started, %s%n", at, n.preRollMs() > 0
                    ? "pre_roll_ms " + n.preRollMs() + ": the recording starts " + n.preRollMs()
                            + " ms before the motion"
                    : "pre_roll_ms " + (n.preRollMs() < 0 ? "missing" : n.preRollMs()) + ": no pre-roll sent");
        }
        if (n.endedAtMs() != b.endedAtMs()) {
            out.printf("%s motion_ended: the stream stops in %d s unless motion comes back%n", at, n.stopsInSec());
        }
        if (n.stoppedAtMs() >= 0 && n.stoppedAtMs() != b.stoppedAtMs()) {
            out.printf("%s stream_stopped by itself (post-roll over): %s until the next motion%n", at,
                    now.state());
        }
    }

    /**
     * Sends {@code stop} to every started on-command stream and to every motion-driven stream that is not idle,
     * and waits up to {@link Demo#STOPPED_TIMEOUT_MS} for the stream_stopped of every stream that started.
     *
     * @return true if every started stream reported stream_stopped
     */
    boolean stopAll() throws InterruptedException {
        stopSentAtMs = System.currentTimeMillis();
        for (int i = 0; i < started.size(); i++) {
            if (agent.isAlive()) {
                send(started.get(i), "stop", "demo-stop-" + (i + 1));
            }
        }
        for (String id : o.motionDeviceIds()) {
            StreamStatus s = board.status(id);
            boolean on = s.motion().detected() && s.motion().stoppedAtMs() < 0;
            if (!on) {
                out.printf("%s: %s, no stop needed%n", id, s.started() ? "already stopped by itself"
                        : "never started (no motion seen)");
            } else if (agent.isAlive()) {
                send(id, "stop", "demo-stop-" + id);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Demo.STOPPED_TIMEOUT_MS);
        while (System.nanoTime() < deadline && agent.isAlive()) {
            if (allStopped()) {
                return true;
            }
            Thread.sleep(100);
        }
        return allStopped();
    }

    private boolean allStopped() {
        return o.deviceIds().stream()
                .filter(id -> started.contains(id) || o.motionDriven(id) && board.status(id).started())
                .allMatch(id -> board.status(id).finalMetrics() != null);
    }

    /** Devices a start command was sent to. */
    List<String> started() {
        return List.copyOf(started);
    }

    /** Wall-clock ms at the demo clock's second 0, or -1 before {@link #streamUntilDone()}. */
    long startedAtMs() {
        return startedAtMs;
    }

    /** Wall-clock ms when {@link #stopAll()} began sending stop commands, or -1 before. */
    long stopSentAtMs() {
        return stopSentAtMs;
    }

    private void send(String deviceId, String command, String commandId) {
        try {
            board.command(deviceId, command, commandId);
            out.printf("sent {\"command\":\"%s\",\"command_id\":\"%s\"} to devices/%s/stream/command%n", command,
                    commandId, deviceId);
        } catch (MqttException e) {
            out.printf("could not send %s to %s: %s%n", command, deviceId, e.getMessage());
        }
    }
}
