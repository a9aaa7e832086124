package io.edgepush.agent.abr;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.stream.OutputCounters.DropReason;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.ClipLadder;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.simulator.link.LinkTrace;
import io.edgepush.simulator.link.ThrottleOptions;
import io.edgepush.simulator.link.ThrottleProxy;
import io.edgepush.simulator.link.TraceRun;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One run of the adaptive bitrate scenario ({@code make abr-scenario}): a simulated ladder camera (HIGH, 2 Mbit/s)
 * -> the agent (in this JVM) -> a {@link ThrottleProxy} following a {@link LinkTrace} -> nginx-rtmp recording.
 * Every 250 ms it reads the link's rate, the controller's target, what the agent sent, what crossed the link, the
 * backlog and the drops; {@link Result} holds one row per second and the summary figures of the issue.
 */
final class AbrScenario {
    static final String DEVICE = "ABR_CAM";
    static final long PRESET_BPS = 2_000_000;
    /** Backlog bound of the summary, milliseconds. */
    static final long BACKLOG_BOUND_MS = 500;
    /** A link below the preset's bitrate is the bottleneck. */
    static final double BOTTLENECK_SHARE = 1.0;
    private static final long SAMPLE_MS = 250;

    /** One reading every 250 ms. */
    record Sample(double t, long linkBps, long targetBps, long sentBytes, long deliveredBytes, long backlogMs,
                  long dropped, long droppedUplink, long droppedNonReference, long framesSent, String rung) {
    }

    /** One second of the run, rates in kbit/s. */
    record Row(int second, long linkKbps, long targetKbps, long sentKbps, long linkUsedKbps, long backlogMs,
               long maxBacklogMs, long drops, String rung) {
    }

    /**
     * The figures for one run.
     *
     * @param p95BacklogMs          95th percentile of the backlog over the whole run (readings every 250 ms)
     * @param worstRecoveryMs       over the capacity drops, the longest time until the backlog was back under 500 ms
     *                              and stayed there for 2 s
     * @param bottleneckUse         mean of (bytes that crossed the link / link rate) while the link is below the
     *                              preset's bitrate
     * @param secondsTo90           after the last rise of the link above the preset's bitrate, seconds until the
     *                              sent rate (2 s mean) first reached 90% of the preset's; -1 never
     * @param maxStepDownsPer10s    most steps down of the target in any 10 s while the link was steady (from 5 s after
     *                              a change of the link rate to the next change)
     * @param dropsOutsideStepDowns frames dropped outside step-down windows (the 5 s after a capacity drop and 3 s
     *                              after every step down), over all frames
     * @param decodeErrors          ffmpeg's error output decoding the recording ("" when none)
     */
    record Summary(long p95BacklogMs, long worstRecoveryMs, double bottleneckUse, double secondsTo90,
                   int maxStepDownsPer10s, double dropsOutsideStepDowns, long framesSent, long framesDropped,
                   int stepDowns, String decodeErrors) {
    }

    record Result(String controller, List<Sample> samples, List<Row> rows, Summary summary, Path recording) {
    }

    private AbrScenario() {
    }

