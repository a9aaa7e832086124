package io.edgepush.agent.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.simulator.camera.Clip;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One chaos run from start to verdict, shared by {@link ChaosTest} (90 s in {@code make test}) and {@link ChaosRun}
 * ({@code make chaos}): plans the faults from the seed, runs them on a {@link ChaosRig}, checks the
 * {@link Invariants}, writes {@code report.md} to the output directory, prints the report and fails listing every
 * violation.
 */
final class ChaosScenario {
    private ChaosScenario() {
    }

    /**
     * Runs the chaos run.
     *
     * @param runMs how long faults are injected, milliseconds
     * @param mustCover kinds planned first so each appears at least once if the run is long enough
     * @param out where logs, recordings and the report go (emptied first)
     */
    static ChaosResult run(long seed, long runMs, Set<FaultKind> mustCover, Path out) throws Exception {
        Peers.require("mosquitto");
        Peers.requireNginxRtmp();
        Peers.require("ffmpeg");
        Peers.require("ffprobe");
        Peers.require("socat");
        FaultPlan plan = FaultPlan.of(seed, runMs, Set.of(FaultKind.values()), mustCover,
                CameraFleet.CUTTABLE.size());
        Consumer<String> print = line -> System.out.println("chaos: " + line);
        print.accept("plan " + plan.faults().stream().map(f -> f.atMs() / 1000 + "s " + f.kind().label()).toList());
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        ChaosResult result;
        try (ChaosRig rig = ChaosRig.start(out, clip)) {
            result = rig.run(plan, print);
        }
        List<String> violations = Invariants.check(result);
        String report = ChaosReport.render(result, violations);
        Files.writeString(out.resolve("report.md"), report, StandardCharsets.UTF_8);
        System.out.println(report);
        assertTrue(violations.isEmpty(), "chaos run violations (report in " + out.resolve("report.md") + "):\n"
                + String.join("\n", violations));
        return result;
    }
}
