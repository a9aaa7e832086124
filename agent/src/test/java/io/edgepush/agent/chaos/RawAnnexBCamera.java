package io.edgepush.agent.chaos;

import io.edgepush.simulator.camera.Clip;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera that sends a plain H.264 Annex B elementary stream over TCP (the agent's {@code raw_annexb} ingest): one
 * access unit of a looping clip every {@code 1000 / fps} ms. When its connection breaks ({@link #cut()}, or the
 * agent closes it) it connects again on the next tick and starts the clip over from its first access unit (which
 * carries the parameter sets and an IDR). One pacing thread owns the socket; {@link #framesSent()} counts the
 * access units fully written to it.
 */
final class RawAnnexBCamera implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final Clip clip;
    private final int port;
    private final ScheduledExecutorService pacer;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile Socket socket;
    private int next;

    private RawAnnexBCamera(Clip clip, int port, String name) {
        this.clip = clip;
        this.port = port;
        this.pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raw-camera-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sending {@code clip} at {@code fps} to 127.0.0.1:{@code port}. */
    static RawAnnexBCamera start(Clip clip, int fps, int port, String name) {
        RawAnnexBCamera camera = new RawAnnexBCamera(clip, port, name);
        camera.pacer.scheduleAtFixedRate(camera::tick, 0, 1000 / fps, TimeUnit.MILLISECONDS);
        return camera;
    }

    /** Access units written in full so far, over all connections. */
    long framesSent() {
        return framesSent.get();
    }

    /** Connections made so far. */
    long connections() {
        return connections.get();
    }

    /** Closes the current connection (as a cable pulled); the camera connects again on its next tick. */
    void cut() {
        closeQuietly(socket);
    }

    private void tick() {
        try {
            if (socket == null) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
                s.setTcpNoDelay(true);
                socket = s;
                next = 0;
                connections.incrementAndGet();
            }
            OutputStream out = socket.getOutputStream();
            out.write(clip.accessUnit(next));
            out.flush();
            framesSent.incrementAndGet();
            next = (next + 1) % clip.size();
        } catch (IOException e) {
            closeQuietly(socket);
            socket = null;
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to do
            }
        }
    }

    /** Stops sending and closes the connection. */
    @Override
    public void close() {
        pacer.shutdownNow();
        try {
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(socket);
    }
}
