package io.edgepush.agent.quality;

import io.edgepush.agent.config.QualityPreset;

/**
 * Turns a stream's preset, the endpoint's caps and the bitrate controller's target into what the encoder is
 * asked ({@link EncoderSettings}). Pure.
 *
 * <p>Resolution and frame rate follow the bitrate down only below a documented point: the encoder keeps the
 * resolution and fps of the highest preset (DESIGN.md section 4), at or below the stream's own, whose bitrate is at
 * most {@code 1 / RESOLUTION_STEP_SHARE} of the target; that is, a HIGH stream (1080p 25 fps, 2 Mbps) keeps 1080p
 * 25 fps down to 1333 kbps, goes to 720p 20 fps (MEDIUM's) below it and to 480p 15 fps (LOW's) below 667 kbps.
 * A {@link QualityPreset#CUSTOM} stream keeps its configured resolution and fps at every bitrate. The endpoint's
 * {@code recommended_fps} caps the fps, its {@code max_bitrate} the bitrate.
 */
final class QualityPlan {
    /** A preset's resolution and fps are kept down to this share of its bitrate. */
    public static final double RESOLUTION_STEP_SHARE = 2.0 / 3.0;
    /** The least bitrate asked: this share of the ceiling... */
    public static final double FLOOR_SHARE = 0.15;
    /** ...and never under this, bits per second. */
    public static final long MIN_FLOOR_BPS = 100_000;

    private QualityPlan() {
    }

    /**
     * The most the stream may ask, bits per second: the preset's (or the custom) bitrate, capped by the
     * endpoint's {@code max_bitrate} when that is positive; 0 when neither says (custom without a bitrate).
     */
    public static long ceilingBps(QualityPreset preset, EncoderSettings custom, long endpointMaxBps) {
        long own = preset == QualityPreset.CUSTOM ? custom.bitrateBps() : preset.bitrateBps();
        if (endpointMaxBps > 0 && (own == 0 || endpointMaxBps < own)) {
            return endpointMaxBps;
        }
        return own;
    }

    /** The least the controller may ask, bits per second, for a ceiling. */
    public static long floorBps(long ceilingBps) {
        return Math.min(ceilingBps, Math.max(MIN_FLOOR_BPS, (long) (FLOOR_SHARE * ceilingBps)));
    }

    /**
     * What to ask of the encoder.
     *
     * @param preset         the stream's preset
     * @param custom         the configured values for {@link QualityPreset#CUSTOM} (fields 0 = not asked); ignored
     *                       for other presets
     * @param endpointMaxBps the endpoint's {@code max_bitrate}, bits per second (0 = none)
     * @param endpointFps    the endpoint's {@code recommended_fps} (0 = none)
     * @param targetBps      the bitrate controller's target, bits per second (0 = the ceiling); clamped to the
     *                       ceiling
     */
    public static EncoderSettings ask(QualityPreset preset, EncoderSettings custom, long endpointMaxBps,
                                      int endpointFps, long targetBps) {
        long ceiling = ceilingBps(preset, custom, endpointMaxBps);
        long bitrate = targetBps <= 0 || ceiling > 0 && targetBps > ceiling ? ceiling : targetBps;
        int width;
        int height;
        int fps;
        if (preset == QualityPreset.CUSTOM) {
            width = custom.width();
            height = custom.height();
            fps = custom.fps();
        } else {
            QualityPreset shape = shapeFor(preset, bitrate);
            width = shape.width();
            height = shape.height();
            fps = shape.fps();
        }
        if (endpointFps > 0 && (fps == 0 || endpointFps < fps)) {
            fps = endpointFps;
        }
        return new EncoderSettings(width, height, fps, bitrate);
    }

    /** The highest preset at or below {@code own} whose resolution and fps suit {@code bitrateBps}. */
    static QualityPreset shapeFor(QualityPreset own, long bitrateBps) {
        QualityPreset[] ladder = {QualityPreset.ULTRA, QualityPreset.HIGH, QualityPreset.MEDIUM, QualityPreset.LOW};
        QualityPreset chosen = QualityPreset.LOW;
        for (QualityPreset p : ladder) {
            if (p.ordinal() > own.ordinal()) {
                continue;
            }
            if (bitrateBps >= RESOLUTION_STEP_SHARE * p.bitrateBps()) {
                chosen = p;
                break;
            }
        }
        return chosen;
    }
}
