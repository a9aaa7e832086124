package io.edgepush.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Copies everything written to {@code System.err} (where the agent's slf4j-simple logger writes) into a buffer
 * while open, still passing it on to the previous stream; {@link #close()} restores that stream. For tests that
 * assert on log lines of code running on background threads (one capture at a time per JVM).
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream previous;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private LogCapture() {
        previous = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
                previous.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                previous.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything logged since {@link #start()}. */
    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The lines logged so far that contain {@code fragment}. */
    public List<String> lines(String fragment) {
        return Arrays.stream(text().split("\n")).filter(l -> l.contains(fragment)).toList();
    }

    /** Restores the previous {@code System.err}. */
    @Override
    public void close() {
        System.setErr(previous);
    }
}
