package io.edgepush.agent.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.cloud.SeenRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chaos run's checks and report on made-up measurements (the run itself is {@link ChaosTest}). */
class InvariantsTest {
    private static final String TOPIC = "devices/CHAOS_TCP/stream/status";

    @Test
    void statusEventsInOrderPassAndEachKindOfDisorderIsNamed() {
        assertEquals(List.of(), Invariants.statusOrder(List.of(
                msg(changed(10, 2, 1)), msg(changed(10, 3, 2)), msg(changed(10, 3, 2)), msg(changed(11, 4, 3)),
                msg("{\"event\":\"status_events_dropped\",\"timestamp\":12,\"stream_name\":\"main\"}"),
                msg(changed(13, 3, 2)))), "in order; a duplicate is skipped; the chain starts over after a drop");
        List<String> v = Invariants.statusOrder(List.of(msg(changed(10, 3, 2)), msg(changed(11, 4, 2)),
                msg(changed(9, 3, 4)), msg("not json")));
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).contains("previous one ended in 3"), v.get(0));
        assertTrue(v.get(1).contains("at 9 after one at 11"), v.get(1));
        assertTrue(v.get(2).contains("not JSON"), v.get(2));
    }

    @Test
    void recoveryIsTheFirstStreamingSampleWithNewFramesAfterTheClearAndFeedsTheTable() {
        List<StatusPoller.Sample> samples = new ArrayList<>();
        samples.add(sample(1000, "streaming", 100));
        samples.add(sample(2000, "reconnecting", 100));
        samples.add(sample(3000, "streaming", 100));
        samples.add(sample(3500, "streaming", 130));
        samples.add(sample(9000, "streaming", 300));
        ChaosResult.Fault kill = new ChaosResult.Fault(FaultKind.NGINX_KILL, "nginx", 1500, 2500, frames(110));
        ChaosResult r = result(samples, List.of(kill), frames(330));
        for (String d : CameraFleet.DEVICES) {
            assertEquals(1000, r.recoveryMs(0, d), d + ": streaming with new frames 1000 ms after the clear");
        }
        assertEquals(List.of(), Invariants.recovery(r));
        assertEquals(4 * (220 - 200), ChaosReport.lost(r, 0), "camera 110 -> 330, agent 100 -> 300, per stream");
        assertTrue(ChaosReport.kindTable(r).contains("| nginx_kill | 1 | 1000 | 1000 | 80 | 0 |"),
                ChaosReport.kindTable(r));

        ChaosResult late = result(List.of(sample(1000, "streaming", 100), sample(9000, "streaming", 300)),
                List.of(kill), frames(330));
        assertEquals(4, Invariants.recovery(late).size(), "6500 ms is past the deadline: " + Invariants.recovery(late));
    }

    @Test
    void everyReadingMustAccountForEveryFrameReceived() {
        List<StatusPoller.Sample> samples = new ArrayList<>();
        samples.add(sample(1000, "streaming", 100));
        assertEquals(List.of(), Invariants.frames(result(samples, List.of(), frames(100))));
        Map<String, StatusPoller.Stream> streams = new LinkedHashMap<>(sample(2000, "streaming", 0).streams());
        String device = CameraFleet.DEVICES.get(0);
        streams.put(device, new StatusPoller.Stream("streaming", 150, Map.of("uplink", 5L, "not_published", 3L),
                190, 25, 57)); // 150 - 25 + 8 + 57 = 190
        samples.add(new StatusPoller.Sample(2000, streams));
        assertEquals(List.of(), Invariants.frames(result(samples, List.of(), frames(200))));
        Map<String, StatusPoller.Stream> unbalanced = new LinkedHashMap<>(streams);
        unbalanced.put(device, new StatusPoller.Stream("streaming", 150, Map.of("uplink", 5L), 190, 25, 57));
        samples.add(new StatusPoller.Sample(3000, unbalanced));
        List<String> v = Invariants.frames(result(samples, List.of(), frames(200)));
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).startsWith(device + " at 3000: received 190"), v.get(0));
        assertEquals(CameraFleet.DEVICES.size(), Invariants.frames(result(samples.subList(0, 1), List.of(), frames(10))).size(),
                "each stream received 100 of a camera that sent 10 (+ one GOP)");
    }

    @Test
    void driftOverTenPercentAndSecretsInFullAreViolations() {
        List<StatusPoller.Proc> procs = List.of(new StatusPoller.Proc(0, 100_000, 30),
                new StatusPoller.Proc(5000, 100_000, 30), new StatusPoller.Proc(8000, 120_000, 30));
        ChaosResult r = new ChaosResult(FaultPlan.of(1, 9000, Set.of(FaultKind.NGINX_KILL), Set.of(), 1), 0, 9000,
                List.of(), List.of(sample(0, "streaming", 0)), procs, frames(0), frames(0), true,
                List.of(msg("{\"event\":\"stream_started\",\"server_url\":\"rtmp://h/live/secret_key_1\"}")),
                "INFO key=secr***\nWARN token abcdef0123456789\n", Set.of("secret_key_1", "abcdef0123456789"),
                List.of(), Path.of("does-not-exist"), List.<SeenRequest.Outcome>of(), 0);
        assertEquals(List.of("RSS drifted: 100000 KiB over the first third, 120000 KiB over the last"),
                Invariants.drift(r));
        assertEquals(Set.of(TOPIC + " shows secr*** in full", "the agent log shows abcd*** in full"),
                Set.copyOf(Invariants.secrets(r)));
        assertEquals(List.of(), Invariants.segments(Path.of("does-not-exist")), "no recordings, nothing to check");
    }

    private static ChaosResult result(List<StatusPoller.Sample> samples, List<ChaosResult.Fault> faults,
            Map<String, Long> cameraAtEnd) {
        return new ChaosResult(FaultPlan.of(1, 9000, Set.of(FaultKind.NGINX_KILL), Set.of(), 1), 0, 9000, faults,
                samples, List.of(), cameraAtEnd, cameraAtEnd, true, List.of(), "", Set.of(), List.of(),
                Path.of("does-not-exist"), List.of(), 0);
    }

    private static StatusPoller.Sample sample(long atMs, String state, long frames) {
        Map<String, StatusPoller.Stream> streams = new LinkedHashMap<>();
        for (String d : CameraFleet.DEVICES) {
            streams.put(d, new StatusPoller.Stream(state, frames, Map.of("uplink", 0L), frames, 0, 0));
        }
        return new StatusPoller.Sample(atMs, streams);
    }

    private static Map<String, Long> frames(long n) {
        Map<String, Long> m = new LinkedHashMap<>();
        CameraFleet.DEVICES.forEach(d -> m.put(d, n));
        return m;
    }

    private static String changed(long ts, int state, int previous) {
        return "{\"event\":\"state_changed\",\"timestamp\":" + ts + ",\"stream_name\":\"main\",\"state\":" + state
                + ",\"previous_state\":" + previous + "}";
    }

    private static MqttTestClient.Received msg(String payload) {
        return new MqttTestClient.Received(TOPIC, payload, 1, false, null, null);
    }
}
