package io.edgepush.agent.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What starts a stream (DESIGN.md section 4). */
public enum Trigger {
    /** Started by the operator (CLI/API) only. */
    MANUAL,
    /** Starts on a camera motion event, stops post_roll_sec after the last one; pre-roll GOPs are sent first. */
    MOTION_BASED,
    /** Started and stopped by a schedule. */
    SCHEDULED,
    /** Streams whenever the camera is connected. */
    ALWAYS_ON,
    /** Started by an MQTT {@code start} command. */
    ON_DEMAND;

    /** The name used in JSON: {@code "manual"}, {@code "motion_based"}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name (exact, lower case).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Trigger fromWireName(String name) {
        for (Trigger t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown trigger \"" + name + "\" (valid: " + validNames() + ")");
    }

    /** Comma-separated wire names, for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(Trigger::wireName).collect(Collectors.joining(", "));
    }
}
