package io.edgepush.agent.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a clean stop: the daemon's main thread shuts down and the process exits
 * 0, instead of the JVM's default of running shutdown hooks and exiting 143/130. Where the JVM does not
 * let us handle a signal, a shutdown hook runs the same action (the exit status is then the JVM's).
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /** Runs {@code onStop} (once) when SIGTERM or SIGINT arrives; it must not block. */
    static void onTermOrInt(Runnable onStop) {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("event=signal signal=SIG{}", name);
                    onStop.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.warn("event=signal_unavailable signal=SIG{} error=\"{}\"", name, e.getMessage());
                Runtime.getRuntime().addShutdownHook(new Thread(onStop, "agent-shutdown"));
            }
        }
    }
}
