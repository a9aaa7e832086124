package io.edgepush.agent.session;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The connection failures of one {@link StreamSession} since the session was made (the agent's lifetime: a stop or
 * start does not reset them), counted by error code, and the reconnects they led to. A failure is what the session
 * reports as {@code connection_error} (DESIGN.md section 3): an endpoint request or a publish that failed, or a live
 * publish that broke; its code is the event's {@code error_code} (e.g. {@code RTMP_CONNECT_REFUSED},
 * {@code ENDPOINT_ERROR}). A reconnect is a failure after which the session planned another try (reconnecting, or a
 * probe while in error); a failure that gives up ({@code auto_reconnect} off, or the retry budget used up without
 * probing) is not one.
 *
 * <p>Written on the session's control thread, read from any thread ({@code /metrics}, {@code /status}).
 */
public final class ConnectionErrors {

    /**
     * A reading.
     *
     * @param byCode     failures per error code, sorted by code; unmodifiable; empty when none
     * @param reconnects failures after which another try was planned
     */
    public record Reading(Map<String, Long> byCode, long reconnects) {
        /** No failure yet. */
        public static final Reading NONE = new Reading(Map.of(), 0);

        /** Copies {@code byCode} into an unmodifiable map sorted by code. */
        public Reading {
            byCode = Collections.unmodifiableMap(new TreeMap<>(byCode));
        }
    }

    /**
     * The most distinct codes counted apart; later new codes count under {@link #OTHER}. Codes may come from the
     * cloud's endpoint answer, so their number is not ours to bound: each is a Prometheus series.
     */
    public static final int MAX_CODES = 32;
    /** Where codes beyond {@link #MAX_CODES} are counted. */
    public static final String OTHER = "OTHER";

    private final Map<String, Long> byCode = new TreeMap<>();
    private long reconnects;

    /**
     * Counts one failure.
     *
     * @param errorCode the failure's error code; null is counted as {@code UNKNOWN}, a new code once
     *                  {@link #MAX_CODES} - 1 are counted as {@link #OTHER}
     * @param retrying  true when the session plans another try after it (counted as a reconnect)
     */
    public synchronized void record(String errorCode, boolean retrying) {
        String code = errorCode == null ? "UNKNOWN" : errorCode;
        if (!byCode.containsKey(code) && byCode.size() >= MAX_CODES - 1) {
            code = OTHER;
        }
        byCode.merge(code, 1L, Long::sum);
        if (retrying) {
            reconnects++;
        }
    }

    /** The counts so far (a copy). */
    public synchronized Reading read() {
        return byCode.isEmpty() && reconnects == 0 ? Reading.NONE : new Reading(byCode, reconnects);
    }
}
