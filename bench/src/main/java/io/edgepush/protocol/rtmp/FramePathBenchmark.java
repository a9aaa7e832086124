package io.edgepush.protocol.rtmp;

import io.edgepush.bridge.wire.WireCodec;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's frame path for one 1080p picture, as a camera's frame takes it: the bridge VIDEO frame (PROTOCOL.md
 * 3.2, CRC-checked) is decoded ({@link WireCodec}), its Annex B payload split into NAL units ({@link AnnexBReader}),
 * grouped, classified and timed into an {@link AccessUnit} ({@link AccessUnitReader}), as the camera connection does,
 * muxed into an FLV video tag ({@link FlvVideoMuxer}) and chunked into RTMP chunks ({@link ChunkWriter}, chunk size
 * 4096 as the publisher sets it) into a pooled buffer that is then released: the socket is the only part left out.
 * {@code frame}: an IDR or a P picture of the clip at {@code -Djmh.clip} (default {@code out/bench/clip.h264}: 1080p30,
 * 4 Mbps, made by {@code make jmh}). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class FramePathBenchmark {
    /** Which picture of the clip goes through: its first IDR, or the P picture after it. */
    @Param({"IDR", "P"})
    public String frame;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf wire;
    private WireCodec rx;
    private AccessUnitReader reader;
    private FlvVideoMuxer muxer;
    private final ChunkWriter chunks = new ChunkWriter();
    private WireCodec.Receiver receiver;
    private Blackhole sink;
    private int timestampMs;
    private long nalDtsMs;
    private final Consumer<ByteBuf> nalToReader = nal -> reader.push(nal, nalDtsMs);

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        this.sink = blackhole;
        List<byte[]> pictures = pictures(clip());
        byte[] idr = pictures.get(0);
        byte[] chosen = frame.equals("IDR") ? idr : pictures.get(1);
        WireCodec tx = new WireCodec(alloc, WireCodec.MAX_PAYLOAD_BYTES);
        ByteBuf annexB = alloc.buffer(chosen.length).writeBytes(chosen);
        wire = tx.video(0, 1_000_000, frame.equals("IDR"), annexB);
        annexB.release();
        tx.close();
        chunks.setChunkSize(4096);
        rx = new WireCodec(alloc, WireCodec.MAX_PAYLOAD_BYTES);
        reader = new AccessUnitReader(VideoCodec.H264, 30, this::muxed);
        muxer = FlvVideoMuxer.forCodec(VideoCodec.H264, alloc, this::chunked, true, 30, "bench");
        receiver = new WireCodec.Receiver() {
            @Override
            public void onVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf payload) {
                nalDtsMs = captureTimeUs / 1000;
                try {
                    AnnexBReader.forEachNalUnitRetained(payload, nalToReader);
                } finally {
                    payload.release();
                }
                reader.endOfAccessUnit(keyframe);
            }
        };
        // The muxer's sequence header and onMetaData go out with the first IDR, as on a real publish.
        ByteBuf first = new WireCodec(alloc, WireCodec.MAX_PAYLOAD_BYTES).video(0, 0, true,
                alloc.buffer(idr.length).writeBytes(idr));
        rx.feed(first, receiver);
        first.release();
    }

    /** One frame through the whole path; its RTMP chunks are released as a socket write would. */
    @Benchmark
    public void framePath() {
        rx.feed(wire, receiver);
    }

    private void muxed(AccessUnit au) {
        try {
            muxer.write(au, timestampMs += 33);
        } finally {
            au.release();
        }
    }

    private void chunked(int tagType, int tagTimestampMs, ByteBuf body) {
        try {
            int typeId = tagType == FlvTagType.VIDEO ? MessageType.VIDEO
                    : tagType == FlvTagType.AUDIO ? MessageType.AUDIO : MessageType.DATA_AMF0;
            ByteBuf out = alloc.ioBuffer(chunks.maxEncodedLength(6, body.readableBytes()));
            chunks.write(out, 6, typeId, 1, tagTimestampMs, body);
            sink.consume(out.readableBytes());
            out.release();
        } finally {
            body.release();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
        muxer.close();
        rx.close();
        wire.release();
    }

    static Path clip() {
        Path clip = Path.of(System.getProperty("jmh.clip", "out/bench/clip.h264"));
        if (!Files.isRegularFile(clip)) {
            throw new IllegalStateException("no clip at " + clip.toAbsolutePath() + ": run make jmh (it makes one)"
                    + " or pass -Djmh.clip=FILE.h264 (1080p H.264 Annex B)");
        }
        return clip;
    }

    /**
     * The clip's first IDR access unit and the picture after it, each as Annex B bytes (4-byte start codes), the
     * IDR with the SPS/PPS before it.
     */
    static List<byte[]> pictures(Path clip) throws IOException {
        ByteBuf all = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(Files.readAllBytes(clip));
        List<byte[]> units = new ArrayList<>();
        try (AccessUnitReader split = AccessUnitReader.atFrameRate(VideoCodec.H264, 30, au -> {
            if (units.size() < 2 && (units.size() == 1 || au.keyframe())) {
                ByteBuf annexB = PooledByteBufAllocator.DEFAULT.buffer();
                for (ByteBuf nal : au.nalUnits()) {
                    annexB.writeInt(1).writeBytes(nal, nal.readerIndex(), nal.readableBytes());
                }
                byte[] bytes = new byte[annexB.readableBytes()];
                annexB.readBytes(bytes).release();
                units.add(bytes);
            }
            au.release();
        })) {
            AnnexBReader.forEachNalUnit(all, nal -> split.push(nal.retainedSlice(), 0));
            split.flush();
        } finally {
            all.release();
        }
        if (units.size() < 2) {
            throw new IllegalStateException(clip + " has no IDR followed by another picture");
        }
        return units;
    }
}
