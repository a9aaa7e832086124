package io.edgepush.agent.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The config's enum values as they are written in JSON and MQTT: the constant's name in lower case
 * ({@code MOTION_BASED} is {@code "motion_based"}). One place for the naming rule, the exact-match parse and the
 * error message that lists the valid names.
 */
final class WireNames {
    private WireNames() {
    }

    /** The wire name of {@code value}: its name in lower case. */
    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code values} whose wire name is {@code name} (exact, lower case).
     *
     * @param what the key's name for the message, e.g. {@code trigger}
     * @throws IllegalArgumentException {@code unknown WHAT "NAME" (valid: a, b, ...)}
     */
    static <E extends Enum<E>> E parse(E[] values, String name, String what) {
        for (E e : values) {
            if (of(e).equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " \"" + name + "\" (valid: " + list(values) + ")");
    }

    /** Comma-separated wire names, for error messages. */
    static String list(Enum<?>[] values) {
        return Arrays.stream(values).map(WireNames::of).collect(Collectors.joining(", "));
    }
}
