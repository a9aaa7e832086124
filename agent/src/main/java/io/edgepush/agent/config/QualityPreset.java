package io.edgepush.agent.config;


/**
 * Stream quality presets of DESIGN.md section 4. {@link #CUSTOM} carries no fixed values
 * (width, height, fps and bitrateBps are 0 meaning "any").
 */
public enum QualityPreset {
    LOW(640, 480, 15, 500_000),
    MEDIUM(1280, 720, 20, 1_000_000),
    HIGH(1920, 1080, 25, 2_000_000),
    ULTRA(1920, 1080, 30, 4_000_000),
    CUSTOM(0, 0, 0, 0);

    private final int width;
    private final int height;
    private final int fps;
    private final int bitrateBps;

    QualityPreset(int width, int height, int fps, int bitrateBps) {
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.bitrateBps = bitrateBps;
    }

    /** Frame width in pixels; 0 for {@link #CUSTOM}. */
    public int width() {
        return width;
    }

    /** Frame height in pixels; 0 for {@link #CUSTOM}. */
    public int height() {
        return height;
    }

    /** Frames per second; 0 for {@link #CUSTOM}. */
    public int fps() {
        return fps;
    }

    /** Target video bitrate in bits per second; 0 for {@link #CUSTOM}. */
    public int bitrateBps() {
        return bitrateBps;
    }

    /** The name used in JSON config and MQTT payloads: {@code "low"}, {@code "medium"}, ... */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * Parses a wire name (exact, lower case).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static QualityPreset fromWireName(String name) {
        return WireNames.parse(values(), name, "quality");
    }

    /** Comma-separated wire names, for error messages. */
    public static String validNames() {
        return WireNames.list(values());
    }
}
