package io.edgepush.agent.push;

import io.edgepush.protocol.flv.AvcFlvMuxer;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends an H.264 Annex B file as one live RTMP stream (the {@code agent push} command, DESIGN.md
 * section 6): access units in file order, decode timestamps {@code round(n * 1000 / fps)} ms, paced in
 * real time or, with {@code fast}, as fast as the socket drains. The stream starts at the first keyframe,
 * and ends with an AVC end-of-sequence tag and a clean unpublish.
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
    private RtmpPublisher publisher;
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
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        this.fps = fps;
        this.fast = fast;
    }

    /**
     * Pushes {@code input} through {@code publisher}, which must be publishing (NetStream.Publish.Start
     * seen), then unpublishes.
     *
     * @throws IOException when the file cannot be read
     * @throws RtmpException when the connection fails mid-stream
     * @throws H264Exception when the file holds no keyframe with usable SPS/PPS, or is not Annex B
     */
    public Result push(Path input, RtmpPublisher publisher) throws IOException, RtmpException {
        this.publisher = publisher;
        startNanos = System.nanoTime();
        try (AvcFlvMuxer muxer = new AvcFlvMuxer(alloc, this::send, true, fps, "edgepush");
             InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             AnnexBReader reader = new AnnexBReader(in, MAX_NAL_BYTES)) {
            AccessUnitAssembler assembler = new AccessUnitAssembler(au -> sendAccessUnit(muxer, au));
            ByteBuf nal;
            while ((nal = reader.next(alloc)) != null) {
                assembler.push(nal);
                failIfClosed();
            }
            assembler.flush();
            if (framesSent == 0) {
                throw new H264Exception("no access unit could be sent: " + input
                        + " holds no keyframe (IDR) with a parseable SPS and PPS");
            }
            muxer.writeEndOfSequence(lastTimestampMs);
        }
        failIfClosed();
        publisher.unpublish().orTimeout(10, TimeUnit.SECONDS).join();
        return new Result(framesSent, framesSkipped, badAccessUnits, bytesSent, lastTimestampMs);
    }

    private void sendAccessUnit(AvcFlvMuxer muxer, AccessUnit au) {
        try {
            int timestampMs = (int) Math.round(framesSent * 1000.0 / fps);
            pace(timestampMs);
            AvcFlvMuxer.Result result = muxer.write(au.nalUnits(), timestampMs, 0);
            if (result == AvcFlvMuxer.Result.WRITTEN) {
                framesSent++;
                lastTimestampMs = timestampMs;
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
