package io.edgepush.protocol.flv;

import io.edgepush.protocol.aac.SilentAacFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * A silent mono AAC-LC audio track woven into a video-only FLV tag stream, for ingests that refuse a stream without
 * audio. It sits between a {@link FlvVideoMuxer} and the real sink: tags pass through unchanged, and before each
 * video tag it writes the audio tags that are due, so the output stays interleaved by timestamp.
 *
 * <p>Output: first an AAC sequence header (FLV spec v10.1 E.4.2.2, AACPacketType 0, the 2-byte AudioSpecificConfig
 * of ISO/IEC 14496-3 1.6.2.1), then one raw {@link SilentAacFrame} per 1024 samples. Frame k of a run starting at
 * timestamp t0 has timestamp {@code t0 + round(k * 1024 * 1000 / sampleRateHz)} ms (23 or 24 ms apart at
 * 44100 Hz). The run starts at the first video tag's timestamp; before a video tag at V every frame with a
 * timestamp below V is written, and {@link #finish} writes those below the end of the video. Audio timestamps are
 * strictly increasing. When the video jumps ahead by more than {@link #MAX_GAP_MS} (a camera that was away), the
 * run restarts at the new video timestamp instead of filling the gap with a burst of frames.
 *
 * <p>Not thread-safe: the thread that feeds the muxer feeds this track.
 */
public final class SilentAudioTrack implements FlvVideoMuxer.TagSink {

    /** The sampling rate used unless another is chosen: 44100 Hz. */
    public static final int DEFAULT_SAMPLE_RATE_HZ = 44100;
    /** A forward jump of the video timestamp larger than this restarts the audio run instead of filling it. */
    public static final long MAX_GAP_MS = 1000;

    private static final ByteBuf SILENT_FRAME =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(SilentAacFrame.mono()).asReadOnly());

    private final ByteBufAllocator alloc;
    private final FlvVideoMuxer.TagSink next;
    private final int sampleRateHz;
    private final ByteBuf audioSpecificConfig;
    private boolean started;
    private boolean headerPending = true;
    private long runStartMs;
    private long frameIndex;
    private long framesWritten;
    private long gapsSkipped;

    /**
     * @param alloc        allocator for the audio tag bodies (use the pooled allocator)
     * @param sampleRateHz sampling rate written in the AudioSpecificConfig, a rate of ISO/IEC 14496-3 table 1.18
     *                     (44100 or 48000 in practice)
     * @param next         receives every tag, the muxer's and the audio tags (takes ownership of each body)
     * @throws IllegalArgumentException on a rate without a samplingFrequencyIndex
     */
    public SilentAudioTrack(ByteBufAllocator alloc, int sampleRateHz, FlvVideoMuxer.TagSink next) {
        ByteBuf config = Unpooled.buffer(SilentAacFrame.AUDIO_SPECIFIC_CONFIG_LENGTH);
        SilentAacFrame.writeAudioSpecificConfig(config, sampleRateHz);
        this.audioSpecificConfig = Unpooled.unreleasableBuffer(config.asReadOnly());
        this.alloc = alloc;
        this.sampleRateHz = sampleRateHz;
        this.next = next;
    }

    /** @return the onMetaData audio keys for this track (16-bit, mono, the data rate of the silent frames) */
    public FlvVideoMuxer.Audio metaData() {
        double bitsPerSecond = SilentAacFrame.monoLength() * 8.0 * sampleRateHz / SilentAacFrame.SAMPLES_PER_FRAME;
        return new FlvVideoMuxer.Audio(sampleRateHz, 16, false, bitsPerSecond / 1000);
    }

    /**
     * Starts over for a new output (e.g. a reconnect): the next video tag again gets a sequence header first
     * and starts a new run of frames at its timestamp.
     */
    public void restart() {
        started = false;
        headerPending = true;
        frameIndex = 0;
    }

    /** @return raw AAC frames written so far (all runs) */
    public long framesWritten() {
        return framesWritten;
    }

    /** @return how many times a video jump larger than {@link #MAX_GAP_MS} restarted the run */
    public long gapsSkipped() {
        return gapsSkipped;
    }

    /**
     * Passes a tag on; before a video tag, first writes the audio tags due before its timestamp.
     *
     * @param body TAKES OWNERSHIP: passed on to the next sink, or released if writing the audio tags fails
     */
    @Override
    public void onTag(int tagType, int timestampMs, ByteBuf body) {
        if (tagType == FlvTagType.VIDEO) {
            try {
                writeDue(timestampMs & 0xFFFFFFFFL);
            } catch (RuntimeException e) {
                body.release();
                throw e;
            }
        }
        next.onTag(tagType, timestampMs, body);
    }

    /**
     * Writes the frames due before the end of the video, so the audio lasts as long as the video (to within one
     * audio frame). Does nothing before the first video tag.
     *
     * @param endTimestampMs the last video tag's timestamp plus one frame duration, in milliseconds
     */
    public void finish(int endTimestampMs) {
        if (started) {
            writeDue(endTimestampMs & 0xFFFFFFFFL);
        }
    }

    private void writeDue(long videoMs) {
        if (!started) {
            started = true;
            runStartMs = videoMs;
            frameIndex = 0;
        } else if (videoMs - nextFrameMs() > MAX_GAP_MS) {
            runStartMs = videoMs;
            frameIndex = 0;
            gapsSkipped++;
        }
        if (headerPending) {
            ByteBuf header = alloc.buffer(2 + SilentAacFrame.AUDIO_SPECIFIC_CONFIG_LENGTH);
            FlvAudioTags.writeAacSequenceHeader(header, audioSpecificConfig);
            headerPending = false;
            next.onTag(FlvTagType.AUDIO, (int) nextFrameMs(), header);
        }
        long due;
        while ((due = nextFrameMs()) < videoMs) {
            ByteBuf frame = alloc.buffer(2 + SilentAacFrame.monoLength());
            FlvAudioTags.writeAacRaw(frame, SILENT_FRAME);
            frameIndex++;
            framesWritten++;
            next.onTag(FlvTagType.AUDIO, (int) due, frame);
        }
    }

    /** round(k * 1024 * 1000 / rate), half up, in exact integer arithmetic. */
    private long nextFrameMs() {
        long numerator = frameIndex * SilentAacFrame.SAMPLES_PER_FRAME * 1000L;
        return runStartMs + (2 * numerator + sampleRateHz) / (2L * sampleRateHz);
    }
}
