package io.edgepush.agent.push;

import io.edgepush.agent.stream.OutputCounters;
import io.edgepush.agent.stream.OutputSettings;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.hevc.H265Exception;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agent push}: an H.264 or H.265 Annex B file as a source for the same {@link StreamOutput} a camera stream
 * uses (DESIGN.md section 6). The file is read NAL unit by NAL unit into an {@link AccessUnitReader} at the given
 * frame rate (decode time {@code round(n * 1000 / fps)} ms; H.264 presentation time from the picture order count,
 * so B-frames play in order), and each access unit is offered to the output, paced in real time or, with
 * {@code fast}, as fast as the socket drains. Access units before the first keyframe are skipped (their parameter
 * sets are kept); with frame dropping (real time only) frames the uplink cannot take are dropped up to the next
 * keyframe. The stream ends with the codec's end-of-sequence tag and a clean unpublish. With a recording file the
 * same tags also go to a local .flv; with silent audio a silent mono AAC-LC track at 44100 Hz is interleaved.
 * H.265 goes out over Enhanced RTMP (FourCC "hvc1"; the publisher should announce it in connect,
 * {@link VideoCodec#fourCcList()}), composition time 0.
 */
final class FileSource {
    private static final Logger log = LoggerFactory.getLogger(FileSource.class);
    private static final int MAX_NAL_BYTES = 16 * 1024 * 1024;
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * What one push did: frames sent, skipped before the first keyframe, dropped because the uplink fell behind (real
     * time only), bad (unparseable), FLV tag body bytes, the last timestamp written.
     */
    public record Result(long framesSent, long framesSkipped, long framesDropped, long badAccessUnits, long bytesSent,
                         int lastTimestampMs) {
    }

    private final FilePushOptions options;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final Counters counters = new Counters();
    private RtmpPublisher publisher;
    private StreamOutput output;
    private long startNanos;
    private long offered;
    private long unparseable;

    /** Counts what the output did with the access units. */
    private static final class Counters implements OutputCounters {
        long sent;
        long dropped;
        long corrupt;
        long bytes;

        @Override
        public void frameSent() {
            sent++;
        }

        @Override
        public void bytesSent(long n) {
            bytes += n;
        }

        @Override
        public void frameDropped(DropReason reason) {
            if (reason == DropReason.WAITING_FOR_KEYFRAME) {
                return; // counted as skipped before the first keyframe
            }
            dropped++;
            if (reason == DropReason.CORRUPT) {
                corrupt++;
            }
        }
    }

    /** @param options fps, pacing, recording, codec, silent audio (and the timestamp test seam) */
    public FileSource(FilePushOptions options) {
        this.options = options;
    }

    /**
     * Pushes {@code input} through {@code publisher}, which must be publishing (NetStream.Publish.Start seen),
     * then unpublishes.
     *
     * @throws IOException when the input cannot be read or the recording file cannot be written
     * @throws RtmpException when the connection fails mid-stream
     * @throws H264Exception when the file holds no keyframe with usable parameter sets, or is not Annex B (for
     *     H.265 the subclass {@link H265Exception})
     */
    public Result push(Path input, RtmpPublisher publisher) throws IOException, RtmpException {
        this.publisher = publisher;
        VideoCodec codec = options.codec();
        OutputSettings settings = new OutputSettings("file", input.getFileName().toString(), !options.fast(),
                options.fps(), options.silentAudio(), OutputSettings.DEFAULT_GOP_BUFFER_BYTES,
                OutputSettings.DEFAULT_GOP_BUFFER_MS, 0, OutputSettings.DEFAULT_TARGET_LATENCY_MS);
        int lastTimestampMs;
        try (FlvFileWriter recording = options.recordFile() == null ? null
                : new FlvFileWriter(options.recordFile(), true, options.silentAudio());
             StreamOutput out = new StreamOutput(settings, counters, () -> { }, StreamOutput::monotonicMs,
                     recording)) {
            output = out;
            out.newTimeline(options.firstTimestampMs());
            out.attach(publisher);
            startNanos = System.nanoTime();
            read(input, codec);
            out.endOfSequence();
            lastTimestampMs = out.lastTimestampMs();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        failIfClosed();
        if (counters.sent == 0) {
            String what = codec == VideoCodec.H265 ? "keyframe (IRAP picture) with a parseable VPS, SPS and PPS"
                    : "keyframe (IDR) with a parseable SPS and PPS";
            String message = "no access unit could be sent: " + input + " holds no " + what;
            throw codec == VideoCodec.H265 ? new H265Exception(message) : new H264Exception(message);
        }
        publisher.unpublish().orTimeout(10, TimeUnit.SECONDS).join();
        long skipped = offered - counters.sent - counters.dropped;
        return new Result(counters.sent, skipped, counters.dropped - counters.corrupt, counters.corrupt + unparseable,
                counters.bytes, lastTimestampMs);
    }

    private void read(Path input, VideoCodec codec) throws IOException, RtmpException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             AnnexBReader nalUnits = new AnnexBReader(in, MAX_NAL_BYTES);
             AccessUnitReader accessUnits = AccessUnitReader.atFrameRate(codec, options.fps(), this::offer)) {
            ByteBuf nal;
            while ((nal = nalUnits.next(alloc)) != null) {
                try {
                    accessUnits.push(nal, 0);
                } catch (H264Exception e) {
                    unparseable++;
                    log.warn("event=bad_nal_unit index={} error=\"{}\"", offered, e.getMessage());
                }
                failIfClosed();
            }
            accessUnits.flush();
        }
    }

    /** Paces, then hands one access unit (taken) to the output. */
    private void offer(AccessUnit au) {
        offered++;
        try {
            pace(au.dtsMs());
        } catch (RuntimeException e) {
            au.release();
            throw e;
        }
        output.offer(au);
    }

    /** Real time: wait for the frame's due time. Fast: wait while the socket's buffer is full. */
    private void pace(long dtsMs) {
        if (!options.fast()) {
            long dueNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(dtsMs);
            long waitNanos;
            while ((waitNanos = dueNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(waitNanos);
            }
            return;
        }
        long deadline = System.nanoTime() + STALL_TIMEOUT_NANOS;
        while (!publisher.isWritable() && !publisher.closed().isDone()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the RTMP connection took nothing for 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void failIfClosed() throws RtmpException {
        if (publisher.closed().isDone()) {
            RtmpException cause = publisher.closed().getNow(null);
            if (cause != null) {
                throw cause;
            }
            throw new IllegalStateException("the RTMP connection closed before the end of the file");
        }
    }
}
