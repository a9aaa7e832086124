package io.edgepush.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Runs a command-line call with {@code System.out} and {@code System.err} captured, then restores them.
 * The agent's logger (slf4j-simple, target System.err) writes into the captured stderr as well.
 *
 * @param exitCode what the call returned
 * @param stdout everything printed to System.out during the call (UTF-8)
 * @param stderr everything printed to System.err during the call (UTF-8)
 */
public record StdStreams(int exitCode, String stdout, String stderr) {

    /** Calls {@code call} with both standard streams captured. */
    public static synchronized StdStreams capture(IntSupplier call) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            exit = call.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new StdStreams(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code AgentMain.execute(args)} with both standard streams captured. */
    public static StdStreams agent(String... args) {
        return capture(() -> AgentMain.execute(args));
    }

    /** For assertion messages: exit code and both streams. */
    public String describe() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
