package io.edgepush.protocol.flv;

import io.edgepush.protocol.amf0.Amf0;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Stream metadata for a live video stream (Adobe FLV spec v10.1, E.5 onMetaData).
 *
 * <p>Encoded as an AMF0 ECMA array (AMF0 spec 2.10) with, in this order: duration 0 (live), width, height
 * (pixels), videodatarate (kilobits per second), framerate (frames per second), videocodecid, with an audio
 * track also audiodatarate (kilobits per second), audiosamplerate (Hz), audiosamplesize (bits), stereo (boolean)
 * and audiocodecid 10 (AAC, E.4.2.1), and last encoder (free text). videocodecid is 7 for AVC (E.4.3.1); for
 * Enhanced RTMP codecs it is the FourCC read as a big-endian 32-bit number (enhanced-rtmp v1, "onMetaData":
 * "hvc1" = 0x68766331 = 1752589105).
 *
 * @param width              picture width in pixels, &gt; 0
 * @param height             picture height in pixels, &gt; 0
 * @param frameRate          frames per second, finite and &gt;= 0 (0 if unknown)
 * @param videoDataRateKbps  video bit rate in kilobits per second, finite and &gt;= 0
 * @param encoder            encoder name, e.g. "edgepush/0.1"; not null
 * @param videoCodecId       videocodecid: 7 (AVC) or a FourCC as a number, &gt; 0
 * @param audio              the AAC audio track, or null for a video-only stream
 */
record OnMetaData(int width, int height, double frameRate, double videoDataRateKbps, String encoder,
                         double videoCodecId, FlvVideoMuxer.Audio audio) {

    /** H.264 video-only metadata: videocodecid 7 (AVC), no audio keys. */
    public OnMetaData(int width, int height, double frameRate, double videoDataRateKbps, String encoder) {
        this(width, height, frameRate, videoDataRateKbps, encoder, FlvVideoTags.CODEC_ID_AVC, null);
    }

    /** H.264 metadata with an audio track (or null): videocodecid 7 (AVC). */
    public OnMetaData(int width, int height, double frameRate, double videoDataRateKbps, String encoder,
                      FlvVideoMuxer.Audio audio) {
        this(width, height, frameRate, videoDataRateKbps, encoder, FlvVideoTags.CODEC_ID_AVC, audio);
    }

    /** Video-only metadata for any codec id (7 for AVC, a FourCC number for Enhanced RTMP). */
    public OnMetaData(int width, int height, double frameRate, double videoDataRateKbps, String encoder,
                      double videoCodecId) {
        this(width, height, frameRate, videoDataRateKbps, encoder, videoCodecId, null);
    }

    /** AMF0 name of the RTMP data message that sets the metadata on the server (handled by nginx-rtmp etc.). */
    public static final String SET_DATA_FRAME = "@setDataFrame";
    /** AMF0 name of the metadata script data object (E.5). */
    public static final String ON_METADATA = "onMetaData";

    /** Validates the fields; throws IllegalArgumentException / NullPointerException with the field name. */
    public OnMetaData {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("onMetaData width and height must be > 0, got " + width + "x" + height);
        }
        if (!Double.isFinite(frameRate) || frameRate < 0) {
            throw new IllegalArgumentException("onMetaData framerate must be finite and >= 0, got " + frameRate);
        }
        if (!Double.isFinite(videoDataRateKbps) || videoDataRateKbps < 0) {
            throw new IllegalArgumentException(
                    "onMetaData videodatarate must be finite and >= 0, got " + videoDataRateKbps);
        }
        Objects.requireNonNull(encoder, "onMetaData encoder");
        if (!(videoCodecId > 0)) {
            throw new IllegalArgumentException("onMetaData videocodecid must be > 0, got " + videoCodecId);
        }
    }

    /** @return the ECMA array entries in wire order (a new mutable map each call) */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("duration", 0.0);
        p.put("width", (double) width);
        p.put("height", (double) height);
        p.put("videodatarate", videoDataRateKbps);
        p.put("framerate", frameRate);
        p.put("videocodecid", videoCodecId);
        if (audio != null) {
            p.put("audiodatarate", audio.audioDataRateKbps());
            p.put("audiosamplerate", (double) audio.sampleRateHz());
            p.put("audiosamplesize", (double) audio.sampleSizeBits());
            p.put("stereo", audio.stereo());
            p.put("audiocodecid", (double) FlvAudioTags.SOUND_FORMAT_AAC);
        }
        p.put("encoder", encoder);
        return p;
    }

    /**
     * Writes the RTMP data message body (Adobe RTMP spec 7.1.2, type 18): AMF0 strings "@setDataFrame" and
     * "onMetaData", then the ECMA array. Borrows {@code out}.
     */
    public void writeRtmpDataFrame(ByteBuf out) {
        Amf0.writeString(out, SET_DATA_FRAME);
        writeFlvScriptTag(out);
    }

    /**
     * Writes the body of an FLV script data tag (E.4.4 SCRIPTDATA, E.5): AMF0 string "onMetaData", then the
     * ECMA array. The 11-byte tag header is not included (see {@link FlvFileWriter#writeTag}). Borrows
     * {@code out}.
     */
    public void writeFlvScriptTag(ByteBuf out) {
        Amf0.writeString(out, ON_METADATA);
        Amf0.writeEcmaArray(out, properties());
    }
}
