package io.edgepush.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live terminal view of {@code edge-agent run} (issue 14 item 5): while the agent runs in a terminal, a block
 * of lines under the log, redrawn every {@value #REFRESH_MS} ms from the status document ({@code GET /status}'s
 * JSON): the gateway line, then one line per stream (device/stream, state, preset, fps, kbps, backlog ms,
 * dropped frames, reconnects; {@link #LIVE_COLUMNS}).
 *
 * <p>How log and view share the terminal: {@link #start} replaces {@code System.err} (where slf4j-simple writes,
 * looked up at every log call) with a stream that keeps log bytes until a line is complete, then, under one lock,
 * writes "cursor up over the block, erase to the end of the screen" ({@code ESC[nA ESC[J}), the complete log lines
 * and the block again, as one write. The refresh takes the same lock. So a log line never lands inside the block,
 * and the block is never torn by a log line. Block lines are cut to the terminal's width so none wraps (a
 * terminal made narrower while running can leave a stale line behind).
 *
 * <p>Only for a terminal: {@link #terminalAttached()} says whether to start one; without a terminal (systemd, a
 * pipe, a file) the caller does not, and the output stays plain log lines without any escape sequence.
 */
final class LiveView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);
    /** How often the block is redrawn. */
    static final long REFRESH_MS = 1000;
    /** The columns of the per-stream lines. */
    static final List<StatusTable.Column> LIVE_COLUMNS = List.of(StatusTable.Column.DEVICE_STREAM,
            StatusTable.Column.STATE, StatusTable.Column.PRESET, StatusTable.Column.FPS, StatusTable.Column.KBPS,
            StatusTable.Column.BACKLOG_MS, StatusTable.Column.DROPPED, StatusTable.Column.RECONNECTS);
    private static final String ESC = "\u001b[";
    private static final int DEFAULT_COLUMNS = 80;

    private final Object lock = new Object();
    private final Supplier<JsonNode> status;
    private final PrintStream terminal;
    private final PrintStream originalErr;
    private final int width;
    private final ByteArrayOutputStream pendingLog = new ByteArrayOutputStream();
    private final ScheduledExecutorService timer;
    /** Lines of the block on screen now (guarded by lock). */
    private int blockLines;
    /** The block last drawn, redrawn after log lines (guarded by lock). */
    private List<String> block = List.of();
    private boolean closed;

    private LiveView(Supplier<JsonNode> status, PrintStream terminal, int width) {
        this.status = status;
        this.terminal = terminal;
        this.originalErr = System.err;
        this.width = width;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-view");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the view on {@code terminal} (normally the original {@code System.err}) and routes {@code System.err}
     * through it until {@link #close()}.
     *
     * @param status the status document, called on the view's thread every {@value #REFRESH_MS} ms; a call that
     *               throws keeps the previous block
     * @param width  the terminal's width in columns; block lines are cut to {@code width - 1}
     */
    static LiveView start(Supplier<JsonNode> status, PrintStream terminal, int width) {
        LiveView view = new LiveView(status, terminal, width);
        System.setErr(new PrintStream(view.new LogStream(), true, StandardCharsets.UTF_8));
        view.timer.scheduleWithFixedDelay(view::refresh, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
        return view;
    }

    /**
     * Whether the agent's log goes to a terminal that can show the view: a console (stdin and stdout are
     * terminals, {@link System#console()}), standard error a terminal too ({@code /proc/self/fd/2} is a
     * {@code /dev/pts/N} or {@code /dev/ttyN}, where {@code /proc} exists) and {@code TERM} not {@code dumb}.
     */
    static boolean terminalAttached() {
        if (System.console() == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path stderr = Path.of("/proc/self/fd/2");
        if (!Files.exists(Path.of("/proc/self/fd"))) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(stderr).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The terminal's width from {@code stty size} on {@code /dev/tty}, else {@code $COLUMNS}, else 80. */
    static int terminalWidth() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0 && out.matches("\\d+ \\d+")) {
                int columns = Integer.parseInt(out.split(" ")[1]);
                if (columns > 0) {
                    return columns;
                }
            }
        } catch (IOException e) {
            // no stty or no /dev/tty: fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return Math.max(20, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "")));
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    /**
     * The block for {@code page}: the gateway line, the column header and one line per stream, each cut to
     * {@code width - 1} characters (so the terminal never wraps it). Plain text, no escape sequences.
     */
    static List<String> lines(JsonNode page, int width) {
        List<String> lines = new ArrayList<>();
        lines.add("-- live: " + StatusTable.gatewayLine(page) + " --");
        lines.addAll(StatusTable.rows(page, LIVE_COLUMNS));
        int max = Math.max(1, width - 1);
        return lines.stream().map(l -> l.length() <= max ? l : l.substring(0, max)).toList();
    }

    /** Redraws the block from a fresh status document. */
    private void refresh() {
        List<String> fresh;
        try {
            fresh = lines(status.get(), width);
        } catch (RuntimeException e) {
            log.debug("event=live_view_status_failed error=\"{}\"", e.toString());
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            block = fresh;
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            eraseBlock(frame);
            drawBlock(frame);
            emit(frame);
        }
    }

    /** Stops the refresh, erases the block, writes any unfinished log line and gives System.err back. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            eraseBlock(frame);
            frame.writeBytes(pendingLog.toByteArray());
            pendingLog.reset();
            emit(frame);
            System.setErr(originalErr);
        }
    }

    /** Appends "up over the block, erase to the end of the screen" (nothing when no block is shown). */
    private void eraseBlock(ByteArrayOutputStream frame) {
        if (blockLines > 0) {
            frame.writeBytes(("\r" + ESC + blockLines + "A" + ESC + "J").getBytes(StandardCharsets.US_ASCII));
            blockLines = 0;
        }
    }

    /** Appends the block, each line ending in a newline, so the cursor rests at the start of the line below. */
    private void drawBlock(ByteArrayOutputStream frame) {
        for (String line : block) {
            frame.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        blockLines = block.size();
    }

    /** Writes {@code frame} to the terminal as one write (the caller holds lock). */
    private void emit(ByteArrayOutputStream frame) {
        byte[] all = frame.toByteArray();
        terminal.write(all, 0, all.length);
        terminal.flush();
    }

    /** What System.err writes into while the view runs: complete log lines go out with the block redrawn. */
    private final class LogStream extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (lock) {
                if (closed) {
                    originalErr.write(bytes, offset, length);
                    return;
                }
                pendingLog.write(bytes, offset, length);
                byte[] pending = pendingLog.toByteArray();
                int end = lastNewline(pending) + 1;
                if (end == 0) {
                    return; // an unfinished line waits for its end
                }
                ByteArrayOutputStream frame = new ByteArrayOutputStream(pending.length + 512);
                eraseBlock(frame);
                frame.write(pending, 0, end);
                drawBlock(frame);
                pendingLog.reset();
                pendingLog.write(pending, end, pending.length - end);
                emit(frame);
            }
        }

        private int lastNewline(byte[] bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
