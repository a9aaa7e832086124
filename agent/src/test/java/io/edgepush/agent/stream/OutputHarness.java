package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.session.FixtureAccessUnits;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link StreamOutput} (25 fps hint, no frame dropping, no silent audio, 3 MiB / 10 s GOP buffer, no
 * pre-roll) fed with the access units of {@code small.h264} (50 pictures, IDR at 0 and 25; picture i at source
 * time {@link #BASE_MS} + 40 i), real publishers on {@link ScriptedRtmpServer}s, and a recording
 * {@link OutputCounters}. Every NAL unit buffer it makes is kept, so {@link #close()} can check that each was
 * released exactly once.
 */
final class OutputHarness implements AutoCloseable {
    /** Source decode time of picture 0: far from 0, so stream timestamps from 0 show the mapping. */
    static final long BASE_MS = 7_654_321;
    static final List<List<byte[]>> CLIP = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));

    final RecordingCounters counters = new RecordingCounters();
    final AtomicInteger idrRequests = new AtomicInteger();
    final AtomicLong clockMs = new AtomicLong(1_000_000);
    final StreamOutput output;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<ScriptedRtmpServer> servers = new ArrayList<>();
    private final List<RtmpPublisher> publishers = new ArrayList<>();
    private final List<ByteBuf> made = new ArrayList<>();

    OutputHarness() {
        this(0);
    }

    /** @param preRollMs the output's pre-roll (whole GOPs kept before the latest keyframe) */
    OutputHarness(long preRollMs) {
        assertEquals(50, CLIP.size(), "small.h264 pictures");
        for (int i = 0; i < CLIP.size(); i++) {
            assertEquals(i == 0 || i == 25, FixtureAccessUnits.isKeyframe(CLIP.get(i)), "IDR at picture " + i);
        }
        OutputSettings settings = new OutputSettings("CAM_T", "main", false, 25, false,
                OutputSettings.DEFAULT_GOP_BUFFER_BYTES, OutputSettings.DEFAULT_GOP_BUFFER_MS, preRollMs,
                OutputSettings.DEFAULT_TARGET_LATENCY_MS);
        output = new StreamOutput(settings, counters, idrRequests::incrementAndGet, clockMs::get, null);
    }

    /** Picture {@code index} of the clip at source time BASE + 40 index (caller hands it on). */
    AccessUnit picture(int index) {
        return accessUnit(CLIP.get(index), BASE_MS + 40L * index);
    }

    /** An access unit of the given NAL units (copied into tracked buffers). */
    AccessUnit accessUnit(List<byte[]> nalUnits, long dtsMs) {
        List<ByteBuf> nals = new ArrayList<>();
        for (byte[] nal : nalUnits) {
            ByteBuf buf = Unpooled.copiedBuffer(nal);
            made.add(buf);
            nals.add(buf);
        }
        return AccessUnit.of(VideoCodec.H264, nals, dtsMs, dtsMs);
    }

    /** Offers pictures {@code from}..{@code to} (inclusive), 40 ms of clock apart. */
    void offer(int from, int to) {
        for (int i = from; i <= to; i++) {
            clockMs.addAndGet(40);
            output.offer(picture(i));
        }
    }

    /** Buffers made so far (to check reference counts of a range). */
    int buffersMade() {
        return made.size();
    }

    /** Reference counts of the buffers made from index {@code from} on. */
    List<Integer> refCnts(int from) {
        return made.subList(from, made.size()).stream().map(ByteBuf::refCnt).toList();
    }

    ScriptedRtmpServer server() throws InterruptedException {
        ScriptedRtmpServer s = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
        servers.add(s);
        return s;
    }

    /** A publisher that has seen NetStream.Publish.Start on {@code server}. */
    RtmpPublisher publish(ScriptedRtmpServer server) throws Exception {
        RtmpPublisherOptions options = RtmpPublisherOptions.defaults().withEventLoopGroup(group)
                .withConnectTimeoutMs(5000);
        RtmpPublisher p = RtmpPublisher.publish(server.url("key1"), options).get(10, TimeUnit.SECONDS);
        publishers.add(p);
        return p;
    }

    /**
     * Unpublishes {@code p} and, once the server has seen its deleteStream (sent after every earlier message on
     * the connection), describes the media it received: "meta" (onMetaData), "seq@T" (AVC sequence header),
     * "key@T" / "inter@T" (AVC NALU tags), "eos@T" (AVC end of sequence), T the message timestamp.
     */
    static List<String> media(ScriptedRtmpServer server, RtmpPublisher p) throws Exception {
        p.unpublish().get(10, TimeUnit.SECONDS);
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream");
        List<String> out = new ArrayList<>();
        for (Received m : server.received()) {
            if (m.typeId() == FlvTagType.SCRIPT_DATA) {
                assertTrue(new String(m.payload(), StandardCharsets.ISO_8859_1).contains("onMetaData"));
                out.add("meta");
            } else if (m.typeId() == FlvTagType.VIDEO) {
                out.add(describeVideo(m));
            }
        }
        return out;
    }

    /** Bytes of onMetaData and video message payloads received (call after {@link #media}). */
    static long mediaBytes(ScriptedRtmpServer server) {
        return server.received().stream().filter(m -> m.typeId() == FlvTagType.SCRIPT_DATA
                || m.typeId() == FlvTagType.VIDEO).mapToLong(m -> m.payload().length).sum();
    }

    /** Video messages received so far (no barrier). */
    static int videoCount(ScriptedRtmpServer server) {
        return server.received(FlvTagType.VIDEO).size();
    }

    static String describeVideo(Received m) {
        byte[] b = m.payload();
        String kind = switch (b[1]) {
            case 0 -> "seq";
            case 1 -> (b[0] & 0xFF) == 0x17 ? "key" : (b[0] & 0xFF) == 0x27 ? "inter" : "nalu?" + b[0];
            case 2 -> "eos";
            default -> "video?" + b[1];
        };
        return kind + "@" + Integer.toUnsignedLong(m.timestampMs());
    }

    /** ["inter@first", "inter@first+40", ...]: {@code count} inter frames 40 ms apart. */
    static List<String> inters(long firstMs, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("inter@" + (firstMs + 40L * i));
        }
        return out;
    }

    /** Concatenates lists of descriptions. */
    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    /** Closes the output, publishers and servers, then checks that every buffer made was released. */
    @Override
    public void close() {
        output.close();
        publishers.forEach(RtmpPublisher::close);
        servers.forEach(ScriptedRtmpServer::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (int i = 0; i < made.size(); i++) {
            assertEquals(0, made.get(i).refCnt(), "NAL unit buffer " + i + " released exactly once");
        }
    }

    /** Counts what the output reports. */
    static final class RecordingCounters implements OutputCounters {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final Map<DropReason, Integer> dropped = Collections.synchronizedMap(new EnumMap<>(DropReason.class));
        final AtomicLong received = new AtomicLong();
        final AtomicLong resent = new AtomicLong();

        @Override
        public void frameReceived() {
            received.incrementAndGet();
        }

        @Override
        public void framesResent(long count) {
            resent.addAndGet(count);
        }

        @Override
        public void restartReceived(long carriedOver) {
            received.set(carriedOver);
            sent.set(0);
            resent.set(0);
            dropped.clear();
        }

        /** Frames dropped, every reason. */
        long droppedTotal() {
            synchronized (dropped) {
                return dropped.values().stream().mapToLong(Integer::longValue).sum();
            }
        }

        @Override
        public void frameSent() {
            sent.incrementAndGet();
        }

        @Override
        public void bytesSent(long n) {
            assertTrue(n > 0, "bytes counted in positive steps: " + n);
            bytes.addAndGet(n);
        }

        @Override
        public void frameDropped(DropReason reason) {
            dropped.merge(reason, 1, Integer::sum);
        }
    }
}
