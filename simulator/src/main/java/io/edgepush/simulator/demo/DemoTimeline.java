package io.edgepush.simulator.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The demo's clock: sends {@code start} to each device (a few seconds apart), prints one status line per started
 * stream per second on an absolute 1 s schedule, and after the duration sends {@code stop} and waits for every
 * stream_stopped.
 */
final class DemoTimeline {
    private final Demo.Options o;
    private final PrintStream out;
    private final StatusBoard board;
    private final AgentProcess agent;
    private final CountDownLatch stopRequested;
    private final List<String> started = new ArrayList<>();

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

    /** Runs until the duration has passed, a stop was requested, or the agent died. */
    void streamUntilDone() throws InterruptedException {
        int gap = startGapSec(o.seconds());
        long t0 = System.nanoTime();
        for (int second = 0; ; second++) {
            for (int i = 0; i < o.deviceIds().size(); i++) {
                if (second == i * gap && !started.contains(o.deviceIds().get(i))) {
                    send(o.deviceIds().get(i), "start", "demo-" + (i + 1));
                    started.add(o.deviceIds().get(i));
                }
            }
            if (second > 0) {
                for (StreamStatus s : board.statuses(started)) {
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

    /**
     * Sends {@code stop} to every started stream and waits up to {@link Demo#STOPPED_TIMEOUT_MS} for their
     * stream_stopped events.
     *
     * @return true if every started stream reported stream_stopped
     */
    boolean stopAll() throws InterruptedException {
        for (int i = 0; i < started.size(); i++) {
            if (agent.isAlive()) {
                send(started.get(i), "stop", "demo-stop-" + (i + 1));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Demo.STOPPED_TIMEOUT_MS);
        while (System.nanoTime() < deadline && agent.isAlive()) {
            if (started.stream().allMatch(id -> board.status(id).finalMetrics() != null)) {
                return true;
            }
            Thread.sleep(100);
        }
        return started.stream().allMatch(id -> board.status(id).finalMetrics() != null);
    }

    /** Devices a start command was sent to. */
    List<String> started() {
        return List.copyOf(started);
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
