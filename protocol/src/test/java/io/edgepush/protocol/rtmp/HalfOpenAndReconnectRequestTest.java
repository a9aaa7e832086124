package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A server that stops acknowledging (half-open) and one that asks for a reconnect (E-RTMP v2). */
class HalfOpenAndReconnectRequestTest extends PublisherTestSupport {

    @Test
    void serverThatStopsAcknowledgingIsWriteTimeout() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.rtmp().sendAcknowledgement(0);
                // ... and never again, while it keeps reading everything we send
            }
        });
        RtmpPublisher publisher = RtmpPublisher.publish(server.url(KEY), RtmpPublisherOptions.defaults()
                .withWriteTimeoutMs(200)).get(10, TimeUnit.SECONDS);
        cleanup.add(publisher);
        long window = RtmpPublisher.WINDOW_ACK_SIZE;
        int timestamp = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!publisher.closed().isDone() && System.nanoTime() < deadline) {
            if (publisher.isWritable() && publisher.bytesSent() < 3 * window) {
                publisher.sendVideo(timestamp, bytes(64 * 1024, timestamp));
                timestamp += 40;
            } else {
                LockSupport.parkNanos(1_000_000);
            }
        }
        RtmpException cause = publisher.closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_WRITE_TIMEOUT, cause.code());
        assertEquals(RetryPolicy.RETRY_NOW, cause.policy());
        assertTrue(cause.getMessage().contains("acknowledged nothing"), cause.getMessage());
    }

    @Test
    void reconnectRequestWithTcUrlIsReportedAndTheConnectionKeepsPublishing() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.sendCommand(0, "onStatus", 0, null, Map.of("level", "status",
                        "code", "NetConnection.Connect.ReconnectRequest", "description", "draining",
                        "tcUrl", "rtmp://127.0.0.1:1936/live2"));
            }
        });
        RtmpPublisher publisher = publish(server);
        ReconnectRequest request = publisher.reconnectRequested().get(10, TimeUnit.SECONDS);
        assertEquals("rtmp://127.0.0.1:1936/live2", request.tcUrl());
        assertEquals("draining", request.description());
        RtmpUrl target = request.target(publisher.url());
        assertEquals("rtmp://127.0.0.1:1936/live2", target.tcUrl());
        assertEquals(KEY, target.streamName());
        publisher.sendVideo(0, bytes(100, 1));
        server.await(m -> m.typeId() == MessageType.VIDEO, "video after the reconnect request");
        assertFalse(publisher.closed().isDone(), "a reconnect request does not end the connection");
    }

    @Test
    void reconnectRequestWithoutTcUrlTargetsTheSameUrl() {
        RtmpUrl current = RtmpUrl.parse("rtmps://ingest.example:443/app/inst/" + KEY);
        assertEquals(current, new ReconnectRequest(null, null).target(current));
        assertEquals(current, new ReconnectRequest(" ", null).target(current));
        assertEquals("rtmp://other:1935/app2/" + KEY,
                new ReconnectRequest("rtmp://other:1935/app2/", null).target(current).tcUrl() + "/" + KEY);
    }

    @Test
    void reconnectRequestWithABadTcUrlIsRejectedByTarget() {
        RtmpUrl current = RtmpUrl.parse("rtmp://127.0.0.1/live/" + KEY);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ReconnectRequest("http://x/app", null).target(current));
        assertTrue(e.getMessage().contains("scheme"), e.getMessage());
    }
}
