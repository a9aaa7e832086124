package io.edgepush.simulator.cli;

import io.edgepush.simulator.link.LinkTrace;
import io.edgepush.simulator.link.ThrottleOptions;
import io.edgepush.simulator.link.ThrottleProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulator throttle}: a {@link ThrottleProxy} between the agent and an RTMP server, at a fixed rate or
 * following a {@link LinkTrace}, until SIGTERM. Prints one line per second: elapsed seconds, the rate, what was
 * delivered to the target over the last second, the bottleneck queue.
 */
@Command(name = "throttle", mixinStandardHelpOptions = true,
        description = "A TCP proxy emulating a bad uplink (token-bucket rate, one-way delay, a small router queue)"
                + " between the agent and an RTMP server, until SIGTERM. Prints one line per second:"
                + " elapsed_s rate_kbps delivered_kbps queue_bytes.")
final class ThrottleCommand implements Callable<Integer> {
    /** Largest --rate-kbps: 100 Gbit/s. */
    static final long MAX_RATE_KBPS = 100_000_000;
    /** Largest --queue-bytes: 1 GiB. */
    static final int MAX_QUEUE_BYTES = 1 << 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
            description = "address the agent connects to, e.g. 127.0.0.1:19350")
    String listen;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
            description = "the RTMP server, e.g. 127.0.0.1:1935")
    String target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Rate rate;

    /** A fixed rate or a trace. */
    static final class Rate {
        @Option(names = "--rate-kbps", required = true, paramLabel = "N",
                description = "uplink rate in kbit/s (0 = paused)")
        long rateKbps;

        @Option(names = "--trace", required = true, paramLabel = "FILE",
                description = "rate over time: lines 'SECONDS RATE_KBPS' (# comments); the last rate holds")
        Path trace;
    }

    @Option(names = "--delay-ms", paramLabel = "D", defaultValue = "0",
            description = "one-way delay in ms, added in each direction (default ${DEFAULT-VALUE})")
    long delayMs;

    @Option(names = "--queue-bytes", paramLabel = "B", defaultValue = "" + ThrottleOptions.DEFAULT_QUEUE_BYTES,
            description = "bottleneck (router) queue in bytes; reading from the agent stops while it is full"
                    + " (default ${DEFAULT-VALUE})")
    int queueBytes;

    @Override
    public Integer call() throws Exception {
        Address listenAt = Options.address(spec, listen, "--listen");
        Address targetAt = Options.address(spec, target, "--target");
        Options.checkRange(spec, delayMs, 0, ThrottleOptions.MAX_DELAY_MS, "--delay-ms");
        Options.checkRange(spec, queueBytes, 1, MAX_QUEUE_BYTES, "--queue-bytes");
        LinkTrace trace = null;
        long rateBps;
        if (rate.trace != null) {
            trace = Options.linkTrace(spec, rate.trace, "--trace");
            rateBps = trace.steps().get(0).rateBps();
        } else {
            Options.checkRange(spec, rate.rateKbps, 0, MAX_RATE_KBPS, "--rate-kbps");
            rateBps = rate.rateKbps * 1000;
        }
        ThrottleOptions options = new ThrottleOptions(listenAt.host(), listenAt.port(), targetAt.host(),
                targetAt.port(), rateBps, delayMs, queueBytes);

        PrintWriter out = spec.commandLine().getOut();
        Lifecycle life = new Lifecycle();
        ThrottleProxy proxy;
        try {
            proxy = life.add(ThrottleProxy.start(options));
        } catch (IOException e) {
            life.stop();
            spec.commandLine().getErr().println("simulator throttle: " + e.getMessage());
            return 1;
        }
        if (trace != null) {
            life.add(proxy.runTrace(trace));
        }
        out.println("throttle proxy listening on " + listenAt + " -> " + targetAt + ", "
                + (trace == null ? LinkTrace.kbps(rateBps) + " kbps" : "trace " + rate.trace + " (" + trace + ")")
                + ", delay " + delayMs + " ms, queue " + queueBytes + " bytes");
        out.println("elapsed_s rate_kbps delivered_kbps queue_bytes");
        out.flush();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "throttle-report");
            t.setDaemon(true);
            return t;
        });
        life.add(ticker::shutdownNow);
        Report report = new Report(System.nanoTime(), proxy.bytesDelivered());
        ticker.scheduleAtFixedRate(() -> {
            out.println(report.next(System.nanoTime(), proxy.rateBps(), proxy.bytesDelivered(), proxy.queuedBytes()));
            out.flush();
        }, 1, 1, TimeUnit.SECONDS);
        life.await();
        out.println("delivered " + proxy.bytesDelivered() + " of " + proxy.bytesReceived() + " bytes received");
        out.flush();
        return 0;
    }

    /** The once-a-second line: a pure function of the samples, so it is testable without a clock. */
    static final class Report {
        private final long startNanos;
        private long lastNanos;
        private long lastDeliveredBytes;

        Report(long startNanos, long deliveredBytes) {
            this.startNanos = startNanos;
            this.lastNanos = startNanos;
            this.lastDeliveredBytes = deliveredBytes;
        }

        /**
         * "ELAPSED_S RATE_KBPS DELIVERED_KBPS QUEUE_BYTES" for a sample taken at {@code nowNanos}, delivered kbit/s
         * measured since the previous sample, e.g. "12 800 792.4 65536".
         */
        String next(long nowNanos, long rateBps, long deliveredBytes, long queueBytes) {
            long intervalNanos = Math.max(1, nowNanos - lastNanos);
            double deliveredKbps = (deliveredBytes - lastDeliveredBytes) * 8e6 / intervalNanos;
            lastNanos = nowNanos;
            lastDeliveredBytes = deliveredBytes;
            long elapsedS = Math.round((nowNanos - startNanos) / 1e9);
            return String.format(Locale.ROOT, "%d %s %.1f %d", elapsedS, LinkTrace.kbps(rateBps), deliveredKbps,
                    queueBytes);
        }
    }
}
