package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Free loopback TCP ports for peers and servers started by tests, and a non-intrusive "is it listening" check. */
public final class FreePorts {
    private static final List<Path> PROC_NET = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String TCP_LISTEN_STATE = "0A";

    private FreePorts() {
    }

    /**
     * Binds 127.0.0.1:0, closes the socket and returns the port the kernel chose. Another process can take
     * the port before the caller binds it; the window is small because the kernel rotates ephemeral ports.
     *
     * @return a TCP port in 1..65535 that was free a moment ago
     */
    public static int tcp() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:0 to find a free port", e);
        }
    }

    /**
     * Whether some socket on this machine listens on TCP {@code port} (any local address).
     *
     * <p>On Linux this reads /proc/net/tcp and /proc/net/tcp6 and does not connect, so it is safe for
     * single-connection listeners such as {@code ffmpeg -listen 1}. Elsewhere it falls back to a connect
     * probe on 127.0.0.1 (which such listeners would consume).
     */
    public static boolean isListening(int port) {
        if (!Files.isReadable(PROC_NET.get(0))) {
            return canConnect("127.0.0.1", port);
        }
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        for (Path table : PROC_NET) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 3 && cols[1].endsWith(portHex) && TCP_LISTEN_STATE.equals(cols[3])) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
        }
        return false;
    }

    /** Whether a TCP connection to host:port succeeds within 200 ms; the connection is closed at once. */
    public static boolean canConnect(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
