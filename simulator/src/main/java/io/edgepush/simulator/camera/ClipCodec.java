package io.edgepush.simulator.camera;

import io.edgepush.bridge.wire.Hello;
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
     * The codec a file name says: .265, .h265, .hevc = {@link #H265}; .264, .h264, .avc = {@link #H264};
     * anything else {@link #AUTO} (look at the content). Case-insensitive.
     */
    public static ClipCodec fromFileName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".265") || n.endsWith(".h265") || n.endsWith(".hevc")) {
            return H265;
        }
        if (n.endsWith(".264") || n.endsWith(".h264") || n.endsWith(".avc")) {
            return H264;
        }
        return AUTO;
    }

    /**
     * True if {@code nal}, the first NAL unit of a stream, starts with an HEVC two-byte header (forbidden_zero_bit
     * 0, nuh_layer_id 0, nuh_temporal_id_plus1 &gt; 0) of a VPS, SPS, PPS, access unit delimiter or prefix SEI
     * (nal_unit_type 32..35, 39): the NAL units an HEVC stream starts with. Read as H.264, those first bytes
     * (0x40, 0x42, 0x44, 0x46, 0x4E) are nal_unit_type 0, 2, 4, 6 or 14 with nal_ref_idc 2: unspecified, a data
     * partition, an SEI (which must have nal_ref_idc 0) or an SVC prefix, none of which starts a decodable H.264
     * stream.
     *
     * @param nal borrowed; one NAL unit without start code; not modified
     */
    public static boolean looksLikeHevc(ByteBuf nal) {
        if (nal.readableBytes() < 2) {
            return false;
        }
        int b0 = nal.getUnsignedByte(nal.readerIndex());
        int b1 = nal.getUnsignedByte(nal.readerIndex() + 1);
        int type = (b0 >> 1) & 0x3F;
        boolean header = (b0 & 0x81) == 0 && (b1 & 0xF8) == 0 && (b1 & 0x07) != 0;
        return header && ((type >= 32 && type <= 35) || type == 39);
    }
}
