package io.edgepush.protocol.flv;

import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec-independent part of turning access units into FLV tags, shared by {@link AvcFlvMuxer} (H.264, FLV
 * spec v10.1 E.4.3.1) and {@link HevcFlvMuxer} (H.265 over Enhanced RTMP). One muxer serves one output (an
 * RTMP publish or an .flv file), so the two paths share this code instead of copying it.
 *
 * <p>Rules it keeps, for every codec:
 * <ul>
 *   <li>Output starts at a keyframe; earlier access units are skipped and reported in the return value.</li>
 *   <li>Before the first keyframe, and before the next keyframe after a parameter set changed, it writes
 *       onMetaData (when the picture size changed) and a new sequence header from the latest parameter sets.</li>
 *   <li>Coded frame tags carry length-prefixed NAL units without the parameter sets (they are in the
 *       sequence header) and without NAL units the codec marks as dropped (delimiters, filler data).</li>
 *   <li>An end-of-sequence tag is written at the end if anything was written.</li>
 * </ul>
 * Parameter sets are tracked from every access unit offered, also those skipped. A subclass keeps pooled
 * copies of them: {@link #close()} the muxer when done. Not thread-safe: one thread feeds one muxer.
 */
public abstract class FlvVideoMuxer implements AutoCloseable {

    /** Receives the tags the muxer produces. */
    public interface TagSink {
        /**
         * One FLV tag.
         *
         * @param tagType {@link FlvTagType#VIDEO} or {@link FlvTagType#SCRIPT_DATA} (and {@link FlvTagType#AUDIO}
         *                from a {@link SilentAudioTrack})
         * @param timestampMs decode timestamp in milliseconds
         * @param body the tag body (VIDEODATA, AUDIODATA or the AMF0 script data); the sink TAKES OWNERSHIP
         */
        void onTag(int tagType, int timestampMs, ByteBuf body);
    }

    /**
     * The audio track a muxer's onMetaData announces (FLV spec E.5: the AAC track's audiodatarate, audiosamplerate,
     * audiosamplesize, stereo; audiocodecid 10), e.g. {@link SilentAudioTrack#metaData()}.
     *
     * @param sampleRateHz       audiosamplerate, &gt; 0 (e.g. 44100)
     * @param sampleSizeBits     audiosamplesize, 8 or 16 (16 for AAC: it decodes to 16-bit samples)
     * @param stereo             stereo: true for two channels
     * @param audioDataRateKbps  audiodatarate in kilobits per second, finite and &gt;= 0
     */
    public record Audio(int sampleRateHz, int sampleSizeBits, boolean stereo, double audioDataRateKbps) {

        /** Validates the fields; throws IllegalArgumentException naming the onMetaData key. */
        public Audio {
            if (sampleRateHz <= 0) {
                throw new IllegalArgumentException("onMetaData audiosamplerate must be > 0, got " + sampleRateHz);
            }
            if (sampleSizeBits != 8 && sampleSizeBits != 16) {
                throw new IllegalArgumentException("onMetaData audiosamplesize must be 8 or 16, got " + sampleSizeBits);
            }
            if (!Double.isFinite(audioDataRateKbps) || audioDataRateKbps < 0) {
                throw new IllegalArgumentException(
                        "onMetaData audiodatarate must be finite and >= 0, got " + audioDataRateKbps);
            }
        }
    }

    /** What became of one access unit. */
    public enum Result { WRITTEN, SKIPPED_WAITING_FOR_KEYFRAME, SKIPPED_NO_PARAMETER_SETS }

    /** How the muxer treats one NAL unit of an access unit. */
    enum NalRole {
        /** A parameter set: tracked, carried by the sequence header, not by the coded frame tag. */
        PARAMETER_SET,
        /** Left out of the coded frame tag (access unit delimiter, filler data). */
        DROP,
        /** Coded data of a picture a decoder can start at. */
        KEYFRAME,
        /** Any other NAL unit, carried in the coded frame tag. */
        PAYLOAD
    }

    /** Allocator for tag bodies. */
    final ByteBufAllocator alloc;
    private final TagSink sink;
    private final boolean rtmpDataFrame;
    private final String encoderName;
    private final List<ByteBuf> payloadNalUnits = new ArrayList<>(16);
    private double frameRateHint;
    private Audio audio;
    private double videoDataRateKbps;
    private boolean headerPending = true;
    private boolean started;
    private int lastWidth = -1;
    private int lastHeight = -1;

    /**
     * @param alloc allocator for tag bodies (use the pooled allocator)
     * @param sink where tags go
     * @param rtmpDataFrame true for RTMP (onMetaData wrapped in "@setDataFrame"), false for an .flv file
     * @param frameRateHint frames per second for onMetaData when the parameter sets carry no timing
     * @param encoderName written into onMetaData's "encoder"
     */
    FlvVideoMuxer(ByteBufAllocator alloc, TagSink sink, boolean rtmpDataFrame, double frameRateHint,
                            String encoderName) {
        this.alloc = alloc;
        this.sink = sink;
        this.rtmpDataFrame = rtmpDataFrame;
        this.frameRateHint = frameRateHint;
        this.encoderName = encoderName;
    }

    /** @return the role of {@code nal} (borrowed, not modified); throws the codec's exception on a bad header */
    abstract NalRole role(ByteBuf nal);

    /** Tracks a parameter set (borrowed). @return true if it is new or changed; throws if it does not parse */
    abstract boolean offerParameterSet(ByteBuf nal);

    /** @return true once the parameter sets for a sequence header have been seen */
    abstract boolean parameterSetsReady();

    /** @return onMetaData for the latest parameter sets (called only when they are ready) */
    abstract OnMetaData metaData(double frameRateHint, double videoDataRateKbps, String encoderName);

    /** @return a new sequence header tag body from the latest parameter sets; the CALLER OWNS it */
    abstract ByteBuf sequenceHeader();

    /**
     * Appends one coded frame tag body to {@code out} (borrowed, as are the NAL units).
     *
     * @throws IllegalArgumentException if the composition time does not fit SI24 ({@code out} unchanged)
     */
    abstract void writeCodedFrames(ByteBuf out, boolean keyframe, int compositionTimeMs,
                                    List<ByteBuf> nalUnits);

    /** Appends the end-of-sequence tag body to {@code out} (borrowed). */
    abstract void writeEndOfSequenceBody(ByteBuf out);

    /** Releases the kept copies of the parameter sets. */
    abstract void releaseParameterSets();

    /** Sets the nominal video data rate written into the next onMetaData, in kbit/s (0 = unknown). */
    public void setVideoDataRateKbps(double kbps) {
        this.videoDataRateKbps = kbps;
    }

    /**
     * Declares the audio track (e.g. {@link SilentAudioTrack#metaData()}) whose keys the next onMetaData carries;
     * null (the default) for a video-only stream. The muxer writes no audio tags itself.
     */
    public void setAudio(Audio audio) {
        this.audio = audio;
    }

    /** Sets the frame rate written into the next onMetaData when the parameter sets carry no timing. */
    public void setFrameRateHint(double fps) {
        this.frameRateHint = fps;
    }

    /**
     * Starts output over: the next tag written is onMetaData and a sequence header before a keyframe.
     * Call after a reconnect or when moving to a new output. Parameter sets already seen are kept.
     */
    public void restart() {
        started = false;
        headerPending = true;
        lastWidth = -1;
        lastHeight = -1;
    }

    /** True once parameter sets for a sequence header have been seen. */
    public boolean hasParameterSets() {
        return parameterSetsReady();
    }

    /**
     * Tracks the parameter sets of an access unit without writing anything (for a stream that is not
     * being published yet).
     *
     * @param au one access unit; BORROWED
     */
    public void observe(AccessUnit au) {
        observe(au.nalUnits());
    }

    /** As {@link #observe(AccessUnit)} for bare NAL units (BORROWED). */
    public void observe(List<ByteBuf> nalUnits) {
        for (int i = 0; i < nalUnits.size(); i++) {
            ByteBuf nal = nalUnits.get(i);
            if (role(nal) == NalRole.PARAMETER_SET) {
                track(nal);
            }
        }
    }

    /**
     * Writes one access unit.
     *
     * @param nalUnits the NAL units of one access unit in decode order, each starting with its NAL unit header
     *                 (no start codes); BORROWED, the caller still owns and releases them
     * @param timestampMs decode timestamp in milliseconds
     * @param compositionTimeMs presentation minus decode time in milliseconds (0 without B-frames)
     * @return what happened to the access unit
     * @throws IllegalArgumentException if compositionTimeMs does not fit the SI24 CompositionTime field (no
     *                                  coded frame tag is written)
     * @throws io.edgepush.protocol.h264.H264Exception (or its subclass H265Exception) on a bad NAL unit header
     *                                  or a parameter set that does not parse (the parameter sets in use are
     *                                  unchanged)
     */
    public Result write(List<ByteBuf> nalUnits, int timestampMs, int compositionTimeMs) {
        return write(nalUnits, timestampMs, compositionTimeMs, null);
    }

    /**
     * Writes one access unit whose keyframe flag and composition time were decided where it entered
     * ({@link AccessUnit#keyframe()}, {@link AccessUnit#compositionTimeMs()}); nothing is classified again here
     * but the parameter sets and the NAL units left out of coded frame tags.
     *
     * @param au BORROWED; the caller still owns and releases it
     * @param timestampMs the stream's decode timestamp for it, milliseconds
     * @return what happened to the access unit
     * @throws io.edgepush.protocol.h264.H264Exception as {@link #write(List, int, int)}
     */
    public Result write(AccessUnit au, int timestampMs) {
        return write(au.nalUnits(), timestampMs, au.compositionTimeMs(), au.keyframe());
    }

    /**
     * A muxer for {@code codec}: {@link AvcFlvMuxer} for H.264, {@link HevcFlvMuxer} (Enhanced RTMP) for H.265.
     * Arguments as for their constructors.
     */
    public static FlvVideoMuxer forCodec(VideoCodec codec, ByteBufAllocator alloc, TagSink sink, boolean rtmpDataFrame,
                                         double frameRateHint, String encoderName) {
        return codec == VideoCodec.H265 ? new HevcFlvMuxer(alloc, sink, rtmpDataFrame, frameRateHint, encoderName)
                : new AvcFlvMuxer(alloc, sink, rtmpDataFrame, frameRateHint, encoderName);
    }

    private Result write(List<ByteBuf> nalUnits, int timestampMs, int compositionTimeMs, Boolean knownKeyframe) {
        boolean keyframe = false;
        payloadNalUnits.clear();
        try {
            for (int i = 0; i < nalUnits.size(); i++) {
                ByteBuf nal = nalUnits.get(i);
                switch (role(nal)) {
                    case PARAMETER_SET -> track(nal);
                    case DROP -> { }
                    case KEYFRAME -> {
                        keyframe = true;
                        payloadNalUnits.add(nal);
                    }
                    case PAYLOAD -> payloadNalUnits.add(nal);
                }
            }
            if (knownKeyframe != null) {
                keyframe = knownKeyframe;
            }
            if (!keyframe && (!started || headerPending)) {
                return Result.SKIPPED_WAITING_FOR_KEYFRAME;
            }
            if (keyframe && headerPending) {
                if (!parameterSetsReady()) {
                    return Result.SKIPPED_NO_PARAMETER_SETS;
                }
                writeHeaders(timestampMs);
            }
            if (payloadNalUnits.isEmpty()) {
                return Result.WRITTEN;
            }
            ByteBuf body = alloc.buffer(8 + payloadBytes());
            try {
                writeCodedFrames(body, keyframe, compositionTimeMs, payloadNalUnits);
            } catch (RuntimeException e) {
                body.release();
                throw e;
            }
            sink.onTag(FlvTagType.VIDEO, timestampMs, body);
            started = true;
            return Result.WRITTEN;
        } finally {
            payloadNalUnits.clear();
        }
    }

    /** Writes the codec's end-of-sequence tag, if anything was written. */
    public void writeEndOfSequence(int timestampMs) {
        if (!started) {
            return;
        }
        ByteBuf body = alloc.buffer(8);
        writeEndOfSequenceBody(body);
        sink.onTag(FlvTagType.VIDEO, timestampMs, body);
    }

    /** Releases the kept copies of the parameter sets; the muxer must not be used afterwards. */
    @Override
    public void close() {
        releaseParameterSets();
    }

    private void track(ByteBuf nal) {
        if (offerParameterSet(nal)) {
            headerPending = true;
        }
    }

    private int payloadBytes() {
        int n = 0;
        for (int i = 0; i < payloadNalUnits.size(); i++) {
            n += 4 + payloadNalUnits.get(i).readableBytes();
        }
        return n;
    }

    private void writeHeaders(int timestampMs) {
        OnMetaData video = metaData(frameRateHint, videoDataRateKbps, encoderName);
        OnMetaData meta = audio == null ? video : new OnMetaData(video.width(), video.height(), video.frameRate(),
                video.videoDataRateKbps(), video.encoder(), video.videoCodecId(), audio);
        if (meta.width() != lastWidth || meta.height() != lastHeight) {
            ByteBuf metaBody = alloc.buffer(256);
            if (rtmpDataFrame) {
                meta.writeRtmpDataFrame(metaBody);
            } else {
                meta.writeFlvScriptTag(metaBody);
            }
            sink.onTag(FlvTagType.SCRIPT_DATA, timestampMs, metaBody);
            lastWidth = meta.width();
            lastHeight = meta.height();
        }
        sink.onTag(FlvTagType.VIDEO, timestampMs, sequenceHeader());
        headerPending = false;
    }
}
