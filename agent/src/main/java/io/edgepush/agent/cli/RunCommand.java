package io.edgepush.agent.cli;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigException;
import io.edgepush.agent.gateway.GatewayAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code agent run --config FILE}: the gateway daemon. A bad config prints the JSON path and the problem
 * and exits 2 before any camera is touched. SIGTERM or SIGINT (DESIGN.md section 6) stops it cleanly: every stream
 * unpublished with {@code stream_stopped}, retained offline presence for the gateway and each connected camera,
 * exit status 0 within 5 s ({@link GatewayAgent#close()} works to a 4 s budget). Should the stop still be
 * running {@value #STOP_WATCHDOG_MS} ms after the signal (a bug), a watchdog logs {@code event=shutdown_forced} and
 * halts the JVM with status 1, so a supervisor never waits on a hung agent.
 *
 * <p>In a terminal ({@link LiveView#terminalAttached()}) a block under the log shows one line per stream,
 * refreshed every second ({@link LiveView}), until the stop signal; {@code --no-live-view} turns it off. Without a
 * terminal (systemd, a pipe, a file) the output is plain log lines.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway agent.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** From the stop signal to a forced exit if the clean stop has not finished. */
    static final long STOP_WATCHDOG_MS = 4600;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "agent config (JSON)")
    Path config;

    @Option(names = "--no-live-view", description = "in a terminal, do not show the refreshing per-stream lines "
            + "under the log (without a terminal there are none anyway)")
    boolean noLiveView;

    @Override
    public Integer call() {
        AgentConfig loaded;
        try {
            loaded = CheckConfigCommand.load(config);
        } catch (ConfigException e) {
            System.err.println("config error in " + config + ": " + e.getMessage());
            return AgentMain.EXIT_USAGE;
        }
        // Signals from here on stop the agent cleanly (one arriving during start-up stops it right after).
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignals.onTermOrInt(stopRequested::countDown);
        GatewayAgent agent;
        try {
            agent = GatewayAgent.start(loaded);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return AgentMain.EXIT_FAILURE;
        }
        LiveView view = !noLiveView && LiveView.terminalAttached()
                ? LiveView.start(agent::statusJson, System.err, LiveView.terminalWidth()) : null;
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (view != null) {
            view.close(); // the shutdown's log lines follow as plain lines
        }
        startWatchdog();
        agent.close();
        return 0;
    }

    private static void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(STOP_WATCHDOG_MS);
            } catch (InterruptedException e) {
                return;
            }
            log.error("event=shutdown_forced after_ms={} reason=\"clean stop did not finish\"", STOP_WATCHDOG_MS);
            Runtime.getRuntime().halt(AgentMain.EXIT_FAILURE);
        }, "agent-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
