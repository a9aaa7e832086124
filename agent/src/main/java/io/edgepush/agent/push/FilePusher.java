package io.edgepush.agent.push;

import io.edgepush.protocol.flv.AvcFlvMuxer;
import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.flv.FlvRecordingTee;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.h264.PresentationTimeCalculator;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends an H.264 Annex B file as one live RTMP stream (the {@code agent push} command, DESIGN.md
 * section 6): access units in file order from the first keyframe, decode timestamps {@code round(n * 1000 / fps)}
 * ms, presentation times from the picture order count with the composition time offset in each tag
 * ({@link PresentationTimeCalculator}: B-frames play in display order), paced in real time or, with {@code fast},
 * as fast as the socket drains. Access units before the first keyframe are skipped (their SPS/PPS are kept).
 * The stream ends with an AVC end-of-sequence tag and a clean unpublish. With a recording file the same muxer's
 * tags also go to a local .flv ({@link FlvRecordingTee}).
 */
public final class FilePusher {
    private static final Logger log = LoggerFactory.getLogger(FilePusher.class);
    private static final int MAX_NAL_BYTES = 16 * 1024 * 1024;
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What one push did. */
    public record Result(long framesSent, long framesSkipped, long badAccessUnits, long bytesSent, int lastTimestampMs) {
    }

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final double fps;
    private final boolean fast;
    private final Path recordFile;
    private final int firstTimestampMs;
    private RtmpPublisher publisher;
    private boolean keyframeSeen;
    private long framesSent;
    private long framesSkipped;
    private long badAccessUnits;
    private long bytesSent;
    private int lastTimestampMs;
    private long startNanos;

    /**
     * @param fps frame rate used for timestamps and real-time pacing (frames per second, > 0)
     * @param fast true to send as fast as the connection takes instead of in real time
     */
    public FilePusher(double fps, boolean fast) {
        this(fps, fast, null);
    }

    /**
     * @param fps frame rate used for timestamps and real-time pacing (frames per second, > 0)
     * @param fast true to send as fast as the connection takes instead of in real time
     * @param recordFile where to write a local .flv copy of the stream (created or truncated), or null for none
     */
    public FilePusher(double fps, boolean fast, Path recordFile) {
        this(fps, fast, recordFile, 0);
    }

    /**
     * TEST SEAM, not a production option (no CLI flag): starts the stream clock at {@code firstTimestampMs}
     * instead of 0, so a test can push across the 24-bit timestamp boundary (0xFFFFFF ms = 4 h 39 min, Adobe RTMP
     * spec 5.3.1.3 extended timestamps) or the 32-bit wrap without streaming for hours. Every tag's timestamp is
     * {@code firstTimestampMs + dts} modulo 2^32; pacing still starts at 0.
     *
     * @param fps              frame rate used for timestamps and real-time pacing (frames per second, > 0)
     * @param fast             true to send as fast as the connection takes instead of in real time
     * @param recordFile       where to write a local .flv copy of the stream, or null for none
     * @param firstTimestampMs test seam: start the stream clock at this value (unsigned 32 bit), milliseconds
     */
    public FilePusher(double fps, boolean fast, Path recordFile, int firstTimestampMs) {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        this.fps = fps;
        this.fast = fast;
        this.recordFile = recordFile;
        this.firstTimestampMs = firstTimestampMs;
    }

    /**
     * Pushes {@code input} through {@code publisher}, which must be publishing (NetStream.Publish.Start
     * seen), then unpublishes.
     *
     * @throws IOException when the input cannot be read or the recording file cannot be written
     * @throws RtmpException when the connection fails mid-stream
     * @throws H264Exception when the file holds no keyframe with usable SPS/PPS, or is not Annex B
     */
    public Result push(Path input, RtmpPublisher publisher) throws IOException, RtmpException {
        this.publisher = publisher;
        startNanos = System.nanoTime();
        try (FlvFileWriter recording = recordFile == null ? null : new FlvFileWriter(recordFile, true, false)) {
            AvcFlvMuxer.TagSink sink = recording == null ? this::send : new FlvRecordingTee(recording, this::send);
            try (AvcFlvMuxer muxer = new AvcFlvMuxer(alloc, sink, true, fps, "edgepush")) {
                pushAccessUnits(input, muxer);
                muxer.writeEndOfSequence(lastTimestampMs);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        failIfClosed();
        publisher.unpublish().orTimeout(10, TimeUnit.SECONDS).join();
        return new Result(framesSent, framesSkipped, badAccessUnits, bytesSent, lastTimestampMs);
    }

    private void pushAccessUnits(Path input, AvcFlvMuxer muxer) throws IOException, RtmpException {
        PresentationTimeCalculator<AccessUnit> timestamps = new PresentationTimeCalculator<>(fps,
                (au, dtsMs, compositionTimeMs) -> sendAccessUnit(muxer, au, dtsMs, compositionTimeMs));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             AnnexBReader reader = new AnnexBReader(in, MAX_NAL_BYTES)) {
            AccessUnitAssembler assembler = new AccessUnitAssembler(au -> timestamp(timestamps, muxer, au));
            ByteBuf nal;
            while ((nal = reader.next(alloc)) != null) {
                assembler.push(nal);
                failIfClosed();
            }
            assembler.flush();
            timestamps.flush();
        } finally {
            timestamps.discard(AccessUnit::release);
        }
        if (framesSent == 0) {
            throw new H264Exception("no access unit could be sent: " + input
                    + " holds no keyframe (IDR) with a parseable SPS and PPS");
        }
    }

    /** Access units before the first keyframe are skipped (parameter sets noted); the rest get timestamps. */
    private void timestamp(PresentationTimeCalculator<AccessUnit> timestamps, AvcFlvMuxer muxer, AccessUnit au) {
        if (!keyframeSeen && !au.isKeyframe()) {
            try {
                muxer.observe(au.nalUnits());
                framesSkipped++;
            } catch (H264Exception e) {
                badAccessUnits++;
                log.warn("event=bad_access_unit index={} error=\"{}\"", framesSkipped + badAccessUnits,
                        e.getMessage());
            } finally {
                au.release();
            }
            return;
        }
        keyframeSeen = true;
        timestamps.push(au, au.sps(), au.firstSliceHeader(), false);
    }

    private void sendAccessUnit(AvcFlvMuxer muxer, AccessUnit au, int timestampMs, int compositionTimeMs) {
        try {
            pace(timestampMs);
            int streamTimestampMs = firstTimestampMs + timestampMs; // wraps modulo 2^32 like RTMP timestamps
            AvcFlvMuxer.Result result = muxer.write(au.nalUnits(), streamTimestampMs, compositionTimeMs);
            if (result == AvcFlvMuxer.Result.WRITTEN) {
                framesSent++;
                lastTimestampMs = streamTimestampMs;
            } else {
                framesSkipped++;
            }
        } catch (H264Exception e) {
            badAccessUnits++;
            log.warn("event=bad_access_unit index={} error=\"{}\"", framesSent + framesSkipped + badAccessUnits,
                    e.getMessage());
        } finally {
            au.release();
        }
    }

    private void send(int tagType, int timestampMs, ByteBuf body) {
        bytesSent += body.readableBytes();
        if (tagType == FlvTagType.SCRIPT_DATA) {
            publisher.sendMetaData(body);
        } else {
            publisher.sendVideo(timestampMs, body);
        }
    }

    /** Real time: wait for the frame's due time. Fast: wait while the socket's buffer is full. */
    private void pace(int timestampMs) {
        if (!fast) {
            long dueNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timestampMs);
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
