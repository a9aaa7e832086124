package io.edgepush.protocol.hevc;

import io.edgepush.protocol.h264.H264Exception;

/**
 * Malformed, truncated or unsupported H.265/HEVC input (ITU-T H.265). The message names the structure and the
 * syntax element, e.g. {@code "HEVC SPS: chroma_format_idc = 7 out of range 0..3"}.
 *
 * <p>It extends {@link H264Exception} because the bit-level readers shared by both codecs
 * ({@link io.edgepush.protocol.h264.AnnexBReader}, {@link io.edgepush.protocol.h264.BitReader} with its emulation
 * prevention removal) report as H264Exception: one {@code catch (H264Exception e)} handles
 * bad video input of either codec. The HEVC parsers rethrow those as H265Exception.
 */
public class H265Exception extends H264Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and where */
    public H265Exception(String message) {
        super(message);
    }

    /** @param message what failed and where; @param cause the underlying failure */
    public H265Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
