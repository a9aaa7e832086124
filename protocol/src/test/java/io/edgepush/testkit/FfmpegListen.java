package io.edgepush.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * ffmpeg as a second, independent RTMP server: {@code ffmpeg -listen 1 -i rtmp://127.0.0.1:PORT/live/NAME
 * -c copy -f flv OUT}. It accepts exactly one publisher, copies the stream into an FLV file and exits when the
 * publisher goes away; a clean exit (status 0) means ffmpeg accepted our handshake, commands and tags.
 */
public final class FfmpegListen implements AutoCloseable {
    /** How long {@link #start(String, Path)} waits for ffmpeg to listen. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final String streamName;
    private final int port;
    private final Path output;
    private final ManagedProcess process;

    private FfmpegListen(String streamName, int port, Path output, ManagedProcess process) {
        this.streamName = streamName;
        this.port = port;
        this.output = output;
        this.process = process;
    }

    /**
     * Starts the listener on a free 127.0.0.1 port and waits until it listens (checked without connecting,
     * since ffmpeg accepts only one connection). The log goes next to {@code outputFlv} as OUT.flv.log.
     *
     * @param streamName the stream name in the URL (application is {@code live})
     * @param outputFlv the FLV file ffmpeg writes (overwritten)
     * @throws org.opentest4j.TestAbortedException if ffmpeg is missing (see {@link Peers})
     */
    public static FfmpegListen start(String streamName, Path outputFlv) {
        Path ffmpeg = Peers.require("ffmpeg");
        int port = FreePorts.tcp();
        String url = "rtmp://127.0.0.1:" + port + "/live/" + streamName;
        Path dir = outputFlv.toAbsolutePath().getParent();
        ManagedProcess process = ManagedProcess.start("ffmpeg -listen", List.of(ffmpeg.toString(),
                "-nostdin", "-y", "-v", "error", "-listen", "1", "-i", url, "-c", "copy", "-f", "flv",
                outputFlv.toAbsolutePath().toString()), dir, dir.resolve(outputFlv.getFileName() + ".log"));
        try {
            process.waitForPort(port, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
        return new FfmpegListen(streamName, port, outputFlv, process);
    }

    /** The port ffmpeg listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code rtmp://127.0.0.1:PORT/live/NAME}: the URL to publish to. */
    public String rtmpUrl() {
        return "rtmp://127.0.0.1:" + port + "/live/" + streamName;
    }

    /** The FLV file ffmpeg writes. */
    public Path output() {
        return output;
    }

    /** ffmpeg's stderr so far (errors only: it runs with -v error). */
    public String log() {
        return process.log();
    }

    /**
     * Waits for ffmpeg to exit after the publisher has gone.
     *
     * @return ffmpeg's exit status (0: stream received and file finished cleanly)
     */
    public int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /** Stops ffmpeg if it still runs (SIGTERM, then SIGKILL). The output and log files are kept. */
    @Override
    public void close() {
        process.close();
    }
}
