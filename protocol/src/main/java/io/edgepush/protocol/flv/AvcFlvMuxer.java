package io.edgepush.protocol.flv;

import io.edgepush.protocol.h264.AvcDecoderConfigurationRecord;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.h264.ParameterSetTracker;
import io.edgepush.protocol.h264.Sps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns H.264 access units into FLV tags: onMetaData, the AVC sequence header and AVC NALU tags
 * (FLV spec v10.1 E.4.3.1, ISO/IEC 14496-15 5.3.3.1). One muxer serves one output (an RTMP publish or
 * an .flv file), so the two paths share this code instead of copying it.
 *
 * <p>Rules it keeps:
 * <ul>
 *   <li>Output starts at a keyframe (an access unit holding an IDR NAL unit); earlier access units are
 *       skipped and counted by the caller via the return value.</li>
 *   <li>Before the first keyframe, and before the next keyframe after an SPS or PPS changed, it writes
 *       onMetaData and a new AVC sequence header built from the latest parameter sets.</li>
 *   <li>NALU tags carry length-prefixed NAL units without AUD, SPS, PPS and filler data, which are
 *       either meaningless in FLV or carried by the sequence header.</li>
 * </ul>
 * Parameter sets are tracked from every access unit offered, also those skipped, so a stream that starts
 * later can begin with the SPS/PPS seen earlier. The muxer keeps pooled copies of the latest SPS/PPS:
 * {@link #close()} it when done. Not thread-safe: one thread feeds one muxer.
 */
public final class AvcFlvMuxer implements AutoCloseable {

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

    /** What became of one access unit. */
    public enum Result { WRITTEN, SKIPPED_WAITING_FOR_KEYFRAME, SKIPPED_NO_PARAMETER_SETS }

    private final ByteBufAllocator alloc;
    private final TagSink sink;
    private final boolean rtmpDataFrame;
    private final String encoderName;
    private final ParameterSetTracker parameterSets = new ParameterSetTracker();
    private final List<ByteBuf> payloadNalUnits = new ArrayList<>(16);
    private double frameRateHint;
    private double videoDataRateKbps;
    private OnMetaData.Audio audio;
    private boolean headerPending = true;
    private boolean started;
    private int lastWidth = -1;
    private int lastHeight = -1;

    /**
     * @param alloc allocator for tag bodies (use the pooled allocator)
     * @param sink where tags go
     * @param rtmpDataFrame true for RTMP (onMetaData wrapped in "@setDataFrame"), false for an .flv file
     * @param frameRateHint frames per second for onMetaData when the SPS has no VUI timing
     * @param encoderName written into onMetaData's "encoder"
     */
    public AvcFlvMuxer(ByteBufAllocator alloc, TagSink sink, boolean rtmpDataFrame, double frameRateHint,
                       String encoderName) {
        this.alloc = alloc;
        this.sink = sink;
        this.rtmpDataFrame = rtmpDataFrame;
        this.frameRateHint = frameRateHint;
        this.encoderName = encoderName;
    }

    /** Sets the nominal video data rate written into the next onMetaData, in kbit/s (0 = unknown). */
    public void setVideoDataRateKbps(double kbps) {
        this.videoDataRateKbps = kbps;
    }

    /**
     * Declares the audio track (e.g. {@link SilentAudioTrack#metaData()}) whose keys the next onMetaData carries;
     * null (the default) for a video-only stream. The muxer writes no audio tags itself.
     */
    public void setAudio(OnMetaData.Audio audio) {
        this.audio = audio;
    }

    /** Sets the frame rate written into the next onMetaData when the SPS carries no timing. */
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
        return parameterSets.ready();
    }

    /**
     * Tracks the parameter sets of an access unit without writing anything (for a stream that is not
     * being published yet).
     *
     * @param nalUnits the NAL units of one access unit, each starting with its NAL header byte; BORROWED
     */
    public void observe(List<ByteBuf> nalUnits) {
        for (int i = 0; i < nalUnits.size(); i++) {
            trackParameterSet(nalUnits.get(i));
        }
    }

    /**
     * Writes one access unit.
     *
     * @param nalUnits the NAL units of one access unit in decode order, each starting with its NAL header
     *                 byte (no start codes); BORROWED, the caller still owns and releases them
     * @param timestampMs decode timestamp in milliseconds
     * @param compositionTimeMs presentation minus decode time in milliseconds (0 without B-frames)
     * @return what happened to the access unit
     * @throws IllegalArgumentException if compositionTimeMs does not fit the SI24 CompositionTime field (no NALU
     *                                  tag is written)
     * @throws io.edgepush.protocol.h264.H264Exception on an empty NAL unit or an SPS/PPS that does not parse
     *                                  (nothing is written, the parameter sets in use are unchanged)
     */
    public Result write(List<ByteBuf> nalUnits, int timestampMs, int compositionTimeMs) {
        boolean keyframe = false;
        payloadNalUnits.clear();
        for (int i = 0; i < nalUnits.size(); i++) {
            ByteBuf nal = nalUnits.get(i);
            int type = NalUnitType.of(nal);
            if (trackParameterSet(nal)) {
                continue;
            }
            if (type == NalUnitType.AUD || type == NalUnitType.FILLER) {
                continue;
            }
            if (type == NalUnitType.IDR) {
                keyframe = true;
            }
            payloadNalUnits.add(nal);
        }
        try {
            if (!keyframe && (!started || headerPending)) {
                return Result.SKIPPED_WAITING_FOR_KEYFRAME;
            }
            if (keyframe && headerPending) {
                if (!parameterSets.ready()) {
                    return Result.SKIPPED_NO_PARAMETER_SETS;
                }
                writeHeaders(timestampMs);
            }
            if (payloadNalUnits.isEmpty()) {
                return Result.WRITTEN;
            }
            ByteBuf body = alloc.buffer(5 + payloadBytes());
            try {
                FlvVideoTags.writeAvcNalUnits(body, keyframe, compositionTimeMs, payloadNalUnits);
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

    /** Writes the AVC end-of-sequence tag (FLV spec E.4.3.1, AVCPacketType 2), if anything was written. */
    public void writeEndOfSequence(int timestampMs) {
        if (!started) {
            return;
        }
        ByteBuf body = alloc.buffer(5);
        FlvVideoTags.writeAvcEndOfSequence(body);
        sink.onTag(FlvTagType.VIDEO, timestampMs, body);
    }

    /** Width and height of the latest SPS, or null before one was seen. */
    public Sps currentSps() {
        return parameterSets.ready() ? parameterSets.sps() : null;
    }

    /** Releases the kept copies of the parameter sets; the muxer must not be used afterwards. */
    @Override
    public void close() {
        parameterSets.close();
    }

    private boolean trackParameterSet(ByteBuf nal) {
        int type = NalUnitType.of(nal);
        if (type != NalUnitType.SPS && type != NalUnitType.PPS) {
            return false;
        }
        if (parameterSets.offer(nal)) {
            headerPending = true;
        }
        return true;
    }

    private int payloadBytes() {
        int n = 0;
        for (int i = 0; i < payloadNalUnits.size(); i++) {
            n += 4 + payloadNalUnits.get(i).readableBytes();
        }
        return n;
    }

    private void writeHeaders(int timestampMs) {
        Sps sps = parameterSets.sps();
        if (sps.width() != lastWidth || sps.height() != lastHeight) {
            double fps = sps.fps() != null ? sps.fps() : frameRateHint;
            OnMetaData meta = new OnMetaData(sps.width(), sps.height(), fps, videoDataRateKbps, encoderName,
                    audio);
            ByteBuf metaBody = alloc.buffer(256);
            if (rtmpDataFrame) {
                meta.writeRtmpDataFrame(metaBody);
            } else {
                meta.writeFlvScriptTag(metaBody);
            }
            sink.onTag(FlvTagType.SCRIPT_DATA, timestampMs, metaBody);
            lastWidth = sps.width();
            lastHeight = sps.height();
        }
        ByteBuf record = AvcDecoderConfigurationRecord.build(alloc,
                List.of(parameterSets.spsBytes()), List.of(parameterSets.ppsBytes()));
        try {
            ByteBuf header = alloc.buffer(5 + record.readableBytes());
            FlvVideoTags.writeAvcSequenceHeader(header, record);
            sink.onTag(FlvTagType.VIDEO, timestampMs, header);
        } finally {
            record.release();
        }
        headerPending = false;
    }
}
