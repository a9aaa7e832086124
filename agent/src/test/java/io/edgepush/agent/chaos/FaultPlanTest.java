package io.edgepush.agent.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
    private static final Set<FaultKind> ALL = EnumSet.allOf(FaultKind.class);

    @Test
    void sameSeedSamePlanAndEveryKindInTenMinutes() {
        FaultPlan a = FaultPlan.of(1, 600_000, ALL, ALL, 3);
        assertEquals(a, FaultPlan.of(1, 600_000, ALL, ALL, 3), "seeded");
        assertNotEquals(a.faults(), FaultPlan.of(2, 600_000, ALL, ALL, 3).faults(), "another seed, another plan");
        for (FaultKind k : FaultKind.values()) {
            assertTrue(a.count(k) >= 1, k + " planned at least once: " + a);
        }
        for (int i = 1; i < a.faults().size(); i++) {
            FaultPlan.Planned prev = a.faults().get(i - 1);
            long gap = a.faults().get(i).atMs() - prev.atMs();
            assertTrue(gap >= FaultPlan.MIN_SPACING_MS && gap >= prev.kind().holdMs()
                    + FaultPlan.MIN_GAP_AFTER_CLEAR_MS, "spacing " + gap + " after " + prev);
            assertTrue(a.faults().get(i).atMs() < 600_000, "starts within the run");
        }
    }

    @Test
    void ninetySecondsCoverTheRequiredKindsForAnySeed() {
        Set<FaultKind> must = EnumSet.of(FaultKind.NGINX_KILL, FaultKind.CAMERA_CUT, FaultKind.CLOUD_SILENT,
                FaultKind.CLOUD_GARBAGE);
        for (long seed = 0; seed < 200; seed++) {
            FaultPlan p = FaultPlan.of(seed, 90_000, ALL, must, 3);
            for (FaultKind k : must) {
                assertTrue(p.count(k) >= 1, "seed " + seed + ": " + k + " in " + p);
            }
        }
    }

    @Test
    void rejectsNoKindsOrNoTargets() {
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.of(1, 1000, Set.of(), Set.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.of(1, 1000, ALL, Set.of(), 0));
    }
}
