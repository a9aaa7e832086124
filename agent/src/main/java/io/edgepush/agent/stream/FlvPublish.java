package io.edgepush.agent.stream;

import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.flv.FlvRecordingTee;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.edgepush.protocol.flv.SilentAudioTrack;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpTagSink;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing half of a {@link StreamOutput}: access units -> {@link FlvVideoMuxer} of their codec (-> a
 * {@link SilentAudioTrack}) (-> a local recording) -> {@link RtmpTagSink} -> the publisher in use. It knows nothing
 * of states: the output decides what is written and when; this counts what became of each frame and the bytes
 * that went out ({@link OutputCounters}). Keeps pooled parameter-set copies in the muxer: {@link #close()} it.
 * Not thread-safe: its output serialises every call.
 */
final class FlvPublish implements AutoCloseable {
    /** The output's logger: what happens to a frame is the output's to report. */
    private static final Logger log = LoggerFactory.getLogger(StreamOutput.class);
    private static final String ENCODER = "edgepush";

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final OutputSettings settings;
    private final OutputCounters counters;
    private final RtmpTagSink rtmp = new RtmpTagSink();
    private final SilentAudioTrack silentAudio;
    private final FlvVideoMuxer.TagSink tags;
    private FlvVideoMuxer muxer;
    private VideoCodec codec;
    private long bytesCounted;

    /**
     * @param settings  the output's: frame rate for onMetaData when the parameter sets carry no timing, silent
     *                  audio, names for the logs
     * @param counters  where sent, dropped and bytes are counted
     * @param recording BORROWED local .flv file that also gets every tag, or null
     */
    FlvPublish(OutputSettings settings, OutputCounters counters, FlvFileWriter recording) {
        this.settings = settings;
        this.counters = counters;
        rtmp.measureAddedLatency(counters::frameWritten);
        FlvVideoMuxer.TagSink out = recording == null ? rtmp : new FlvRecordingTee(recording, rtmp);
        this.silentAudio = settings.silentAudio()
                ? new SilentAudioTrack(alloc, SilentAudioTrack.DEFAULT_SAMPLE_RATE_HZ, out) : null;
        this.tags = this.silentAudio != null ? this.silentAudio : out;
    }

    /** The codec of the muxer in use, or null before the first access unit. */
    VideoCodec codec() {
        return codec;
    }

    /** A muxer for {@code next} replaces the one in use (whose parameter sets are released). */
    void useCodec(VideoCodec next) {
        if (muxer != null) {
            muxer.close();
        }
        codec = next;
        muxer = FlvVideoMuxer.forCodec(next, alloc, tags, true, settings.fpsHint(), ENCODER);
        if (silentAudio != null) {
            muxer.setAudio(silentAudio.metaData());
        }
    }

    /** Tags go to {@code publisher} from now on (null: none, tags are discarded). */
    void use(RtmpPublisher publisher) {
        rtmp.use(publisher);
    }

    /** The publisher tags go to, or null. */
    RtmpPublisher publisher() {
        return rtmp.publisher();
    }

    /** The next keyframe starts a new output: onMetaData, sequence header(s), a new audio run. */
    void restart() {
        if (muxer != null) {
            muxer.restart();
        }
        if (silentAudio != null) {
            silentAudio.restart();
        }
    }

    /** Tracks the parameter sets of {@code au} (borrowed) without writing it; one that does not parse is skipped. */
    void observe(AccessUnit au) {
        try {
            muxer.observe(au);
        } catch (H264Exception e) {
            log.debug("parameter set not tracked: {}", e.getMessage());
        }
    }

    /** Drops {@code au} (borrowed), counted with {@code reason}; its parameter sets are still tracked. */
    void drop(AccessUnit au, OutputCounters.DropReason reason) {
        observe(au);
        counters.frameDropped(reason);
    }

    /**
     * Writes {@code au} (borrowed) at {@code timestampMs}: counted as sent, or as corrupt when it cannot be muxed
     * ({@link FlvVideoMuxer#write}); the bytes that went out are counted either way.
     *
     * @return true when it was written
     */
    boolean write(AccessUnit au, int timestampMs) {
        try {
            rtmp.frameReceivedAt(au.receivedNanos());
            FlvVideoMuxer.Result result = muxer.write(au, timestampMs);
            if (result == FlvVideoMuxer.Result.WRITTEN) {
                counters.frameSent();
                return true;
            }
            counters.frameDropped(OutputCounters.DropReason.CORRUPT);
            log.warn("event=frame_skipped device_id={} stream_name={} reason={}", settings.deviceId(),
                    settings.streamName(), result);
        } catch (H264Exception | IllegalArgumentException e) {
            counters.frameDropped(OutputCounters.DropReason.CORRUPT);
            log.warn("event=bad_frame device_id={} stream_name={} error=\"{}\"", settings.deviceId(),
                    settings.streamName(), e.getMessage());
        } finally {
            countBytes();
        }
        return false;
    }

    /**
     * The codec's end-of-sequence tag at {@code endMs}; the silent audio run ends at {@code audioEndMs}. Its bytes
     * are counted.
     */
    void endOfSequence(int endMs, int audioEndMs) {
        if (muxer == null) {
            return;
        }
        muxer.writeEndOfSequence(endMs);
        if (silentAudio != null) {
            silentAudio.finish(audioEndMs);
        }
        countBytes();
    }

    /** Counts the tag body bytes given to publishers since the previous count. */
    private void countBytes() {
        long total = rtmp.bytesWritten();
        long delta = total - bytesCounted;
        bytesCounted = total;
        if (delta != 0) {
            counters.bytesSent(delta);
        }
    }

    /** Media time on its way to the server, milliseconds ({@link RtmpTagSink#backlogMs()}). */
    long backlogMs() {
        return rtmp.backlogMs();
    }

    /** Bytes queued in the RTMP connection. */
    long backlogBytes() {
        return rtmp.backlogBytes();
    }

    /** RTMP bytes known to have arrived, over every publisher so far ({@link RtmpTagSink#bytesDelivered()}). */
    long bytesDelivered() {
        return rtmp.bytesDelivered();
    }

    /** Stops sending and releases the muxer's parameter set copies. */
    @Override
    public void close() {
        rtmp.use(null);
        if (muxer != null) {
            muxer.close();
        }
    }
}
