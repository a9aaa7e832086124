package io.edgepush.simulator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar simulator.jar SUBCOMMAND ...} (DESIGN.md section 6): camera, cameras, stream-service, ingest,
 * broker, demo, throttle. Exit status 0 on a clean stop, 1 on a runtime failure, 2 on bad usage (with a message that
 * says what to fix). Every long-running subcommand stops cleanly on SIGTERM.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true, version = "edgepush simulator 0.1",
        description = "Simulated cameras, cloud stream service, RTMP ingest, MQTT broker and a throttled uplink for CI"
                + " and demos.",
        subcommands = {CameraCommand.class, CamerasCommand.class, StreamServiceCommand.class, IngestCommand.class,
            BrokerCommand.class, DemoCommand.class, ThrottleCommand.class})
public final class SimulatorMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its status (unless the JVM is already shutting down on a signal). */
    public static void main(String[] args) {
        quietLibraryLogs();
        int status = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (!Lifecycle.jvmShuttingDown()) {
            System.exit(status);
        }
    }

    /**
     * Parses and runs {@code args} without exiting.
     *
     * @return the exit status: 0 ok, 1 runtime failure, 2 bad usage
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SimulatorMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("simulator " + c.getCommandName() + ": " + e.getMessage());
            c.getErr().println("Try 'simulator " + (c == cli ? "" : c.getCommandName() + " ") + "--help'.");
            c.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("simulator " + commandLine.getCommandName() + ": " + e);
            commandLine.getErr().flush();
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("simulator: missing subcommand; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** HiveMQ and Netty are chatty at INFO; keep our own INFO lines readable. */
    private static void quietLibraryLogs() {
        System.setProperty("org.slf4j.simpleLogger.log.com.hivemq", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.migrations", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }
}
