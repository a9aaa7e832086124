package io.edgepush.agent.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.resilience.SegmentChecks;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Ffprobe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The invariants checked at the end of a chaos run (issue 12, item 2). Each check returns what it found wrong, one
 * line per violation; {@link #check} runs them all.
 */
final class Invariants {
    /** RSS and thread count over the last third must be within this share of the first third. */
    static final double MAX_DRIFT = 0.10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** FLV VIDEODATA byte 0 of an AVC keyframe (FrameType 1, CodecID 7); byte 1: 0 sequence header, 1 NALU. */
    private static final int AVC_KEYFRAME = 0x17;

    private Invariants() {
    }

    /** Every violation of every invariant, in the order of the list. */
    static List<String> check(ChaosResult r) {
        List<String> v = new ArrayList<>();
        if (!r.agentAlive()) {
            v.add("the agent was not alive at the end of the run");
        }
        v.addAll(recovery(r));
        v.addAll(segments(r.recordings()));
        v.addAll(frames(r));
        if (r.agentLog().contains("LEAK:")) {
            v.add("Netty's leak detector reported a leak (LEAK: in the agent log)");
        }
        v.addAll(drift(r));
        v.addAll(statusOrder(r.statusMessages()));
        v.addAll(secrets(r));
        return v;
    }

    /** After every fault each stream is streaming, frames flowing, within {@link ChaosRig#RECOVERY_DEADLINE_MS}. */
    static List<String> recovery(ChaosResult r) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < r.faults().size(); i++) {
            ChaosResult.Fault f = r.faults().get(i);
            for (String d : CameraFleet.DEVICES) {
                long ms = r.recoveryMs(i, d);
                if (ms < 0 || ms > ChaosRig.RECOVERY_DEADLINE_MS) {
                    v.add("fault " + (i + 1) + " " + f.kind().label() + " (" + f.target() + "): " + d + " back in "
                            + (ms < 0 ? "never (within its window)" : ms + " ms") + ", deadline "
                            + ChaosRig.RECOVERY_DEADLINE_MS + " ms");
                }
            }
        }
        return v;
    }

    /**
     * Every non-empty recording starts with the AVC sequence header and then a keyframe, and decodes with zero
     * errors (in the FLV's millisecond time base: the raw camera's frames carry arrival times). A recording with no
     * picture at all (a publish cut right after its sequence header) is allowed.
     */
    static List<String> segments(Path recordings) {
        List<String> v = new ArrayList<>();
        for (Path flv : flvFiles(recordings)) {
            List<byte[]> heads = SegmentChecks.videoTagHeads(flv, 2);
            if (heads.isEmpty()) {
                continue;
            }
            if ((heads.get(0)[0] & 0xFF) != AVC_KEYFRAME || heads.get(0)[1] != 0) {
                v.add(recordings.relativize(flv) + ": first video tag is not the AVC sequence header");
            } else if (heads.size() > 1 && ((heads.get(1)[0] & 0xFF) != AVC_KEYFRAME || heads.get(1)[1] != 1)) {
                v.add(recordings.relativize(flv) + ": first picture is not a keyframe");
            }
            String errors = Ffprobe.decodeErrorsVariableFrameRate(flv);
            if (!errors.isEmpty()) {
                v.add(recordings.relativize(flv) + ": decode errors: " + errors.lines().limit(3).toList());
            }
        }
        return v;
    }

    /** The non-empty .flv files under {@code dir}, sorted by path. */
    static List<Path> flvFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".flv") && size(f) > 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Per stream, in every /status reading: frames received = sent - re-sent + dropped (by reason) + still buffered
     * (the agent's ledger, read under one lock); and the agent never received more than the camera sent, with at most
     * one GOP per start carried over from before it (frames lost on the way, in a cut connection or a replugged
     * pty, are the difference).
     */
    static List<String> frames(ChaosResult r) {
        List<String> v = new ArrayList<>();
        for (StatusPoller.Sample sample : r.samples()) {
            sample.streams().forEach((d, s) -> {
                if (s.unaccounted() != 0 && v.size() < 20) {
                    v.add(d + " at " + sample.atMs() + ": received " + s.received() + " != sent " + s.totalFrames()
                            + " - resent " + s.resent() + " + dropped " + s.droppedByReason() + " + buffered "
                            + s.buffered());
                }
            });
        }
        StatusPoller.Sample last = r.lastSample();
        for (String d : CameraFleet.DEVICES) {
            StatusPoller.Stream s = last.streams().get(d);
            long camera = r.cameraFramesTotal().get(d);
            if (s == null) {
                v.add(d + ": not in the last /status page");
            } else if (s.received() > camera + CameraFleet.GOP_FRAMES) {
                v.add(d + ": the agent received " + s.received() + " frames, the camera sent " + camera);
            }
        }
        return v;
    }

    /** How many {@code stream_started} events {@code device} sent (one per publish that got going). */
    static long publishes(ChaosResult r, String device) {
        return r.statusMessages().stream().filter(m -> m.topic().equals("devices/" + device + "/stream/status"))
                .map(m -> parse(m.payload())).filter(j -> j != null && j.path("event").asText().equals(
                        "stream_started")).map(j -> j.toString()).distinct().count();
    }

    /** Mean RSS and thread count over the last third of the run within {@link #MAX_DRIFT} of the first third. */
    static List<String> drift(ChaosResult r) {
        List<String> v = new ArrayList<>();
        long third = (r.runEndMs() - r.runStartMs()) / 3;
        List<StatusPoller.Proc> first = StatusPoller.between(r.procs(), r.runStartMs(), r.runStartMs() + third);
        List<StatusPoller.Proc> last = StatusPoller.between(r.procs(), r.runEndMs() - third, r.runEndMs());
        if (first.isEmpty() || last.isEmpty()) {
            v.add("no /proc readings of the agent in the first or last third");
            return v;
        }
        double rss0 = mean(first, true);
        double rss1 = mean(last, true);
        double thr0 = mean(first, false);
        double thr1 = mean(last, false);
        if (Math.abs(rss1 - rss0) > MAX_DRIFT * rss0) {
            v.add(String.format("RSS drifted: %.0f KiB over the first third, %.0f KiB over the last", rss0, rss1));
        }
        if (Math.abs(thr1 - thr0) > MAX_DRIFT * thr0) {
            v.add(String.format("thread count drifted: %.1f over the first third, %.1f over the last", thr0, thr1));
        }
        return v;
    }

    static double mean(List<StatusPoller.Proc> procs, boolean rss) {
        return procs.stream().mapToDouble(p -> rss ? p.rssKb() : p.threads()).average().orElse(0);
    }

    /**
     * Per stream, status events arrive in order: timestamps never go back, and each {@code state_changed} starts
     * from the state the previous one ended in (a redelivered duplicate is skipped; after a
     * {@code status_events_dropped} the chain starts over, as events were lost by design).
     */
    static List<String> statusOrder(List<MqttTestClient.Received> messages) {
        List<String> v = new ArrayList<>();
        Map<String, Long> lastTimestamp = new HashMap<>();
        Map<String, Integer> lastState = new HashMap<>();
        Map<String, String> lastPayload = new HashMap<>();
        for (MqttTestClient.Received m : messages) {
            if (!m.topic().endsWith("/stream/status")) {
                continue;
            }
            JsonNode e = parse(m.payload());
            if (e == null) {
                v.add(m.topic() + ": a status message that is not JSON: " + m.payload());
                continue;
            }
            String key = m.topic() + " " + e.path("stream_name").asText();
            if (m.payload().equals(lastPayload.put(key, m.payload()))) {
                continue;
            }
            long ts = e.path("timestamp").asLong();
            Long prevTs = lastTimestamp.put(key, ts);
            if (prevTs != null && ts < prevTs) {
                v.add(key + ": event " + e.path("event").asText() + " at " + ts + " after one at " + prevTs);
            }
            switch (e.path("event").asText()) {
                case "status_events_dropped" -> lastState.remove(key);
                case "state_changed" -> {
                    Integer prev = lastState.put(key, e.path("state").asInt());
                    if (prev != null && prev != e.path("previous_state").asInt()) {
                        v.add(key + ": state_changed from " + e.path("previous_state").asInt()
                                + " but the previous one ended in " + prev + ": " + m.payload());
                    }
                }
                default -> {
                }
            }
        }
        return v;
    }

    /** No stream key or token in full in the agent's log, a status message or a /status page. */
    static List<String> secrets(ChaosResult r) {
        List<String> v = new ArrayList<>(r.pageLeaks().stream().distinct().toList());
        for (String secret : r.secrets()) {
            if (r.agentLog().contains(secret)) {
                v.add("the agent log shows " + masked(secret) + " in full");
            }
            for (MqttTestClient.Received m : r.statusMessages()) {
                if (m.payload().contains(secret)) {
                    v.add(m.topic() + " shows " + masked(secret) + " in full");
                    break;
                }
            }
        }
        return v;
    }

    /** A secret for a report: its first 4 characters. */
    static String masked(String secret) {
        return secret.substring(0, Math.min(4, secret.length())) + "***";
    }

    private static JsonNode parse(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }
}
