package io.edgepush.agent.cli;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigException;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.gateway.GatewayAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code agent run --config FILE}: the gateway daemon. A bad config prints the JSON path and the problem
 * and exits 2 before any camera is touched; SIGTERM or SIGINT unpublishes every stream and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway agent.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "agent config (JSON)")
    Path config;

    @Override
    public Integer call() {
        AgentConfig loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("config error in " + config + ": " + e.getMessage());
            return AgentMain.EXIT_USAGE;
        }
        GatewayAgent agent;
        try {
            agent = GatewayAgent.start(loaded);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return AgentMain.EXIT_FAILURE;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignals.onTermOrInt(stopRequested::countDown);
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.close();
        return 0;
    }
}
