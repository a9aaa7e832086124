package io.edgepush.agent.chaos;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * {@code make chaos}: the long chaos run, every fault kind at least once. Named without "Test" so {@code make test}
 * leaves it alone; run it with {@code -Dtest=ChaosRun}. System properties: {@code chaos.seconds} (600),
 * {@code chaos.seed} (1), {@code chaos.out} (out/chaos at the repository root). Prints the report and writes it to
 * {@code report.md} there, with the agent's log and the recordings.
 */
class ChaosRun {
    @Test
    void chaos() throws Exception {
        long seconds = Long.getLong("chaos.seconds", 600);
        long seed = Long.getLong("chaos.seed", 1);
        Path out = Path.of(System.getProperty("chaos.out", "../out/chaos")).toAbsolutePath().normalize();
        ChaosScenario.run(seed, seconds * 1000, EnumSet.allOf(FaultKind.class), out);
    }
}
