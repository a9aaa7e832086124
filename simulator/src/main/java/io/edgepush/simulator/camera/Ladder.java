package io.edgepush.simulator.camera;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The rungs a ladder camera can play and which one it plays for a requested encoder setting. Pure: no clips, no
 * I/O (see {@link ClipLadder}); immutable and thread-safe.
 *
 * <p>{@link #choose} picks the rung that minimises, in this order (lexicographically):
 * <ol>
 *   <li>whether its bitrate exceeds the requested bitrate (rungs at or below the request first, like an encoder
 *       that never goes over its target);</li>
 *   <li>{@code |ln(rung pixels / requested pixels)|} (the closest picture size by ratio);</li>
 *   <li>{@code |rung fps - requested fps|};</li>
 *   <li>{@code |requested bitrate - rung bitrate|};</li>
 * </ol>
 * and on a full tie the higher rung ({@link LadderRung#HIGHEST_FIRST}).
 */
public final class Ladder {
    /** Lowest SET_BITRATE accepted, bits per second (1 kbps); 0 and less are INVALID_VALUE. */
    public static final long MIN_BITRATE_BPS = 1_000;
    /** Highest SET_BITRATE accepted, bits per second (1 Gbps); more is INVALID_VALUE. */
    public static final long MAX_BITRATE_BPS = 1_000_000_000;

    private final List<LadderRung> rungs;

    /**
     * A ladder of {@code rungs} (any order).
     *
     * @throws IllegalArgumentException if there is no rung or the same rung is given twice
     */
    public Ladder(List<LadderRung> rungs) {
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        if (new HashSet<>(rungs).size() != rungs.size()) {
            throw new IllegalArgumentException("a ladder has each rung once, got " + rungs);
        }
        this.rungs = rungs.stream().sorted(LadderRung.HIGHEST_FIRST).toList();
    }

    /** The rungs, highest first ({@link LadderRung#HIGHEST_FIRST}); immutable. */
    public List<LadderRung> rungs() {
        return rungs;
    }

    /** The rung a camera starts on: highest bitrate; ties: most pixels, then highest fps. */
    public LadderRung highest() {
        return rungs.get(0);
    }

    /** The rung to play for {@code requested}: see the class comment for the order of criteria. */
    public LadderRung choose(Request requested) {
        Objects.requireNonNull(requested, "requested");
        Comparator<LadderRung> fit = Comparator
                .comparingInt((LadderRung r) -> r.bitrateBps() > requested.bitrateBps() ? 1 : 0)
                .thenComparing((a, b) -> compareSizeDistance(a.pixels(), b.pixels(), requested.pixels()))
                .thenComparingInt(r -> Math.abs(r.fps() - requested.fps()))
                .thenComparingLong(r -> Math.abs(requested.bitrateBps() - r.bitrateBps()));
        LadderRung best = rungs.get(0);
        for (LadderRung r : rungs) {
            if (fit.compare(r, best) < 0) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Compares |ln(a / q)| with |ln(b / q)| exactly: |ln(x / q)| = ln(max / min), and max_a / min_a vs max_b / min_b
     * is compared by cross multiplication (pixel counts are below 2^27, so the products fit a long).
     */
    private static int compareSizeDistance(long a, long b, long q) {
        long aMax = Math.max(a, q);
        long aMin = Math.min(a, q);
        long bMax = Math.max(b, q);
        long bMin = Math.min(b, q);
        return Long.compare(aMax * bMin, bMax * aMin);
    }

    @Override
    public String toString() {
        return "Ladder" + rungs.stream().map(LadderRung::name).toList();
    }

    /**
     * The encoder setting a camera was asked for by CONTROL (PROTOCOL.md section 3.5): SET_BITRATE, SET_FPS and
     * SET_RESOLUTION change one field, SET_PRESET all four ({@link #preset}).
     *
     * @param width      pixels, {@value LadderRung#MIN_SIDE_PIXELS}..{@value LadderRung#MAX_SIDE_PIXELS}
     * @param height     pixels, {@value LadderRung#MIN_SIDE_PIXELS}..{@value LadderRung#MAX_SIDE_PIXELS}
     * @param fps        frames per second, 1..{@value LadderRung#MAX_FPS}
     * @param bitrateBps bits per second, {@value Ladder#MIN_BITRATE_BPS}..{@value Ladder#MAX_BITRATE_BPS}
     * @throws IllegalArgumentException if a field is out of range (the camera answers INVALID_VALUE)
     */
    public record Request(int width, int height, int fps, long bitrateBps) {
        public Request {
            LadderRung.checkSide(width, "width");
            LadderRung.checkSide(height, "height");
            LadderRung.checkFps(fps);
            if (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS) {
                throw new IllegalArgumentException("bitrate must be " + MIN_BITRATE_BPS + ".." + MAX_BITRATE_BPS
                        + " bps, got " + bitrateBps);
            }
        }

        /** The setting {@code rung} was made with (a camera's initial request is its highest rung). */
        public static Request of(LadderRung rung) {
            return new Request(rung.width(), rung.height(), rung.fps(), rung.bitrateBps());
        }

        /**
         * The SET_PRESET setting of DESIGN.md section 4: 0 low 640x480 15 fps 500 kbps, 1 medium 1280x720 20 fps
         * 1 Mbps, 2 high 1920x1080 25 fps 2 Mbps, 3 ultra 1920x1080 30 fps 4 Mbps.
         *
         * @throws IllegalArgumentException for any other code
         */
        public static Request preset(long code) {
            if (code == 0) {
                return new Request(640, 480, 15, 500_000);
            } else if (code == 1) {
                return new Request(1280, 720, 20, 1_000_000);
            } else if (code == 2) {
                return new Request(1920, 1080, 25, 2_000_000);
            } else if (code == 3) {
                return new Request(1920, 1080, 30, 4_000_000);
            }
            throw new IllegalArgumentException("preset must be 0 low, 1 medium, 2 high or 3 ultra, got " + code);
        }

        /** SET_BITRATE. @throws IllegalArgumentException if out of range */
        public Request withBitrateBps(long bps) {
            return new Request(width, height, fps, bps);
        }

        /** SET_FPS. @throws IllegalArgumentException if out of range */
        public Request withFps(long framesPerSecond) {
            LadderRung.checkFps(framesPerSecond);
            return new Request(width, height, (int) framesPerSecond, bitrateBps);
        }

        /**
         * SET_RESOLUTION with its wire value {@code (width << 16) | height}.
         *
         * @throws IllegalArgumentException if either side is out of range (0 included)
         */
        public Request withResolutionValue(long value) {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("resolution value must be a u32, got " + value);
            }
            return new Request((int) (value >>> 16), (int) (value & 0xFFFF), fps, bitrateBps);
        }

        /** Pixels per picture asked for. */
        public long pixels() {
            return (long) width * height;
        }
    }
}
