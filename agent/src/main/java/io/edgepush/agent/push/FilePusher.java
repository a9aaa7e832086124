package io.edgepush.agent.push;

import io.edgepush.protocol.flv.AvcFlvMuxer;
import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.flv.FlvRecordingTee;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.SilentAudioTrack;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.edgepush.protocol.flv.HevcFlvMuxer;
import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.h264.PresentationTimeCalculator;
import io.edgepush.protocol.hevc.H265Exception;
import io.edgepush.protocol.hevc.HevcAccessUnit;
import io.edgepush.protocol.hevc.HevcAccessUnitAssembler;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends an H.264 or H.265 Annex B file as one live RTMP stream (the {@code agent push} command, DESIGN.md
 * section 6): access units in file order from the first keyframe, decode timestamps {@code round(n * 1000 / fps)}
 * ms, presentation times from the picture order count with the composition time offset in each tag
 * ({@link PresentationTimeCalculator}: B-frames play in display order), paced in real time or, with {@code fast},
 * as fast as the socket drains. Access units before the first keyframe are skipped (their SPS/PPS are kept).
 * The stream ends with an AVC end-of-sequence tag and a clean unpublish. With a recording file the same muxer's
 * tags also go to a local .flv ({@link FlvRecordingTee}). With {@code silentAudio} a silent mono AAC-LC track at
 * 44100 Hz ({@link SilentAudioTrack}) is interleaved with the video and lasts as long as it.
 *
 * <p>H.265 ({@link VideoCodec#H265}) goes out over Enhanced RTMP ({@link HevcFlvMuxer}, FourCC "hvc1"): access
 * units from the first IRAP picture, the same decode timestamps {@code round(n * 1000 / fps)} ms and pacing,
 * composition time 0 (picture order count is not evaluated for HEVC: input with B-frames / reordering would
 * play out of order), SequenceEnd at the end. The publisher should announce "hvc1" in connect
 * ({@link VideoCodec#fourCcList()}).
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
    private final boolean silentAudio;
    private final VideoCodec codec;
    private final int firstTimestampMs;
    private RtmpPublisher publisher;
    private long hevcFrameIndex;
    private boolean keyframeSeen;
    private long framesSent;
    private long framesSkipped;
    private long badAccessUnits;
    private long bytesSent;
    private int lastTimestampMs;
    private long startNanos;

    /** @param options fps, pacing, recording, codec, silent audio (and the timestamp test seam) */
    public FilePusher(FilePushOptions options) {
        this.fps = options.fps();
        this.fast = options.fast();
        this.recordFile = options.recordFile();
        this.silentAudio = options.silentAudio();
        this.codec = options.codec();
        this.firstTimestampMs = options.firstTimestampMs();
    }

    /**
     * Pushes {@code input} through {@code publisher}, which must be publishing (NetStream.Publish.Start
     * seen), then unpublishes.
     *
     * @throws IOException when the input cannot be read or the recording file cannot be written
     * @throws RtmpException when the connection fails mid-stream
     * @throws H264Exception when the file holds no keyframe with usable parameter sets, or is not Annex B (for
     *     H.265 the subclass {@link H265Exception})
     */
    public Result push(Path input, RtmpPublisher publisher) throws IOException, RtmpException {
        this.publisher = publisher;
        startNanos = System.nanoTime();
        try (FlvFileWriter recording = recordFile == null ? null
                : new FlvFileWriter(recordFile, true, silentAudio)) {
            FlvVideoMuxer.TagSink sink = recording == null ? this::send : new FlvRecordingTee(recording, this::send);
            SilentAudioTrack audio = silentAudio
                    ? new SilentAudioTrack(alloc, SilentAudioTrack.DEFAULT_SAMPLE_RATE_HZ, sink) : null;
            FlvVideoMuxer.TagSink videoSink = audio == null ? sink : audio;
            try (FlvVideoMuxer muxer = codec == VideoCodec.H265
                    ? new HevcFlvMuxer(alloc, videoSink, true, fps, "edgepush")
                    : new AvcFlvMuxer(alloc, videoSink, true, fps, "edgepush")) {
                if (audio != null) {
                    muxer.setAudio(audio.metaData());
                }
                if (codec == VideoCodec.H265) {
                    pushHevcAccessUnits(input, muxer);
                } else {
                    pushAccessUnits(input, muxer);
                }
                muxer.writeEndOfSequence(lastTimestampMs);
                if (audio != null) {
                    audio.finish(lastTimestampMs + (int) Math.round(1000 / fps));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        failIfClosed();
        publisher.unpublish().orTimeout(10, TimeUnit.SECONDS).join();
        return new Result(framesSent, framesSkipped, badAccessUnits, bytesSent, lastTimestampMs);
    }

    private void pushAccessUnits(Path input, FlvVideoMuxer muxer) throws IOException, RtmpException {
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
    private void timestamp(PresentationTimeCalculator<AccessUnit> timestamps, FlvVideoMuxer muxer, AccessUnit au) {
        if (!keyframeSeen && !au.isKeyframe()) {
            try {
                skipBeforeKeyframe(muxer, au.nalUnits());
            } finally {
                au.release();
            }
            return;
        }
        keyframeSeen = true;
        timestamps.push(au, au.sps(), au.firstSliceHeader(), false);
    }

    /** H.265: access units before the first IRAP picture are skipped (parameter sets noted), the rest sent. */
    private void pushHevcAccessUnits(Path input, FlvVideoMuxer muxer) throws IOException, RtmpException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             AnnexBReader reader = new AnnexBReader(in, MAX_NAL_BYTES)) {
            HevcAccessUnitAssembler assembler = new HevcAccessUnitAssembler(au -> onHevcAccessUnit(muxer, au));
            ByteBuf nal;
            while ((nal = reader.next(alloc)) != null) {
                assembler.push(nal);
                failIfClosed();
            }
            assembler.flush();
        }
        if (framesSent == 0) {
            throw new H265Exception("no access unit could be sent: " + input
                    + " holds no keyframe (IRAP picture) with a parseable VPS, SPS and PPS");
        }
    }

    private void onHevcAccessUnit(FlvVideoMuxer muxer, HevcAccessUnit au) {
        try {
            if (!keyframeSeen && !au.isKeyframe()) {
                skipBeforeKeyframe(muxer, au.nalUnits());
                return;
            }
            keyframeSeen = true;
            int timestampMs = (int) Math.round(hevcFrameIndex++ * 1000.0 / fps);
            sendAccessUnit(muxer, au.nalUnits(), timestampMs, 0);
        } finally {
            au.release();
        }
    }

    /**
     * An access unit before the first keyframe (H.264 IDR, H.265 IRAP): notes its parameter sets and counts it
     * skipped, or counts and logs it as bad. Borrows {@code nalUnits}.
     */
    private void skipBeforeKeyframe(FlvVideoMuxer muxer, List<ByteBuf> nalUnits) {
        try {
            muxer.observe(nalUnits);
            framesSkipped++;
        } catch (H264Exception e) {
            badAccessUnits++;
            log.warn("event=bad_access_unit index={} error=\"{}\"", framesSkipped + badAccessUnits,
                    e.getMessage());
        }
    }

    private void sendAccessUnit(FlvVideoMuxer muxer, AccessUnit au, int timestampMs, int compositionTimeMs) {
        try {
            sendAccessUnit(muxer, au.nalUnits(), timestampMs, compositionTimeMs);
        } finally {
            au.release();
        }
    }

    /** Paces and writes one access unit; its NAL units are borrowed. */
    private void sendAccessUnit(FlvVideoMuxer muxer, List<ByteBuf> nalUnits, int timestampMs, int compositionTimeMs) {
        try {
            pace(timestampMs);
            int streamTimestampMs = firstTimestampMs + timestampMs; // wraps modulo 2^32 like RTMP timestamps
            FlvVideoMuxer.Result result = muxer.write(nalUnits, streamTimestampMs, compositionTimeMs);
            if (result == FlvVideoMuxer.Result.WRITTEN) {
                framesSent++;
                lastTimestampMs = streamTimestampMs;
            } else {
                framesSkipped++;
            }
        } catch (H264Exception e) {
            badAccessUnits++;
            log.warn("event=bad_access_unit index={} error=\"{}\"", framesSent + framesSkipped + badAccessUnits,
                    e.getMessage());
        }
    }

    private void send(int tagType, int timestampMs, ByteBuf body) {
        bytesSent += body.readableBytes();
        if (tagType == FlvTagType.SCRIPT_DATA) {
            publisher.sendMetaData(body);
        } else if (tagType == FlvTagType.AUDIO) {
            publisher.sendAudio(timestampMs, body);
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
