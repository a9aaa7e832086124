package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipCodec;
import io.edgepush.simulator.camera.ClipLadder;
import io.edgepush.simulator.link.LinkTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Turns option values into typed values, or a {@link ParameterException} (exit 2) that says what to fix. */
final class Options {
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Options() {
    }

    static Address address(CommandSpec spec, String text, String option) {
        try {
            return Address.parse(text, option);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static Address tcpUrl(CommandSpec spec, String text, String option) {
        try {
            return Address.parseTcpUrl(text, option);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Loads a clip file, detecting its codec; a missing or unplayable file is a usage error naming --clip. */
    static Clip clip(CommandSpec spec, String file) {
        return clip(spec, file, ClipCodec.AUTO);
    }

    /** Loads a clip file as {@code codec}; a missing or unplayable file is a usage error naming --clip. */
    static Clip clip(CommandSpec spec, String file, ClipCodec codec) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new ParameterException(spec.commandLine(), "--clip " + file + ": no such file");
        }
        try {
            return Clip.load(path, codec);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--clip " + file + ": " + e.getMessage());
        }
    }

    /**
     * Loads a {@code --ladder} directory; a missing directory, a bad clip name, an unplayable clip or rungs that do
     * not fit together is a usage error naming --ladder and the file.
     */
    static ClipLadder ladder(CommandSpec spec, String dir) {
        try {
            return ClipLadder.load(Path.of(dir));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--ladder: " + e.getMessage());
        }
    }

    /** Parses a {@code --codec} value (auto, h264, h265); anything else is a usage error. */
    static ClipCodec codec(CommandSpec spec, String text) {
        try {
            return ClipCodec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static CameraOptions camera(CommandSpec spec, Supplier<CameraOptions> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static void checkDeviceId(CommandSpec spec, String id, String option) {
        if (!DEVICE_ID.matcher(id).matches()) {
            throw new ParameterException(spec.commandLine(),
                    option + ": must be 1..64 characters of A-Z a-z 0-9 _ . -, got '" + id + "'");
        }
    }

    static void checkRange(CommandSpec spec, int value, int min, int max, String option) {
        checkRange(spec, (long) value, min, max, option);
    }

    static void checkRange(CommandSpec spec, long value, long min, long max, String option) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    option + ": must be " + min + ".." + max + ", got " + value);
        }
    }

    /**
     * Reads a link trace file; a missing, unreadable or malformed file is a usage error naming {@code option} (and
     * the bad line's number).
     */
    static LinkTrace linkTrace(CommandSpec spec, Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": no such file");
        }
        try {
            return LinkTrace.read(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
