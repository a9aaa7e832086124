package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Connection;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The publisher against a scripted RTMP server (Adobe RTMP spec 7.2 command sequence, 5.4 control). */
class RtmpPublisherTest extends PublisherTestSupport {
    @Test
    void publishesInOrderAndSendsVideoOnTheCreatedStream() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        assertEquals(ScriptedRtmpServer.STREAM_ID, publisher.messageStreamId());

        publisher.sendMetaData(bytes(50, 1));
        int[] timestamps = {0, 33, 66, 0x01000005};
        int[] sizes = {100, 10_000, 5, 9000};
        for (int i = 0; i < timestamps.length; i++) {
            publisher.sendVideo(timestamps[i], bytes(sizes[i], i));
        }
        CompletableFuture<Void> unpublished = publisher.unpublish();
        ByteBuf afterUnpublish = bytes(10, 0);
        publisher.sendVideo(1000, afterUnpublish);
        assertEquals(0, afterUnpublish.refCnt(), "a frame after unpublish() is dropped and released");
        unpublished.get(10, TimeUnit.SECONDS);
        assertNull(publisher.closed().get(10, TimeUnit.SECONDS), "own close ends with a null cause");
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream");

        List<Received> all = server.received();
        assertEquals(MessageType.SET_CHUNK_SIZE, all.get(0).typeId(), "Set Chunk Size comes first");
        assertEquals(4096, all.get(0).uint32());
        List<String> commands = server.commandNames().stream().filter(n -> !n.equals("_checkbw")).toList();
        assertEquals(List.of("connect", "releaseStream", "FCPublish", "createStream", "publish", "FCUnpublish",
                "deleteStream"), commands);

        CommandMessage connect = all.stream().filter(m -> "connect".equals(m.name())).findFirst().orElseThrow().command();
        Map<?, ?> object = (Map<?, ?>) connect.commandObject();
        assertEquals("live", object.get("app"));
        assertEquals("nonprivate", object.get("type"));
        assertEquals("FMLE/3.0 (compatible; edgepush)", object.get("flashVer"));
        assertEquals("rtmp://127.0.0.1:" + server.port() + "/live", object.get("tcUrl"));
        assertEquals(1.0, connect.transactionId());

        Received publish = all.stream().filter(m -> "publish".equals(m.name())).findFirst().orElseThrow();
        assertEquals(ScriptedRtmpServer.STREAM_ID, publish.messageStreamId());
        assertEquals(List.of(KEY, "live"), publish.command().arguments());
        for (String name : List.of("releaseStream", "FCPublish", "FCUnpublish")) {
            Received r = all.stream().filter(m -> name.equals(m.name())).findFirst().orElseThrow();
            assertEquals(List.of(KEY), r.command().arguments(), name);
        }
        assertEquals(List.of((double) ScriptedRtmpServer.STREAM_ID),
                all.stream().filter(m -> "deleteStream".equals(m.name())).findFirst().orElseThrow().command().arguments());
        List<Received> windows = server.received(MessageType.WINDOW_ACK_SIZE);
        assertEquals(List.of(2_500_000L, (long) RtmpPublisher.WINDOW_ACK_SIZE),
                windows.stream().map(Received::uint32).toList(),
                "the answer to Set Peer Bandwidth (5.4.5), then our own window (16 KiB, to measure the uplink by)");

        List<Received> data = server.received(MessageType.DATA_AMF0);
        assertEquals(1, data.size());
        assertEquals(ScriptedRtmpServer.STREAM_ID, data.get(0).messageStreamId());
        assertArrayEquals(array(50, 1), data.get(0).payload());

