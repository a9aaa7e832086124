package io.edgepush.protocol.flv;

import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.hevc.HevcParameterSets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Turns H.265/HEVC access units into Enhanced RTMP FLV tags with FourCC "hvc1" ({@link ExVideoTags}):
 * onMetaData with videocodecid 1752589105 ("hvc1" as a number), SequenceStart carrying the
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) of the latest VPS/SPS/PPS, CodedFramesX (composition
 * time 0) or CodedFrames, and SequenceEnd at the end. The shared rules (start at a keyframe, new sequence header
 * before the next keyframe after a parameter set change, onMetaData on a size change) are {@link FlvVideoMuxer}'s.
 * HEVC specifics: keyframe = IRAP picture (BLA, IDR, CRA: nal_unit_type 16..21), VPS/SPS/PPS are carried only in
 * the record, access unit delimiters and filler data are dropped.
 *
 * <p>Enhanced RTMP is not decoded by every server: nginx-rtmp 1.2 and ffmpeg 5.1 do not (see
 * protocol/README.md). Keeps pooled copies of the parameter sets: {@link #close()} it. Not thread-safe.
 */
final class HevcFlvMuxer extends FlvVideoMuxer {

    private final HevcParameterSets parameterSets;

    /**
     * @param alloc allocator for tag bodies (use the pooled allocator)
     * @param sink where tags go
     * @param rtmpDataFrame true for RTMP (onMetaData wrapped in "@setDataFrame"), false for an .flv file
     * @param frameRateHint frames per second for onMetaData (the SPS VUI timing is not read)
     * @param encoderName written into onMetaData's "encoder"
     */
    HevcFlvMuxer(ByteBufAllocator alloc, TagSink sink, boolean rtmpDataFrame, double frameRateHint,
                        String encoderName) {
        super(alloc, sink, rtmpDataFrame, frameRateHint, encoderName);
        this.parameterSets = new HevcParameterSets(alloc);
    }

    /** "WIDTHxHEIGHT" of the latest SPS once a VPS, SPS and PPS were seen, else null (for tests and logs). */
    String currentSize() {
        return parameterSets.ready() ? parameterSets.width() + "x" + parameterSets.height() : null;
    }

    @Override
    NalRole role(ByteBuf nal) {
        int type = HevcNalUnitType.of(nal);
        if (HevcNalUnitType.isParameterSet(type)) {
            return NalRole.PARAMETER_SET;
        }
        if (type == HevcNalUnitType.AUD || type == HevcNalUnitType.FD) {
            return NalRole.DROP;
        }
        return HevcNalUnitType.isKeyframe(type) ? NalRole.KEYFRAME : NalRole.PAYLOAD;
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
        return new OnMetaData(parameterSets.width(), parameterSets.height(), frameRateHint, videoDataRateKbps,
                encoderName, ExVideoTags.FOURCC_HVC1);
    }

    @Override
    ByteBuf sequenceHeader() {
        ByteBuf record = parameterSets.decoderConfigurationRecord(alloc);
        try {
            ByteBuf header = alloc.buffer(5 + record.readableBytes());
            ExVideoTags.writeSequenceStart(header, ExVideoTags.FOURCC_HVC1, record);
            return header;
        } finally {
            record.release();
        }
    }

    @Override
    void writeCodedFrames(ByteBuf out, boolean keyframe, int compositionTimeMs, List<ByteBuf> nalUnits) {
        ExVideoTags.writeCodedFrames(out, keyframe, ExVideoTags.FOURCC_HVC1, compositionTimeMs, nalUnits);
    }

    @Override
    void writeEndOfSequenceBody(ByteBuf out) {
        ExVideoTags.writeSequenceEnd(out, ExVideoTags.FOURCC_HVC1);
    }

    @Override
    void releaseParameterSets() {
        parameterSets.close();
    }
}
