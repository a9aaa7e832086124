package io.edgepush.agent.quality;

import io.edgepush.agent.config.QualityPreset;

/**
 * What the gateway asks of a camera's encoder: one set of CONTROL values (firmware-bridge/PROTOCOL.md section 3.5).
 * A field of 0 means "not asked" (the camera keeps its own value).
 *
 * @param width      frame width, pixels
 * @param height     frame height, pixels
 * @param fps        frames per second
 * @param bitrateBps target bitrate, bits per second
 */
public record EncoderSettings(int width, int height, int fps, long bitrateBps) {
    /** Nothing asked. */
    public static final EncoderSettings NONE = new EncoderSettings(0, 0, 0, 0);

    public EncoderSettings {
        if (width < 0 || height < 0 || fps < 0 || bitrateBps < 0) {
            throw new IllegalArgumentException("encoder settings must not be negative: " + width + "x" + height
                    + " " + fps + " fps " + bitrateBps + " bps");
        }
    }

    /** A preset's values (all 0 for {@link QualityPreset#CUSTOM}). */
    public static EncoderSettings of(QualityPreset preset) {
        return new EncoderSettings(preset.width(), preset.height(), preset.fps(), preset.bitrateBps());
    }

    /** True when a resolution is asked. */
    public boolean hasResolution() {
        return width > 0 && height > 0;
    }

    /** Bitrate in kbit/s, rounded. */
    public long bitrateKbps() {
        return Math.round(bitrateBps / 1000.0);
    }

    @Override
    public String toString() {
        return width + "x" + height + "@" + fps + "fps/" + bitrateKbps() + "kbps";
    }
}