        List<Received> video = server.received(MessageType.VIDEO);
        assertEquals(timestamps.length, video.size());
        for (int i = 0; i < timestamps.length; i++) {
            assertEquals(timestamps[i], video.get(i).timestampMs(), "timestamp of video " + i);
            assertEquals(ScriptedRtmpServer.STREAM_ID, video.get(i).messageStreamId());
            assertArrayEquals(array(sizes[i], i), video.get(i).payload(), "payload of video " + i);
        }
        assertTrue(publisher.bytesSent() > 19_155, "bytesSent counts chunks: " + publisher.bytesSent());
        assertFalse(publisher.isWritable(), "closed publisher is not writable");
    }

    @Test
    void reportsEachVideoMessageOnceWrittenWithTheTimeSinceItsFrameArrived() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        java.util.concurrent.LinkedBlockingQueue<Long> written = new java.util.concurrent.LinkedBlockingQueue<>();
        long received = System.nanoTime();
        publisher.sendVideo(0, bytes(10_000, 1), received, written::add);
        publisher.sendVideo(33, bytes(20, 2), received, written::add);
        Long first = written.poll(10, TimeUnit.SECONDS);
        Long second = written.poll(10, TimeUnit.SECONDS);
        assertTrue(first != null && second != null, "both messages reported: " + first + ", " + second);
        assertTrue(first >= 0 && second >= 0, "nanoseconds since the frame arrived: " + first + ", " + second);
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        ByteBuf late = bytes(10, 3);
        publisher.sendVideo(66, late, received, written::add);
        assertEquals(0, late.refCnt(), "a frame after unpublish() is released");
        assertTrue(written.isEmpty(), "a dropped frame is never reported as written: " + written);
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream");
        assertEquals(2, server.received(MessageType.VIDEO).size());
    }

    @Test
    void aFrameWrittenOnTheEventLoopDoesNotOvertakeOneAnotherThreadQueuedBeforeIt() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> onLoop = new CompletableFuture<>();
        publisher.channel().eventLoop().execute(() -> {
            try {
                // By now this test's thread has chunked frame 0 and queued it behind this task.
                assertTrue(queued.await(10, TimeUnit.SECONDS), "frame 0 queued");
                publisher.sendVideo(33, bytes(20, 2)); // a frame made on the loop (a camera on the same loop)
                onLoop.complete(null);
            } catch (Throwable t) {
                onLoop.completeExceptionally(t);
            }
        });
        publisher.sendVideo(0, bytes(20, 1));
        queued.countDown();
        onLoop.get(10, TimeUnit.SECONDS);
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream");
        assertEquals(List.of(0, 33), server.received(MessageType.VIDEO).stream().map(r -> (int) r.timestampMs())
                .toList(), "chunk order is wire order");
    }

    @Test
    void sendsAudioAsType8OnThePublishStreamAndDropsItAfterUnpublish() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        publisher.sendAudio(0, HexBytes.buf("AF 00 12 08"));
        publisher.sendVideo(0, bytes(20, 3));
        publisher.sendAudio(23, HexBytes.buf("AF 01 01 18 20 07"));
        CompletableFuture<Void> unpublished = publisher.unpublish();
        ByteBuf late = HexBytes.buf("AF 01 01 18 20 07");
        publisher.sendAudio(46, late);
        assertEquals(0, late.refCnt(), "audio after unpublish() is dropped and released");
        unpublished.get(10, TimeUnit.SECONDS);
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream");

        List<Received> audio = server.received(MessageType.AUDIO);
        assertEquals(2, audio.size());
        assertEquals(0, audio.get(0).timestampMs());
        assertArrayEquals(HexBytes.bytes("AF 00 12 08"), audio.get(0).payload());
        assertEquals(23, audio.get(1).timestampMs());
        assertArrayEquals(HexBytes.bytes("AF 01 01 18 20 07"), audio.get(1).payload());
        for (Received r : audio) {
            assertEquals(ScriptedRtmpServer.STREAM_ID, r.messageStreamId());
        }
        assertEquals(1, server.received(MessageType.VIDEO).size());
        assertTrue(RtmpPublisher.CSID_AUDIO != RtmpPublisher.CSID_VIDEO
                && RtmpPublisher.CSID_AUDIO != RtmpPublisher.CSID_DATA, "audio has its own chunk stream");
    }

    @Test
    void serverCloseWhilePublishingCompletesClosedWithConnectionClosed() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        server.connections().forEach(c -> c.close());
        RtmpException cause = publisher.closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, cause.code());
        ByteBuf late = bytes(10, 0);
        publisher.sendVideo(100, late);
        assertEquals(0, late.refCnt(), "a frame sent after close is released");
        publisher.unpublish().get(10, TimeUnit.SECONDS); // after the server closed: completes, never throws
        publisher.close();
    }

    /** 5.4.5: a Set Peer Bandwidth with a new size is answered with a Window Acknowledgement Size. */
    @Test
    void answersSetPeerBandwidthWithWindowAckSize() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.acceptConnect(2_500_000, 5_000_000);
            }
        });
        publish(server);
        server.await(m -> m.typeId() == MessageType.WINDOW_ACK_SIZE && m.uint32() == RtmpPublisher.WINDOW_ACK_SIZE, "our own window");
        assertEquals(List.of(5_000_000L, (long) RtmpPublisher.WINDOW_ACK_SIZE),
                server.received(MessageType.WINDOW_ACK_SIZE).stream().map(Received::uint32).toList());
    }

    /** FFmpeg's "-listen 1" server sends onFCPublish as a bare AMF0 string, without a transaction id. */
    @Test
    void toleratesABareOnFCPublishLikeFfmpegListen() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.rtmp().send(3, MessageType.COMMAND_AMF0, 0, 0, HexBytes.buf("02 000b 6f6e46435075626c697368"));
                c.publishStart();
            }
        });
        RtmpPublisher publisher = publish(server);
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        assertNull(publisher.closed().get(10, TimeUnit.SECONDS));
    }

    /** 7.1.1: a command message of type 17 (AMF3 envelope) whose body starts with 0x00 then AMF0 values. */
    @Test
    void acceptsOnStatusInAnAmf3CommandEnvelope() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer().writeByte(0);
                new CommandMessage("onStatus", 0, null, List.of(Map.of("level", "status",
                        "code", "NetStream.Publish.Start"))).encode(payload);
                c.rtmp().send(3, MessageType.COMMAND_AMF3, ScriptedRtmpServer.STREAM_ID, 0, payload);
            }
        });
        RtmpPublisher publisher = publish(server);
        assertEquals(ScriptedRtmpServer.STREAM_ID, publisher.messageStreamId());
    }

    @Test
    void answersPingRequestWithPingResponse() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.rtmp().sendPingRequest(0x12345678);
            }
        });
        publish(server);
        Received pong = server.await(m -> m.typeId() == MessageType.USER_CONTROL, "a User Control message");
        assertArrayEquals(new byte[] {0, 7, 0x12, 0x34, 0x56, 0x78}, pong.payload());
    }

    @Test
    void acknowledgesReceivedBytesPerWindow() throws Exception {
        int window = 200;
        CompletableFuture<Long> serverBytesWritten = new CompletableFuture<>();
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.acceptConnect(window);
            }

            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                for (int i = 0; i < 5; i++) {
                    c.onStatus(ScriptedRtmpServer.STREAM_ID, "status", "NetStream.Data.Padding", "x".repeat(300));
                }
                serverBytesWritten.complete(c.bytesWritten());
            }
        });
        publish(server);
        long serverBytes = serverBytesWritten.get(10, TimeUnit.SECONDS);
        server.await(m -> m.typeId() == MessageType.ACKNOWLEDGEMENT && m.uint32() > serverBytes - window,
                "an Acknowledgement covering all but the last window");
        List<Received> acks = server.received(MessageType.ACKNOWLEDGEMENT);
        long previous = 0;
        for (Received ack : acks) {
            assertTrue(ack.uint32() - previous >= window, "acks are at least one window apart: " + ack.uint32());
            assertTrue(ack.uint32() <= serverBytes, "ack " + ack.uint32() + " <= bytes sent " + serverBytes);
            previous = ack.uint32();
        }
    }

    @Test
    void stalledServerIsWriteTimeout() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.stopReading();
            }
        });
        RtmpPublisher publisher = RtmpPublisher.publish(server.url(KEY), RtmpPublisherOptions.defaults()
                .withWriteBufferHighWaterMarkBytes(128 * 1024).withWriteTimeoutMs(300)).get(10, TimeUnit.SECONDS);
        cleanup.add(publisher);
        // Like the agent: send while writable, drop (here: wait) while not, until the stall is detected.
        int timestamp = 0;
        long maxPending = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!publisher.closed().isDone() && System.nanoTime() < deadline) {
            if (publisher.isWritable()) {
                publisher.sendVideo(timestamp, bytes(64 * 1024, timestamp));
                timestamp += 40;
            } else {
                maxPending = Math.max(maxPending, publisher.pendingWriteBytes());
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        assertTrue(maxPending >= 64 * 1024, "pendingWriteBytes showed the backlog: " + maxPending);
        RtmpException cause = publisher.closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_WRITE_TIMEOUT, cause.code());
        assertEquals(0, publisher.pendingWriteBytes(), "closed: nothing pending");
    }

    @Test
    void serverCloseCommandEndsThePublish() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.sendCommand(0, "close", 0, null);
            }
        });
        RtmpPublisher publisher = publish(server);
        RtmpException cause = publisher.closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, cause.code());
        assertTrue(cause.getMessage().contains("close command"), cause.getMessage());
    }

    @Test
    void errorOnStatusWhilePublishingEndsWithTheServerCode() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", "NetStream.Publish.Idle", "idle too long");
            }
        });
        RtmpPublisher publisher = publish(server);
        RtmpException cause = publisher.closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_FAILED, cause.code());
        assertEquals("NetStream.Publish.Idle", cause.serverCode());
        assertTrue(cause.getMessage().contains("server ended the publish"), cause.getMessage());
    }

}
