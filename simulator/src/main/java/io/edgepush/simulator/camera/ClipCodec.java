package io.edgepush.simulator.camera;

import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * The video codec of a {@link Clip}: H.264 (ISO/IEC 14496-10 Annex B) or H.265/HEVC (ITU-T H.265 Annex B), or
 * {@link #AUTO} to tell it from the file (see {@link #fromFileName(String)} and {@link #looksLikeHevc(ByteBuf)}).
 * The codec only changes how a clip is split into access units, what counts as a keyframe and what HELLO
 * announces; playback is the same for both.
 */
public enum ClipCodec {
    /** Detect: by file name extension, else by the first NAL unit. Never the codec of a loaded clip. */
    AUTO(null, "auto"),
    /** H.264/AVC; keyframes are IDR access units; HELLO codec "h264". */
    H264(Hello.CODEC_H264, "H.264"),
    /** H.265/HEVC; keyframes are IRAP access units (BLA, IDR, CRA); HELLO codec "h265". */
    H265(Hello.CODEC_H265, "H.265");

    private final String helloCodec;
    private final String displayName;

    ClipCodec(String helloCodec, String displayName) {
        this.helloCodec = helloCodec;
        this.displayName = displayName;
    }

    /** The HELLO codec field for this codec ("h264" or "h265"); null for {@link #AUTO}. */
    public String helloCodec() {
        return helloCodec;
    }

    /** "H.264", "H.265" or "auto", for messages. */
    public String displayName() {
        return displayName;
    }

    /**
     * Parses a {@code --codec} value: "auto", "h264" or "h265" ("hevc" is accepted for h265), case-insensitive.
     *
     * @throws IllegalArgumentException naming the allowed values otherwise
     */
    public static ClipCodec parse(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> AUTO;
            case "h264" -> H264;
            case "h265", "hevc" -> H265;
            default -> throw new IllegalArgumentException("--codec must be auto, h264 or h265, got '" + text + "'");
        };
    }

    /**
     * The codec a file name says ({@link VideoCodec#fromFileName}): .265, .h265, .hevc = {@link #H265}; .264, .h264,
     * .avc = {@link #H264}; anything else {@link #AUTO} (look at the content).
     */
    public static ClipCodec fromFileName(String name) {
        VideoCodec codec = VideoCodec.fromFileName(name);
        return codec == null ? AUTO : codec == VideoCodec.H265 ? H265 : H264;
    }

    /** True if {@code nal} (borrowed), the first NAL unit of a stream, starts an HEVC stream ({@link VideoCodec}). */
    public static boolean looksLikeHevc(ByteBuf nal) {
        return VideoCodec.looksLikeHevc(nal);
    }
}