    /**
     * Runs the scenario once.
     *
     * @param controller      {@code edge} or {@code obs}
     * @param targetLatencyMs {@code streaming.target_latency_ms} of the agent
     * @param delayMs         the link's one-way delay
     * @param log             progress lines
     */
    static Result run(Path ladderDir, LinkTrace trace, String controller, long targetLatencyMs, long delayMs,
                      Path outDir, java.util.function.Consumer<String> log) throws Exception {
        ClipLadder ladder = ClipLadder.load(ladderDir);
        String streamName = "abr_" + controller;
        List<Sample> samples = new ArrayList<>();
        Path recording;
        try (Nginx nginx = Nginx.start();
             ThrottleProxy link = ThrottleProxy.start(ThrottleOptions.of("127.0.0.1", 0, "127.0.0.1", nginx.port(),
                     trace.rateBpsAt(0.0)).withDelayMs(delayMs))) {
            AgentConfig config = ConfigLoader.parse("""
                    {"gateway_id": "abr-gw",
                     "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                     "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                     "streaming": {"enable_adaptive_bitrate": true, "abr_controller": "%s",
                                   "enable_frame_dropping": true, "target_latency_ms": %d},
                     "cameras": [{"device_id": "%s", "camera_id": 0,
                       "streams": [{"stream_id": 0, "stream_name": "main", "quality": "high",
                                    "trigger": "always_on",
                                    "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/%s"]}}]}],
                     "accept_unknown_cameras": false, "http": {"listen": null}}
                    """.formatted(FreePorts.tcp(), controller, targetLatencyMs, DEVICE, link.port(), streamName));
            try (GatewayAgent agent = GatewayAgent.start(config)) {
                StreamSession session = agent.sessions().get(0);
                try (SimulatedCamera camera = SimulatedCamera.start(CameraOptions.ladder(DEVICE, ladder, "127.0.0.1",
                        agent.cameraPort(), true, List.of()), null)) {
                    Await.until(() -> session.state() == SessionState.STREAMING
                            && session.metrics().framesSent() > 25, Duration.ofSeconds(30),
                            () -> "the stream to go live: " + session.status());
                    log.accept("controller=" + controller + " streaming; trace " + trace);
                    double runSeconds = trace.lastStepAt().toMillis() / 1000.0 + 60;
                    try (TraceRun run = link.runTrace(trace)) {
                        long start = System.nanoTime();
                        long next = start;
                        while (true) {
                            next += SAMPLE_MS * 1_000_000;
                            long sleepNanos = next - System.nanoTime();
                            if (sleepNanos > 0) {
                                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                            }
                            double t = (System.nanoTime() - start) / 1e9;
                            samples.add(sample(t, trace, session, link, camera));
                            if (samples.size() % 40 == 0) {
                                Sample s = samples.get(samples.size() - 1);
                                log.accept(String.format(Locale.ROOT, "controller=%s t=%.0f link=%d target=%d "
                                        + "backlog=%d dropped=%d rung=%s", controller, t, s.linkBps() / 1000,
                                        s.targetBps() / 1000, s.backlogMs(), s.dropped(), s.rung()));
                            }
                            if (t >= runSeconds) {
                                break;
                            }
                        }
                    }
                }
                session.stop().get();
            }
            recording = Files.copy(nginx.awaitRecordingClosed(streamName, Duration.ofSeconds(30)),
                    outDir.resolve(streamName + ".flv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<Row> rows = rows(samples);
        String errors = Ffprobe.decodeErrors(recording);
        return new Result(controller, samples, rows, summarize(samples, trace, errors), recording);
    }

    private static Sample sample(double t, LinkTrace trace, StreamSession session, ThrottleProxy link,
                                 SimulatedCamera camera) {
        var m = session.metrics();
        return new Sample(t, trace.rateBpsAt(t), session.encoder().asked().bitrateBps(), m.bytesSent(),
                link.bytesDelivered(), session.backlog().ms(), m.framesDropped(),
                m.framesDropped(DropReason.UPLINK), m.framesDropped(DropReason.UPLINK_NON_REFERENCE), m.framesSent(),
                camera.currentRung() == null ? "-" : camera.currentRung().name());
    }

    static List<Row> rows(List<Sample> samples) {
        List<Row> rows = new ArrayList<>();
        int perSecond = (int) (1000 / SAMPLE_MS);
        for (int i = perSecond; i < samples.size(); i += perSecond) {
            Sample a = samples.get(i - perSecond);
            Sample b = samples.get(i);
            double seconds = b.t() - a.t();
            long maxBacklog = 0;
            for (int k = i - perSecond + 1; k <= i; k++) {
                maxBacklog = Math.max(maxBacklog, samples.get(k).backlogMs());
            }
            rows.add(new Row((int) Math.round(b.t()), b.linkBps() / 1000, b.targetBps() / 1000,
                    Math.round((b.sentBytes() - a.sentBytes()) * 8 / 1000.0 / seconds),
                    Math.round((b.deliveredBytes() - a.deliveredBytes()) * 8 / 1000.0 / seconds), b.backlogMs(),
                    maxBacklog, b.dropped() - a.dropped(), b.rung()));
        }
        return rows;
    }

    static Summary summarize(List<Sample> s, LinkTrace trace, String decodeErrors) {
        List<Long> backlogs = new ArrayList<>();
        for (Sample x : s) {
            backlogs.add(x.backlogMs());
        }
        backlogs.sort(null);
        long p95 = backlogs.isEmpty() ? 0 : backlogs.get((int) Math.min(backlogs.size() - 1, Math.ceil(0.95
                * backlogs.size()) - 1));

        List<Double> changes = new ArrayList<>();
        List<Double> drops = new ArrayList<>();
        double lastRise = -1;
        List<LinkTrace.Step> steps = trace.steps();
        for (int i = 1; i < steps.size(); i++) {
            double at = steps.get(i).at().toMillis() / 1000.0;
            changes.add(at);
            if (steps.get(i).rateBps() < steps.get(i - 1).rateBps()) {
                drops.add(at);
            } else if (steps.get(i).rateBps() >= PRESET_BPS && steps.get(i - 1).rateBps() < PRESET_BPS) {
                lastRise = at;
            }
        }
        long worstRecovery = 0;
        for (double at : drops) {
            worstRecovery = Math.max(worstRecovery, recoveryMs(s, at));
        }

        double useSum = 0;
        int useN = 0;
        for (int i = 4; i < s.size(); i += 4) {
            Sample a = s.get(i - 4);
            Sample b = s.get(i);
            long link = a.linkBps();
            if (link < PRESET_BPS * BOTTLENECK_SHARE && link == b.linkBps() && link > 0) {
                double used = (b.deliveredBytes() - a.deliveredBytes()) * 8 / (b.t() - a.t());
                useSum += used / link;
                useN++;
            }
        }

        double secondsTo90 = -1;
        if (lastRise >= 0) {
            for (int i = 8; i < s.size(); i++) {
                Sample b = s.get(i);
                if (b.t() < lastRise) {
                    continue;
                }
                Sample a = s.get(i - 8);
                double sentBps = (b.sentBytes() - a.sentBytes()) * 8 / (b.t() - a.t());
                if (sentBps >= 0.9 * PRESET_BPS && a.t() >= lastRise) {
                    secondsTo90 = b.t() - lastRise;
                    break;
                }
            }
        }

        List<Double> stepDowns = new ArrayList<>();
        for (int i = 1; i < s.size(); i++) {
            if (s.get(i).targetBps() < s.get(i - 1).targetBps()) {
                stepDowns.add(s.get(i).t());
            }
        }
        int maxPer10 = 0;
        for (double t0 : stepDowns) {
            if (!steady(t0, changes, s.get(s.size() - 1).t())) {
                continue;
            }
            int n = 0;
            for (double t1 : stepDowns) {
                if (t1 >= t0 && t1 < t0 + 10 && steady(t1, changes, s.get(s.size() - 1).t())) {
                    n++;
                }
            }
            maxPer10 = Math.max(maxPer10, n);
        }

        long outside = 0;
        for (int i = 1; i < s.size(); i++) {
            long d = s.get(i).dropped() - s.get(i - 1).dropped();
            double t = s.get(i).t();
            boolean inWindow = false;
            for (double at : drops) {
                inWindow |= t >= at && t <= at + 5;
            }
            for (double at : stepDowns) {
                inWindow |= t >= at && t <= at + 3;
            }
            if (!inWindow) {
                outside += d;
            }
        }
        Sample last = s.get(s.size() - 1);
        Sample first = s.get(0);
        long frames = last.framesSent() - first.framesSent() + last.dropped() - first.dropped();
        return new Summary(p95, worstRecovery, useN == 0 ? 0 : useSum / useN, secondsTo90, maxPer10,
                frames == 0 ? 0 : (double) outside / frames, last.framesSent() - first.framesSent(),
                last.dropped() - first.dropped(), stepDowns.size(), decodeErrors);
    }

    /** From 5 s after a change of the link rate to the next change. */
    private static boolean steady(double t, List<Double> changes, double end) {
        for (double c : changes) {
            if (t >= c && t < c + 5) {
                return false;
            }
        }
        return t <= end;
    }

    /** After a capacity drop at {@code at} s: ms until the backlog is under the bound and stays so for 2 s. */
    private static long recoveryMs(List<Sample> s, double at) {
        double underSince = -1;
        for (Sample x : s) {
            if (x.t() < at) {
                continue;
            }
            if (x.backlogMs() < BACKLOG_BOUND_MS) {
                if (underSince < 0) {
                    underSince = x.t();
                }
                if (x.t() - underSince >= 2) {
                    return Math.round((underSince - at) * 1000);
                }
            } else {
                underSince = -1;
            }
        }
        return Long.MAX_VALUE;
    }
}
