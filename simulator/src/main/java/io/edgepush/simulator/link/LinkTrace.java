package io.edgepush.simulator.link;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A link rate over time, as steps: from each step's time on, its rate holds until the next step; after the last step
 * its rate holds for ever. Immutable and thread-safe.
 *
 * <p>Text form, one step per line: {@code SECONDS RATE_KBPS}, e.g. {@code 12.5 800}: from 12.5 s after the trace
 * starts, 800 kbit/s (1 kbit = 1000 bit). Both are non-negative decimals; 0 kbps pauses the link. The first step must
 * be at 0 s (so the rate is known from the start); times must not decrease (two steps at the same time: the later
 * line wins). {@code #} starts a comment, to the end of the line; blank lines are ignored.
 * <pre>
 * # seconds  rate_kbps
 * 0    4000
 * 30   1200   # the uplink degrades
 * 60   0      # outage
 * 65   4000
 * </pre>
 */
public final class LinkTrace {
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal BPS_PER_KBPS = BigDecimal.valueOf(1_000L);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(365L * 24 * 3600);

    private final List<Step> steps;

    /**
     * One step of a trace.
     *
     * @param at time since the trace started, not negative
     * @param rateBps the rate from then on, bits per second; 0 = paused
     */
    public record Step(Duration at, long rateBps) {
        public Step {
            Objects.requireNonNull(at, "at");
            if (at.isNegative()) {
                throw new IllegalArgumentException("at must not be negative, got " + at);
            }
            LinkShaper.checkRate(rateBps);
        }
    }

    private LinkTrace(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * A trace from steps.
     *
     * @throws IllegalArgumentException if there are no steps, the first is not at 0, or times decrease
     */
    public static LinkTrace of(List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one step");
        }
        if (!steps.get(0).at().isZero()) {
            throw new IllegalArgumentException("the first step must be at 0 s, got " + steps.get(0).at());
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).at().compareTo(steps.get(i - 1).at()) < 0) {
                throw new IllegalArgumentException("step times must not decrease: " + steps.get(i).at() + " after "
                        + steps.get(i - 1).at());
            }
        }
        return new LinkTrace(steps);
    }

    /**
     * Reads a trace file (UTF-8).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException "FILE line N: ..." for the first bad line, or "FILE: ..." for an empty trace
     */
    public static LinkTrace read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses the text form.
     *
     * @param source what to call the text in messages, e.g. its file name
     * @throws IllegalArgumentException "SOURCE line N: ..." for the first bad line, or "SOURCE: ..." for an empty trace
     */
    public static LinkTrace parse(String text, String source) {
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (content.isEmpty()) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] fields = content.split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException(where + "expected 'SECONDS RATE_KBPS', got '" + content + "'");
            }
            BigDecimal seconds = decimal(fields[0], where + "seconds");
            BigDecimal kbps = decimal(fields[1], where + "rate_kbps");
            if (seconds.compareTo(MAX_SECONDS) > 0) {
                throw new IllegalArgumentException(where + "seconds must be at most " + MAX_SECONDS + ", got "
                        + fields[0]);
            }
            BigDecimal bps = kbps.multiply(BPS_PER_KBPS);
            if (bps.compareTo(BigDecimal.valueOf(LinkShaper.MAX_RATE_BPS)) > 0) {
                throw new IllegalArgumentException(where + "rate_kbps must be at most "
                        + LinkShaper.MAX_RATE_BPS / 1000 + ", got " + fields[1]);
            }
            Duration at = Duration.ofNanos(seconds.multiply(NANOS_PER_SECOND).longValue());
            if (steps.isEmpty() && !at.isZero()) {
                throw new IllegalArgumentException(where + "the first step must be at 0 seconds, got " + fields[0]);
            }
            if (!steps.isEmpty() && at.compareTo(steps.get(steps.size() - 1).at()) < 0) {
                throw new IllegalArgumentException(where + "seconds must not decrease, got " + fields[0] + " after "
                        + seconds(steps.get(steps.size() - 1).at()));
            }
            steps.add(new Step(at, bps.setScale(0, RoundingMode.HALF_UP).longValueExact()));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(source + ": no steps (expected lines of 'SECONDS RATE_KBPS')");
        }
        return new LinkTrace(steps);
    }

    /** A non-negative plain decimal ("12", "0.5"); not NaN, exponents, signs or hex. */
    private static BigDecimal decimal(String text, String what) {
        if (!text.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            throw new IllegalArgumentException(what + " must be a non-negative decimal number, got '" + text + "'");
        }
        return new BigDecimal(text);
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    /** The steps, in order (at least one, the first at 0). */
    public List<Step> steps() {
        return steps;
    }

    /** When the last step starts; from then on its rate holds. */
    public Duration lastStepAt() {
        return steps.get(steps.size() - 1).at();
    }

    /**
     * The rate at a time since the trace started: the rate of the last step at or before it.
     *
     * @param sinceStart time since the start; negative times give the first step's rate
     * @return bits per second
     */
    public long rateBpsAt(Duration sinceStart) {
        long rate = steps.get(0).rateBps();
        for (Step s : steps) {
            if (s.at().compareTo(sinceStart) > 0) {
                break;
            }
            rate = s.rateBps();
        }
        return rate;
    }

    /** As {@link #rateBpsAt(Duration)} with a time in seconds (for reports). */
    public long rateBpsAt(double seconds) {
        return rateBpsAt(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** "1200", "0.5": a rate in bits per second written in kbit/s without trailing zeros (for logs and reports). */
    public static String kbps(long rateBps) {
        return BigDecimal.valueOf(rateBps, 3).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "LinkTrace(" + steps.size() + " steps over " + seconds(lastStepAt()) + " s)";
    }
}
