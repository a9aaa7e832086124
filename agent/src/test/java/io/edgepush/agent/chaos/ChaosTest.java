package io.edgepush.agent.chaos;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The 90 s chaos run of {@code make test} (issue 12, item 2): seed 1, a seeded subset of the faults that covers an
 * nginx kill, a camera cut and both cloud faults (silent, garbage). Report and logs in
 * {@code agent/target/chaos-test/}. {@link ChaosRun} is the long version.
 */
class ChaosTest {
    static final long SEED = 1;
    static final long RUN_MS = 90_000;

    @Test
    void ninetySecondsOfFaultsLeaveEveryInvariantStanding() throws Exception {
        ChaosScenario.run(SEED, RUN_MS, EnumSet.of(FaultKind.NGINX_KILL, FaultKind.CAMERA_CUT,
                FaultKind.CLOUD_SILENT, FaultKind.CLOUD_GARBAGE), Path.of("target", "chaos-test").toAbsolutePath());
    }
}
