package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Connection;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RtmpTagSink} against the scripted RTMP server: tag types become RTMP message types (Adobe RTMP spec
 * 7.1: audio 8, video 9, AMF0 data 18), and the backlog in media time follows what the server reads.
 */
class RtmpTagSinkTest extends PublisherTestSupport {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void withoutPublisherTagsAreReleasedAndCountedAsDiscarded() {
        RtmpTagSink sink = new RtmpTagSink();
        assertNull(sink.publisher());
        ByteBuf video = Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0, 0, 0});
        ByteBuf audio = Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 0x01, 0x21});
        ByteBuf script = Unpooled.wrappedBuffer(new byte[] {0x02, 0x00, 0x01, 0x61});
        sink.onTag(FlvTagType.VIDEO, 0, video);
        sink.onTag(FlvTagType.AUDIO, 23, audio);
        sink.onTag(FlvTagType.SCRIPT_DATA, 0, script);
        assertEquals(0, video.refCnt());
        assertEquals(0, audio.refCnt());
        assertEquals(0, script.refCnt());
        assertEquals(3, sink.tagsDiscarded());
        assertEquals(0, sink.bytesWritten(), "nothing was given to a publisher");
        assertEquals(0, sink.backlogMs());
        assertEquals(0, sink.backlogBytes());
    }

    @Test
    void tagsReachTheServerAsRtmpMessagesOfTheirType() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        RtmpTagSink sink = new RtmpTagSink();
        sink.use(publisher);
        assertSame(publisher, sink.publisher());

        sink.onTag(FlvTagType.SCRIPT_DATA, 1234, bytes(50, 1));
        sink.onTag(FlvTagType.AUDIO, 23, bytes(4, 2));
        sink.onTag(FlvTagType.VIDEO, 40, bytes(100, 3));
        sink.onTag(FlvTagType.VIDEO, 80, bytes(10_000, 4));
        assertEquals(50 + 4 + 100 + 10_000, sink.bytesWritten(), "tag body bytes, no chunk headers");
        assertEquals(0, sink.tagsDiscarded());
        Await.until(() -> server.received(MessageType.VIDEO).size() == 2, DEADLINE, "two video messages");

        List<Received> data = server.received(MessageType.DATA_AMF0);
        assertEquals(1, data.size());
        assertEquals(0, data.get(0).timestampMs(), "script data goes with timestamp 0, not the tag's 1234");
        assertEquals(ScriptedRtmpServer.STREAM_ID, data.get(0).messageStreamId());
        assertArrayEquals(array(50, 1), data.get(0).payload());

        List<Received> audio = server.received(MessageType.AUDIO);
        assertEquals(1, audio.size());
        assertEquals(23, audio.get(0).timestampMs());
        assertEquals(ScriptedRtmpServer.STREAM_ID, audio.get(0).messageStreamId());
        assertArrayEquals(array(4, 2), audio.get(0).payload());

        List<Received> video = server.received(MessageType.VIDEO);
        assertEquals(40, video.get(0).timestampMs());
        assertEquals(80, video.get(1).timestampMs());
        assertArrayEquals(array(100, 3), video.get(0).payload());
        assertArrayEquals(array(10_000, 4), video.get(1).payload());
        assertEquals(ScriptedRtmpServer.STREAM_ID, video.get(1).messageStreamId());
    }

    @Test
    void backlogIsZeroOnceTheServerHasReadEverything() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        RtmpPublisher publisher = publish(server);
        RtmpTagSink sink = new RtmpTagSink();
        sink.use(publisher);
        int tags = 100;
        for (int i = 0; i < tags; i++) {
            sink.onTag(i % 2 == 0 ? FlvTagType.VIDEO : FlvTagType.AUDIO, 20 * i, bytes(20_000, i));
        }
        assertEquals(tags * 20_000L, sink.bytesWritten());
        Await.until(() -> server.received(MessageType.VIDEO).size() + server.received(MessageType.AUDIO).size()
                == tags, DEADLINE, "the server to read all " + tags + " tags");
        Await.until(() -> sink.backlogMs() == 0 && sink.backlogBytes() == 0, DEADLINE,
                () -> "no backlog once the server read everything; backlogMs=" + sink.backlogMs()
                        + " backlogBytes=" + sink.backlogBytes());
    }

    @Test
    void backlogGrowsWithTheMediaTimeWrittenWhileTheServerDoesNotRead() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.stopReading();
            }
        });
        RtmpPublisher publisher = publish(server);
        RtmpTagSink sink = new RtmpTagSink();
        sink.use(publisher);
        int tags = 400; // 16 s of media, 20 MB: far more than socket buffers hold, and more than the initial ring
        int tagBytes = 50_000;
        for (int i = 0; i < tags; i++) {
            sink.onTag(FlvTagType.VIDEO, 40 * i, bytes(tagBytes, i));
        }
        Await.until(() -> sink.backlogMs() >= 1000, DEADLINE,
                () -> "backlogMs to reach 1000 while the server does not read; it is " + sink.backlogMs()
                        + " with backlogBytes=" + sink.backlogBytes());
        long bytes = sink.backlogBytes();
        long ms = sink.backlogMs();
        assertTrue(ms <= 40L * (tags - 1), "at most newest minus first timestamp: " + ms);
        assertEquals(0, ms % 40, "a difference of two tag timestamps: " + ms);
        // k tags queued make a backlog of 40 * (k - 1) or 40 * k ms; all but the first are wholly in the queue, and
        // each queued tag is 50,000 bytes plus 24 bytes of chunk headers (13 chunks of 4096) and Netty's entry overhead
        assertTrue(bytes >= (ms / 40 - 2) * tagBytes, "backlog of " + ms + " ms needs about " + (ms / 40)
                + " tags of " + tagBytes + " bytes queued, but backlogBytes=" + bytes);
        assertTrue(bytes <= (ms / 40 + 1) * (tagBytes + 256L), "backlogBytes=" + bytes + " is more than "
                + (ms / 40 + 1) + " tags: backlogMs=" + ms + " under-counts the queue");

        sink.use(null);
        assertEquals(0, sink.backlogMs(), "no publisher in use");
        assertEquals(0, sink.backlogBytes());
        ByteBuf late = Unpooled.wrappedBuffer(new byte[] {0x27, 0x01});
        sink.onTag(FlvTagType.VIDEO, 40 * tags, late);
        assertEquals(0, late.refCnt());
        assertEquals(1, sink.tagsDiscarded());
    }

    @Test
    void aServerThatAcknowledgesIsTheMeasureOfWhatArrived() throws Exception {
        Connection[] conn = new Connection[1];
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                conn[0] = c;
                c.publishStart();
            }
        });
        RtmpPublisher publisher = publish(server);
        RtmpTagSink sink = new RtmpTagSink();
        sink.use(publisher);
        int tagBytes = (int) RtmpTagSink.ACK_SLACK_BYTES + 4000; // one tag is more than the slack
        int tags = 10;
        for (int i = 0; i < tags; i++) {
            sink.onTag(FlvTagType.VIDEO, 40 * i, bytes(tagBytes, i));
        }
        Await.until(() -> server.received(MessageType.VIDEO).size() == tags, DEADLINE, "the server to read all tags");
        Await.until(() -> sink.backlogMs() == 0, DEADLINE, "without acknowledgements, the kernel's share counts");
        assertEquals(publisher.bytesSent(), sink.bytesDelivered(), "all handed to the kernel");

        acknowledge(conn[0], publisher.bytesSent());
        long all = publisher.bytesSent();
        Await.until(() -> publisher.bytesAcknowledged() == all, DEADLINE, "the acknowledgement");
        long nextTagEnd = 0;
        for (int i = tags; i < 2 * tags; i++) {
            sink.onTag(FlvTagType.VIDEO, 40 * i, bytes(tagBytes, i));
            if (i == tags) {
                nextTagEnd = publisher.bytesSent();
            }
        }
        Await.until(() -> server.received(MessageType.VIDEO).size() == 2 * tags, DEADLINE, "the server to read more");
        assertEquals(40L * tags, sink.backlogMs(), "read by the server but not acknowledged: still on its way");
        assertEquals(publisher.bytesSent() - all - RtmpTagSink.ACK_SLACK_BYTES, sink.backlogBytes(),
                "less the slack that may have arrived unannounced");

        acknowledgeInWindows(conn[0], all, nextTagEnd); // as a server does: every window, not once for it all
        long firstEnd = nextTagEnd;
        Await.until(() -> publisher.bytesAcknowledged() == firstEnd, DEADLINE, "the second acknowledgement");
        assertEquals(40L * (tags - 1), sink.backlogMs(), "one more tag is known to have arrived");
        assertEquals(firstEnd + RtmpTagSink.ACK_SLACK_BYTES, sink.bytesDelivered());

        acknowledge(conn[0], publisher.bytesSent());
        Await.until(() -> sink.backlogMs() == 0 && sink.backlogBytes() == 0, DEADLINE,
                () -> "everything acknowledged; backlogMs=" + sink.backlogMs());
        assertEquals(publisher.bytesSent(), sink.bytesDelivered());

        sink.use(null);
        assertEquals(publisher.bytesSent(), sink.bytesDelivered(), "delivered bytes add up across publishers");
    }

    /** Acknowledgements every {@link RtmpPublisher#WINDOW_ACK_SIZE} bytes after {@code from}, the last at {@code to}. */
    private static void acknowledgeInWindows(Connection c, long from, long to) {
        for (long at = from + RtmpPublisher.WINDOW_ACK_SIZE; at < to; at += RtmpPublisher.WINDOW_ACK_SIZE) {
            acknowledge(c, at);
        }
        acknowledge(c, to);
    }

    /** An RTMP Acknowledgement (type 3, chunk stream 2) of {@code sequence} bytes, sent by the server. */
    static void acknowledge(Connection c, long sequence) {
        c.writeHex(String.format("02 000000 000004 03 00000000 %08x", sequence & 0xFFFFFFFFL));
    }
}
