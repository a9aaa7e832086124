package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a publish can fail maps to its RtmpErrorCode, with a clear message and nothing leaked. */
class RtmpPublishFailureTest extends PublisherTestSupport {

    @Test
    void badNameFailsWithTheServerCodeAndMasksTheKey() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", "NetStream.Publish.BadName",
                        "Stream " + KEY + " already publishing");
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_BAD_NAME, e.code());
        assertEquals("NetStream.Publish.BadName", e.serverCode());
        assertTrue(e.getMessage().contains("NetStream.Publish.BadName"), e.getMessage());
        assertTrue(e.getMessage().contains("stre***"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), "stream key must not appear: " + e.getMessage());
        server.await(m -> "publish".equals(m.name()), "publish");
    }

    @Test
    void otherOnStatusErrorIsPublishFailed() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", "NetStream.Publish.Denied", "nope");
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_FAILED, e.code());
        assertEquals("NetStream.Publish.Denied", e.serverCode());
    }

    @Test
    void connectErrorIsConnectRejected() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.sendCommand(0, "_error", connect.transactionId(), null, Map.of("level", "error",
                        "code", "NetConnection.Connect.Rejected", "description", "Connection failed: app"));
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_CONNECT_REJECTED, e.code());
        assertEquals("NetConnection.Connect.Rejected", e.serverCode());
        assertTrue(e.getMessage().contains("app 'live'"), e.getMessage());
    }

    @Test
    void closeRightAfterPublishIsConnectionClosed() throws Exception {
        RtmpException e = publishFailureWhenClosedOnPublish();
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, e.code());
        assertTrue(e.getMessage().contains("before NetStream.Publish.Start (waiting for NetStream.Publish.Start)"),
                e.getMessage());
    }

    @Test
    void createStreamErrorIsPublishFailed() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onCreateStream(Connection c, CommandMessage createStream) {
                c.sendCommand(0, "_error", createStream.transactionId(), null,
                        Map.of("level", "error", "code", "NetConnection.Call.Failed", "description", "no streams"));
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_FAILED, e.code());
        assertEquals("NetConnection.Call.Failed", e.serverCode());
    }

    @Test
    void createStreamResultWithoutStreamIdIsPublishFailed() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onCreateStream(Connection c, CommandMessage createStream) {
                c.sendCommand(0, "_result", createStream.transactionId(), null, "not a number");
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_FAILED, e.code());
        assertTrue(e.getMessage().contains("no valid stream id"), e.getMessage());
    }

    @Test
    void nonRtmpServerIsHandshakeFailed() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> {
                try (Socket s = http.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[1537]);
                } catch (IOException ignored) {
                    // the client hung up first
                }
            }, "fake-http");
            responder.start();
            RtmpException e = publishFailure(RtmpUrl.parse("rtmp://127.0.0.1:" + http.getLocalPort() + "/live/" + KEY),
                    RtmpPublisherOptions.defaults());
            assertEquals(RtmpErrorCode.RTMP_HANDSHAKE_FAILED, e.code());
            assertTrue(e.getMessage().contains("S0 version is 72"), e.getMessage());
            responder.join(10_000);
        }
    }

    @Test
    void refusedPortIsConnectRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RtmpException e = publishFailure(RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY),
                RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_CONNECT_REFUSED, e.code());
    }

    @Test
    void silentServerIsConnectTimeout() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public boolean answerHandshake() {
                return false;
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults().withConnectTimeoutMs(300));
        assertEquals(RtmpErrorCode.RTMP_CONNECT_TIMEOUT, e.code());
        assertTrue(e.getMessage().contains("S0+S1+S2 handshake"), e.getMessage());
    }

    @Test
    void zeroChunkSizeFromServerIsProtocolError() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.writeHex("02 000000 000004 01 00000000 00000000");
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PROTOCOL_ERROR, e.code());
        assertTrue(e.getMessage().contains("chunk size to 0"), e.getMessage());
    }
}
