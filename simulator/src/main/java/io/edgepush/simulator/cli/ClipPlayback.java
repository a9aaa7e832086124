package io.edgepush.simulator.cli;

import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.ClipCodec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code cameras} (a picocli mixin): which H.264 or H.265 Annex B clip to play (ISO/IEC 14496-10 /
 * ITU-T H.265 Annex B byte stream; the codec is detected) and at how many frames per second. ({@code camera} has
 * its own: {@code --clip} or {@code --ladder}.)
 */
final class ClipPlayback {
    @Option(names = "--clip", required = true, paramLabel = "FILE.h264",
            description = "H.264 or H.265 Annex B file to play")
    String clip;

    @Option(names = "--fps", required = true, paramLabel = "N", description = "frames per second (1..240)")
    int fps;

    /** Checks that {@code --fps} is 1..240; a usage error of {@code spec}'s command otherwise. */
    void checkFps(CommandSpec spec) {
        Options.checkRange(spec, fps, 1, 240, "--fps");
    }

    /** Loads {@code --clip}, detecting its codec; a missing or unplayable file is a usage error of {@code spec}. */
    Clip load(CommandSpec spec) {
        return load(spec, ClipCodec.AUTO);
    }

    /** Loads {@code --clip} as {@code codec}; a missing or unplayable file is a usage error of {@code spec}. */
    Clip load(CommandSpec spec, ClipCodec codec) {
        return Options.clip(spec, clip, codec);
    }
}
