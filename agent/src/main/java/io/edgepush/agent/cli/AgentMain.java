package io.edgepush.agent.cli;

import io.edgepush.agent.push.PushCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code agent} command line (DESIGN.md section 6): {@code run --config FILE},
 * {@code push --input FILE --url URL [--fps N] [--fast]}, {@code check-config FILE} (validates, starts nothing) and
 * {@code status [--url URL | --config FILE]} (the running agent's streams as a table, {@link StatusCommand}).
 * Exit status 0 on success, 1 on a runtime failure, 2 on bad usage or a bad config (with a message naming what to
 * fix).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, version = "edgepush agent 0.1",
        description = "Edge push agent: camera streams to RTMP, controlled over MQTT 5.",
        subcommands = {RunCommand.class, PushCommand.class, CheckConfigCommand.class, StatusCommand.class})
public final class AgentMain implements Runnable {
    /** Exit status for bad usage or a bad config. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a runtime failure. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status instead of exiting (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new AgentMain());
        // picocli asks this mapper for ParameterExceptions too: usage errors must stay 2.
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use run, push, check-config or status");
    }
}
