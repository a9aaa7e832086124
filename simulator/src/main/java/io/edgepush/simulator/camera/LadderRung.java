package io.edgepush.simulator.camera;

import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rung of a clip ladder: the encoder setting one clip of the scene was made with, as its file name says,
 * {@code <width>x<height>_<fps>_<kbps>.h264} (or {@code .h265}), e.g. {@code 1280x720_20_1000.h264} is 1280x720
 * pixels at 20 frames per second and 1 000 000 bits per second. Pure value; see {@link Ladder} for the choice
 * between rungs and {@link ClipLadder} for the clips.
 *
 * @param width      picture width in pixels, {@value #MIN_SIDE_PIXELS}..{@value #MAX_SIDE_PIXELS}
 * @param height     picture height in pixels, {@value #MIN_SIDE_PIXELS}..{@value #MAX_SIDE_PIXELS}
 * @param fps        frames per second, 1..{@value #MAX_FPS}
 * @param bitrateBps the encoder's target bitrate in bits per second, 1..4 294 967 295 (a HELLO u32)
 * @throws IllegalArgumentException if a field is out of range
 */
public record LadderRung(int width, int height, int fps, long bitrateBps) {
    /** Smallest width or height accepted, pixels (a 16x16 macroblock). */
    public static final int MIN_SIDE_PIXELS = 16;
    /** Largest width or height accepted, pixels. */
    public static final int MAX_SIDE_PIXELS = 8192;
    /** Highest frame rate accepted, frames per second (as {@link CameraOptions#fps()}). */
    public static final int MAX_FPS = 240;
    /**
     * Highest rung first: higher bitrate, then more pixels, then higher fps. The camera starts on the first rung of
     * this order.
     */
    public static final Comparator<LadderRung> HIGHEST_FIRST = Comparator.comparingLong(LadderRung::bitrateBps)
            .thenComparingLong(LadderRung::pixels).thenComparingInt(LadderRung::fps).reversed();

    private static final Pattern FILE_NAME = Pattern.compile("([0-9]{1,5})x([0-9]{1,5})_([0-9]{1,3})_([0-9]{1,7})"
            + "\\.(h264|h265)");

    public LadderRung {
        checkSide(width, "width");
        checkSide(height, "height");
        checkFps(fps);
        if (bitrateBps < 1 || bitrateBps > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bitrate must be 1..4294967295 bps, got " + bitrateBps);
        }
    }

    /**
     * True if {@code fileName} is a clip a ladder directory must name as a rung: it ends in {@code .h264} or
     * {@code .h265} (case-insensitive). Other files in the directory are ignored.
     */
    public static boolean isClipFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".h264") || lower.endsWith(".h265");
    }

    /**
     * Parses a rung file name, {@code <width>x<height>_<fps>_<kbps>.h264} or {@code .h265} (kbps = 1000 bits per
     * second).
     *
     * @throws IllegalArgumentException naming the file and the expected pattern if it does not match, or naming
     *     the field out of range
     */
    public static LadderRung parseFileName(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException(fileName + ": a ladder clip must be named <width>x<height>_<fps>_<kbps>"
                    + ".h264 (or .h265), e.g. 1280x720_20_1000.h264");
        }
        try {
            return new LadderRung(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)) * 1000);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fileName + ": " + e.getMessage(), e);
        }
    }

    /** Pixels per picture, width * height. */
    public long pixels() {
        return (long) width * height;
    }

    /** The SET_RESOLUTION / ACK applied_value form of the size: {@code (width << 16) | height}. */
    public long resolutionValue() {
        return ((long) width << 16) | height;
    }

    /** "WIDTHxHEIGHT_FPS_KBPS" (bitrate in kbps, rounded down), the file name without extension, for logs. */
    public String name() {
        return width + "x" + height + "_" + fps + "_" + bitrateBps / 1000;
    }

    static void checkFps(long fps) {
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("fps must be 1.." + MAX_FPS + ", got " + fps);
        }
    }

    static void checkSide(int pixels, String what) {
        if (pixels < MIN_SIDE_PIXELS || pixels > MAX_SIDE_PIXELS) {
            throw new IllegalArgumentException(what + " must be " + MIN_SIDE_PIXELS + ".." + MAX_SIDE_PIXELS
                    + " pixels, got " + pixels);
        }
    }
}
