package io.edgepush.protocol.flv;

import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.h264.ParameterSetTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Turns H.264 access units into FLV tags: onMetaData (videocodecid 7), the AVC sequence header and AVC NALU
 * tags (FLV spec v10.1 E.4.3.1, ISO/IEC 14496-15 5.3.3.1). The rules shared with other codecs (start at a
 * keyframe, new sequence header before the next keyframe after an SPS/PPS change, onMetaData on a size change,
 * end of sequence) live in {@link FlvVideoMuxer}; this class adds what is H.264: keyframe = IDR NAL unit,
 * SPS/PPS are the parameter sets, AUD and filler data are dropped, and the AVCVIDEOPACKET layout
 * ({@link FlvVideoTags}). Keeps pooled copies of the latest SPS/PPS: {@link #close()} it when done.
 * Not thread-safe: one thread feeds one muxer.
 */
final class AvcFlvMuxer extends FlvVideoMuxer {

    private final ParameterSetTracker parameterSets = new ParameterSetTracker();

    /**
     * @param alloc allocator for tag bodies (use the pooled allocator)
     * @param sink where tags go
     * @param rtmpDataFrame true for RTMP (onMetaData wrapped in "@setDataFrame"), false for an .flv file
     * @param frameRateHint frames per second for onMetaData when the SPS has no VUI timing
     * @param encoderName written into onMetaData's "encoder"
     */
    AvcFlvMuxer(ByteBufAllocator alloc, TagSink sink, boolean rtmpDataFrame, double frameRateHint,
                       String encoderName) {
        super(alloc, sink, rtmpDataFrame, frameRateHint, encoderName);
    }

    /** "WIDTHxHEIGHT" of the latest SPS once SPS and PPS were seen, else null (for tests and logs). */
    String currentSize() {
        return parameterSets.ready() ? parameterSets.width() + "x" + parameterSets.height() : null;
    }

    @Override
    NalRole role(ByteBuf nal) {
        int type = NalUnitType.of(nal);
        return switch (type) {
            case NalUnitType.SPS, NalUnitType.PPS -> NalRole.PARAMETER_SET;
            case NalUnitType.AUD, NalUnitType.FILLER -> NalRole.DROP;
            case NalUnitType.IDR -> NalRole.KEYFRAME;
            default -> NalRole.PAYLOAD;
        };
    }

    @Override
    boolean offerParameterSet(ByteBuf nal) {
        return parameterSets.offer(nal);
    }

    @Override
    boolean parameterSetsReady() {
        return parameterSets.ready();
    }

    @Override
    OnMetaData metaData(double frameRateHint, double videoDataRateKbps, String encoderName) {
        double fps = parameterSets.fps() != null ? parameterSets.fps() : frameRateHint;
        return new OnMetaData(parameterSets.width(), parameterSets.height(), fps, videoDataRateKbps, encoderName);
    }

    @Override
    ByteBuf sequenceHeader() {
        ByteBuf record = parameterSets.decoderConfigurationRecord(alloc);
        try {
            ByteBuf header = alloc.buffer(5 + record.readableBytes());
            FlvVideoTags.writeAvcSequenceHeader(header, record);
            return header;
        } finally {
            record.release();
        }
    }

    @Override
    void writeCodedFrames(ByteBuf out, boolean keyframe, int compositionTimeMs, List<ByteBuf> nalUnits) {
        FlvVideoTags.writeAvcNalUnits(out, keyframe, compositionTimeMs, nalUnits);
    }

    /** Writes the AVC end-of-sequence tag body (FLV spec E.4.3.1, AVCPacketType 2). */
    @Override
    void writeEndOfSequenceBody(ByteBuf out) {
        FlvVideoTags.writeAvcEndOfSequence(out);
    }

    @Override
    void releaseParameterSets() {
        parameterSets.close();
    }
}
