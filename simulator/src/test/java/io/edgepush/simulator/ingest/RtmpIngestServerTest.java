package io.edgepush.simulator.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.flv.FlvFileReader;
import io.edgepush.protocol.flv.FlvTag;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Peers;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtmpIngestServerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static RtmpPublisher publish(RtmpIngestServer server, String name) throws Exception {
        RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:" + server.port() + "/live/" + name);
        return RtmpPublisher.publish(url, RtmpPublisherOptions.defaults()).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void recordsAPublishAsAPlayableFlv(@TempDir Path out) throws Exception {
        Path clip = Fixtures.repoFixture("small.h264");
        try (RtmpIngestServer server = RtmpIngestServer.start("127.0.0.1", 0, out)) {
            RtmpPublisher p = publish(server, "cam_a_1234?token=x");
            assertTrue(server.publishing("cam_a_1234"));
            assertEquals(50, ClipPublisher.publish(p, clip, 25));
            Await.until(() -> server.framesReceived("cam_a_1234") == 50, DEADLINE, "50 frames at the ingest");
            p.unpublish().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            Await.until(() -> !server.publishing("cam_a_1234"), DEADLINE, "the publish to end");
            assertEquals(List.of(out.resolve("cam_a_1234.flv")), server.recordings());
        }
        List<FlvTag> tags = FlvFileReader.readAll(out.resolve("cam_a_1234.flv"));
        assertEquals(FlvTagType.SCRIPT_DATA, tags.get(0).tagType());
        byte[] onMetaData = {0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x08};
        assertArrayEquals(onMetaData, Arrays.copyOf(tags.get(0).body(), onMetaData.length));
        assertEquals(FlvTagType.VIDEO, tags.get(1).tagType());
        assertArrayEquals(new byte[] {0x17, 0x00}, Arrays.copyOf(tags.get(1).body(), 2), "AVC sequence header");
        List<FlvTag> pictures = tags.stream().filter(t -> t.tagType() == FlvTagType.VIDEO && t.body()[1] == 1)
                .toList();
        assertEquals(50, pictures.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i * 40, pictures.get(i).timestampMs(), "timestamp of picture " + i);
            assertEquals(i % 25 == 0 ? 0x17 : 0x27, pictures.get(i).body()[0] & 0xff, "frame type of picture " + i);
        }
        assertEquals(50, Ffprobe.countFrames(out.resolve("cam_a_1234.flv")));
    }

    @Test
    void secondConcurrentPublishOfTheSameNameIsBadName(@TempDir Path out) throws Exception {
        try (RtmpIngestServer server = RtmpIngestServer.start("127.0.0.1", 0, out)) {
            RtmpPublisher first = publish(server, "dup_key");
            RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:" + server.port() + "/live/dup_key");
            CompletableFuture<RtmpPublisher> second = RtmpPublisher.publish(url, RtmpPublisherOptions.defaults());
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> second.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            RtmpException cause = assertInstanceOf(RtmpException.class, e.getCause());
            assertEquals(RtmpErrorCode.RTMP_PUBLISH_BAD_NAME, cause.code());
            assertEquals("NetStream.Publish.BadName", cause.serverCode());
            assertTrue(server.publishing("dup_key"), "the first publish goes on");

            first.close(); // drop the connection without unpublishing
            Await.until(() -> !server.publishing("dup_key"), DEADLINE, "the dropped publish to end");
            RtmpPublisher again = publish(server, "dup_key");
            again.unpublish().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            Await.until(() -> !server.publishing("dup_key"), DEADLINE, "the second publish to end");
            assertEquals(List.of(out.resolve("dup_key.flv"), out.resolve("dup_key-2.flv")), server.recordings());
        }
        assertEquals(List.of(), FlvFileReader.readAll(out.resolve("dup_key.flv")), "header only, no tags");
    }

    @Test
    void garbageInsteadOfAHandshakeClosesOnlyThatConnection(@TempDir Path out) throws Exception {
        try (RtmpIngestServer server = RtmpIngestServer.start("127.0.0.1", 0, out)) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout((int) DEADLINE.toMillis());
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read(), "server must close a non-RTMP connection");
            }
            RtmpPublisher p = publish(server, "after_garbage");
            assertTrue(server.publishing("after_garbage"));
            p.unpublish().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void ffmpegPublishIsRecordedFrameForFrame(@TempDir Path out) throws Exception {
        Path ffmpeg = Peers.require("ffmpeg");
        Path clip = Fixtures.repoFixture("small.h264");
        try (RtmpIngestServer server = RtmpIngestServer.start("127.0.0.1", 0, out);
             ManagedProcess p = ManagedProcess.start("ffmpeg", List.of(ffmpeg.toString(), "-hide_banner",
                     "-loglevel", "error", "-re", "-i", clip.toString(), "-c", "copy", "-f", "flv",
                     "rtmp://127.0.0.1:" + server.port() + "/live/ff_stream"), out, out.resolve("ffmpeg.log"))) {
            assertEquals(0, p.awaitExit(DEADLINE), p::logTail);
            Await.until(() -> !server.publishing("ff_stream"), DEADLINE, "ffmpeg's publish to end");
            assertEquals(50, server.framesReceived("ff_stream"));
        }
        assertEquals(50, Ffprobe.countFrames(out.resolve("ff_stream.flv")));
        assertEquals(new Ffprobe.VideoSize(320, 240), Ffprobe.videoSize(out.resolve("ff_stream.flv")));
    }

    @Test
    void helpers() {
        assertEquals("cam_1", IngestCommands.streamName("cam_1?token=abc"));
        assertEquals("a_b_c", RtmpIngestServer.fileName("a/b c"));
        assertEquals("_", RtmpIngestServer.fileName(".."));
    }
}
