package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.h264.AnnexBReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The start-code search alone: splitting a 1080p IDR access unit (Annex B, ISO/IEC 14496-10 Annex B) into its NAL
 * units with {@link AnnexBReader#forEachNalUnit}, the step that scans every byte of every frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class StartCodeBenchmark {
    private ByteBuf idr;
    private Blackhole sink;
    private final Consumer<ByteBuf> count = nal -> sink.consume(nal.readableBytes());

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        sink = blackhole;
        byte[] bytes = FramePathBenchmark.pictures(FramePathBenchmark.clip()).get(0);
        idr = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    @Benchmark
    public void splitIdr() {
        AnnexBReader.forEachNalUnit(idr, count);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        idr.release();
    }
}
