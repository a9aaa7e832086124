package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void tcpReturnsAPortThatCanBeBoundOnLoopback() throws Exception {
        int port = FreePorts.tcp();
        assertTrue(port > 0 && port < 65536, "port " + port);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, server.getLocalPort());
        }
    }

    @Test
    void isListeningSeesABoundServerSocketAndNotAClosedOne() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            assertTrue(FreePorts.isListening(port));
            assertTrue(FreePorts.canConnect("127.0.0.1", port));
        }
        assertFalse(FreePorts.isListening(port));
        assertFalse(FreePorts.canConnect("127.0.0.1", port));
    }
}
