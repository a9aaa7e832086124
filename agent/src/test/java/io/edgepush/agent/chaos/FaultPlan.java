package io.edgepush.agent.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded schedule of faults: the same seed and length always give the same plan. Faults start 15 to 30 s apart
 * (start to start, drawn from the seed), but never sooner than {@link #MIN_GAP_AFTER_CLEAR_MS} after the previous
 * fault cleared, so every fault is measured on its own. The first fault starts {@link #FIRST_FAULT_MS} into the
 * run. The kinds in {@code mustCover} come first, in a seeded order and at the shortest spacing, so each appears at
 * least once when the run is long enough (90 s fit four kinds whose holds add up to 45 s); the rest are drawn from
 * {@code kinds} at random. A fault is planned only if it starts before the end
 * of the run (it may clear after it).
 *
 * @param faults the planned faults, in start order
 */
record FaultPlan(long seed, long runMs, List<Planned> faults) {
    /** When the first fault starts, milliseconds into the run (all streams are up by then). */
    static final long FIRST_FAULT_MS = 5_000;
    static final long MIN_SPACING_MS = 15_000;
    static final long MAX_SPACING_MS = 30_000;
    /** Quiet time after a fault clears before the next may start (recovery is measured in it). */
    static final long MIN_GAP_AFTER_CLEAR_MS = 8_000;

    /**
     * One planned fault.
     *
     * @param atMs start, milliseconds into the run
     * @param kind what is injected
     * @param target which camera a {@link FaultKind#CAMERA_CUT} cuts (an index the rig maps to a camera); else 0
     */
    record Planned(long atMs, FaultKind kind, int target) {
    }

    FaultPlan {
        faults = List.copyOf(faults);
    }

    /**
     * Plans faults for a run of {@code runMs}.
     *
     * @param kinds the kinds to draw from once {@code mustCover} is used up (non-empty)
     * @param mustCover kinds planned first, each once, in a seeded order
     * @param targets how many cameras a {@link FaultKind#CAMERA_CUT} may pick from (at least 1)
     */
    static FaultPlan of(long seed, long runMs, Set<FaultKind> kinds, Set<FaultKind> mustCover, int targets) {
        if (kinds.isEmpty() || targets < 1) {
            throw new IllegalArgumentException("need at least one kind and one target");
        }
        Random random = new Random(seed);
        List<FaultKind> first = new ArrayList<>(mustCover.stream().sorted().toList());
        Collections.shuffle(first, random);
        List<FaultKind> pool = new ArrayList<>(EnumSet.copyOf(kinds));
        List<Planned> faults = new ArrayList<>();
        long at = FIRST_FAULT_MS;
        while (at < runMs) {
            FaultKind kind = !first.isEmpty() ? first.remove(0) : pool.get(random.nextInt(pool.size()));
            faults.add(new Planned(at, kind, random.nextInt(targets)));
            long drawn = MIN_SPACING_MS + (long) (random.nextDouble() * (MAX_SPACING_MS - MIN_SPACING_MS));
            long spacing = first.isEmpty() ? drawn : MIN_SPACING_MS;
            at = Math.max(at + spacing, at + kind.holdMs() + MIN_GAP_AFTER_CLEAR_MS);
        }
        return new FaultPlan(seed, runMs, faults);
    }

    /** How many faults of {@code kind} are planned. */
    long count(FaultKind kind) {
        return faults.stream().filter(f -> f.kind() == kind).count();
    }
}
