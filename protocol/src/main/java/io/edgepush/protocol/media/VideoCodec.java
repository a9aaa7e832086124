package io.edgepush.protocol.media;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The video codec of an Annex B input file (a camera stream or a file for {@code agent push}): H.264 (classic FLV/RTMP, CodecID 7) or
 * H.265/HEVC (Enhanced RTMP, FourCC "hvc1", announced in connect's fourCcList).
 */
public enum VideoCodec {
    /** H.264/AVC, ISO/IEC 14496-10 Annex B. */
    H264(List.of()),
    /** H.265/HEVC, ITU-T H.265 Annex B, sent over Enhanced RTMP. */
    H265(List.of("hvc1"));

    private final List<String> fourCcList;

    VideoCodec(List<String> fourCcList) {
        this.fourCcList = fourCcList;
    }

    /** @return the FourCCs to announce in the connect command object (empty for H.264) */
    public List<String> fourCcList() {
        return fourCcList;
    }

    /**
     * Picks the codec of {@code file}: by extension first (.265, .h265, .hevc = H.265; .264, .h264, .avc =
     * H.264), else by the first NAL unit's header: an HEVC two-byte header (forbidden_zero_bit 0,
     * nuh_layer_id 0, nuh_temporal_id_plus1 &gt; 0) of a VPS, SPS, PPS, access unit delimiter or prefix SEI
     * (types 32..35, 39) means H.265; anything else, an unreadable file or one that is not Annex B means H.264
     * (whose reader then reports what is wrong). The H.264 headers that look like those HEVC ones (0x40..0x4F,
     * e.g. an SEI with nal_ref_idc 2) are not allowed in a conforming H.264 stream.
     *
     * @throws IOException if the file cannot be read
     */
    public static VideoCodec detect(Path file) throws IOException {
        VideoCodec byName = fromFileName(file.getFileName() == null ? "" : file.getFileName().toString());
        if (byName != null) {
            return byName;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 12);
             AnnexBReader reader = new AnnexBReader(in, 1 << 20)) {
            ByteBuf first = reader.next(PooledByteBufAllocator.DEFAULT);
            if (first == null) {
                return H264;
            }
            try {
                return looksLikeHevc(first) ? H265 : H264;
            } finally {
                first.release();
            }
        } catch (H264Exception e) {
            return H264;
        }
    }

    /**
     * The codec a file name says, case-insensitive: .265, .h265, .hevc = H.265; .264, .h264, .avc = H.264; null for
     * any other name (look at the content).
     */
    public static VideoCodec fromFileName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".265") || n.endsWith(".h265") || n.endsWith(".hevc")) {
            return H265;
        }
        if (n.endsWith(".264") || n.endsWith(".h264") || n.endsWith(".avc")) {
            return H264;
        }
        return null;
    }

    /**
     * True if {@code nal}, the first NAL unit of a stream, starts with an HEVC two-byte header (forbidden_zero_bit 0,
     * nuh_layer_id 0, nuh_temporal_id_plus1 &gt; 0) of a VPS, SPS, PPS, access unit delimiter or prefix SEI (types
     * 32..35, 39), the NAL units an HEVC stream starts with. Read as H.264 those first bytes (0x40..0x4F) would be
     * types no conforming H.264 stream starts with.
     *
     * @param nal BORROWED; one NAL unit without start code; not modified
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
