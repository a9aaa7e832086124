package io.edgepush.agent.chaos;

import java.util.Locale;

/**
 * The faults the chaos run injects (issue 12, item 2), each with how long it holds before it is cleared. A fault with
 * hold 0 is cleared as soon as its action is done (e.g. nginx is listening again after a kill).
 */
enum FaultKind {
    /** nginx-rtmp is stopped and started again on the same port; every stream loses its publish. */
    NGINX_KILL(0),
    /** nginx-rtmp is frozen with SIGSTOP for 20 s, then continued with SIGCONT. */
    NGINX_FREEZE(20_000),
    /** mosquitto is stopped and started again on the same port. */
    MOSQUITTO_RESTART(0),
    /**
     * The simulator cloud answers nothing for 30 s; nginx is restarted at the start so the streams whose endpoint
     * comes from the cloud have to ask it again while it is silent.
     */
    CLOUD_SILENT(30_000),
    /** As {@link #CLOUD_SILENT}, but the cloud answers with bytes that are not JSON, for 15 s. */
    CLOUD_GARBAGE(15_000),
    /** One TCP camera's connection is cut (the camera is closed) and the camera connects again. */
    CAMERA_CUT(0),
    /** The socat pty pair of the serial camera is stopped and re-created (an unplug and replug). */
    PTY_REPLUG(0),
    /** The link between agent and nginx (the throttle proxy) drops to 10% of its rate for 20 s. */
    LINK_THROTTLE(20_000);

    private final long holdMs;

    FaultKind(long holdMs) {
        this.holdMs = holdMs;
    }

    /** How long the fault holds after its action, milliseconds (0: cleared once the action is done). */
    long holdMs() {
        return holdMs;
    }

    /** Lower-case name for reports, e.g. {@code nginx_kill}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
