package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real input: JVT conformance streams in ../shared/data/h264 (beside the checkout; absent in a fresh clone, then
 * skipped). Frame counts and sizes are the ones listed in that folder's README.md (measured with ffprobe).
 */
class ConformanceStreamsTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("BA1_FT_C.264", 299, 352, 288),
                Arguments.of("MIDR_MW_D.264", 100, 176, 144),
                Arguments.of("NRF_MW_E.264", 100, 176, 144),
                Arguments.of("SVA_BA2_D.264", 17, 176, 144),
                Arguments.of("Zhling_1280x720.264", 19, 1280, 720));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void accessUnitCountAndSizeMatchTheReadme(String name, int frames, int width, int height) throws IOException {
        Path file = findSharedData().resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "conformance stream absent: " + file);
        List<Sps> spsSeen = new ArrayList<>();
        int[] accessUnits = {0};
        int[] keyframes = {0};
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> {
            accessUnits[0]++;
            if (au.isKeyframe()) {
                keyframes[0]++;
            }
            au.release();
        });
        try (InputStream in = Files.newInputStream(file);
                AnnexBReader reader = new AnnexBReader(in, 1 << 20)) {
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                if (NalUnitType.of(nal) == NalUnitType.SPS) {
                    spsSeen.add(SpsParser.parse(nal));
                } else if (NalUnitType.of(nal) == NalUnitType.PPS) {
                    PpsParser.parse(nal);
                }
                assembler.push(nal);
            }
        }
        assembler.flush();
        assertEquals(frames, accessUnits[0], "access units in " + name);
        assertTrue(keyframes[0] >= 1, "at least one IDR access unit");
        assertTrue(!spsSeen.isEmpty(), "an SPS in " + name);
        for (Sps sps : spsSeen) {
            assertEquals(width, sps.width(), "width");
            assertEquals(height, sps.height(), "height");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void inBufferAndStreamingReadersAgree(String name, int frames, int width, int height) throws IOException {
        Path file = findSharedData().resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "conformance stream absent: " + file);
        List<Integer> streamed = new ArrayList<>();
        try (AnnexBReader reader = new AnnexBReader(Files.newInputStream(file), 1 << 20)) {
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                streamed.add(nal.readableBytes() * 32 + NalUnitType.of(nal));
                nal.release();
            }
        }
        ByteBuf whole = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            whole.writeBytes(Files.readAllBytes(file));
            List<Integer> inBuffer = new ArrayList<>();
            AnnexBReader.forEachNalUnit(whole, nal -> inBuffer.add(nal.readableBytes() * 32 + NalUnitType.of(nal)));
            assertEquals(streamed, inBuffer);
        } finally {
            whole.release();
        }
    }

    /** The shared data folder: ../shared/data/h264 relative to the repository root or any parent of it. */
    static Path findSharedData() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("h264");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir.resolve("../shared/data/h264").normalize();
    }
}
