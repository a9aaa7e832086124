package io.edgepush.protocol.h264;

/**
 * Malformed, truncated or unsupported H.264 input (ISO/IEC 14496-10). The message says what failed and where,
 * e.g. {@code "SPS truncated while reading pic_width_in_mbs_minus1 (bit 45 of 48)"}.
 */
public class H264Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and where */
    public H264Exception(String message) {
        super(message);
    }

    /** @param message what failed and where; @param cause the underlying failure */
    public H264Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
