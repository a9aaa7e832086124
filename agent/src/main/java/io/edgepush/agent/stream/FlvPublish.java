package io.edgepush.agent.stream;

import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.flv.FlvRecordingTee;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.edgepush.protocol.flv.SilentAudioTrack;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpTagSink;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The writing half of a {@link StreamOutput}: access units -> {@link FlvVideoMuxer} of their codec (-> a
 * {@link SilentAudioTrack}) (-> a local recording) -> {@link RtmpTagSink} -> the publisher in use. It knows nothing
 * of states: the output decides what is written and when. Keeps pooled parameter-set copies in the muxer:
 * {@link #close()} it. Not thread-safe: its output serialises every call.
 */
final class FlvPublish implements AutoCloseable {
    private static final String ENCODER = "edgepush";

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final double fpsHint;
    private final RtmpTagSink rtmp = new RtmpTagSink();
    private final SilentAudioTrack silentAudio;
    private final FlvVideoMuxer.TagSink tags;
    private FlvVideoMuxer muxer;
    private VideoCodec codec;
    private long bytesCounted;

    /**
     * @param fpsHint     frame rate for onMetaData when the parameter sets carry no timing
     * @param silentAudio weave a silent AAC-LC track into every publish
     * @param recording   BORROWED local .flv file that also gets every tag, or null
     */
    FlvPublish(double fpsHint, boolean silentAudio, FlvFileWriter recording) {
        this.fpsHint = fpsHint;
        FlvVideoMuxer.TagSink out = recording == null ? rtmp : new FlvRecordingTee(recording, rtmp);
        this.silentAudio = silentAudio
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
        muxer = FlvVideoMuxer.forCodec(next, alloc, tags, true, fpsHint, ENCODER);
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

    /**
     * Tracks the parameter sets of {@code au} (borrowed) without writing it.
     *
     * @throws io.edgepush.protocol.h264.H264Exception when a parameter set does not parse
     */
    void observe(AccessUnit au) {
        muxer.observe(au);
    }

    /**
     * Writes {@code au} (borrowed) at {@code timestampMs}.
     *
     * @throws io.edgepush.protocol.h264.H264Exception / IllegalArgumentException as {@link FlvVideoMuxer#write}
     */
    FlvVideoMuxer.Result write(AccessUnit au, int timestampMs) {
        return muxer.write(au, timestampMs);
    }

    /** The codec's end-of-sequence tag at {@code endMs}; the silent audio run ends at {@code audioEndMs}. */
    void endOfSequence(int endMs, int audioEndMs) {
        if (muxer == null) {
            return;
        }
        muxer.writeEndOfSequence(endMs);
        if (silentAudio != null) {
            silentAudio.finish(audioEndMs);
        }
    }

    /** Tag body bytes given to publishers since the previous call. */
    long bytesSinceLastCall() {
        long total = rtmp.bytesWritten();
        long delta = total - bytesCounted;
        bytesCounted = total;
        return delta;
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
