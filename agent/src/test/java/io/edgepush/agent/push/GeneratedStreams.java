package io.edgepush.agent.push;

import io.edgepush.testkit.Fixtures;
import java.nio.file.Path;


/**
 * Interop inputs by name: the committed fixtures (fixtures/README.md), plus {@code hd_1080p30.h264}, the
 * 1080p30 High-profile 4 Mbps stream with B-frames that is too big to commit ({@link Fixtures#hd1080p30()}).
 */
final class GeneratedStreams {
    static final String HD_1080P30 = Fixtures.HD_1080P30;

    private GeneratedStreams() {
    }

    /** The input file called {@code name}. @throws org.opentest4j.TestAbortedException without ffmpeg (HD only) */
    static Path input(String name) {
        return HD_1080P30.equals(name) ? Fixtures.hd1080p30() : Fixtures.repoFixture(name);
    }
}
