package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class FixturesTest {
    @TempDir
    Path dir;

    @Test
    void missingFixtureFailsWithItsName() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Fixtures.repoFixture("nope.h264"));
        assertTrue(e.getMessage().startsWith("no test fixture /fixtures/nope.h264 on the classpath"), e.getMessage());
    }

    @Test
    void sharedFolderIsFoundInAnAncestorOfTheStartDirectory() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared/data/h264"));
        Path checkout = Files.createDirectories(dir.resolve("wt/testkit/protocol"));
        assertEquals(Optional.of(shared), Fixtures.sharedH264Dir(checkout));
    }

    @Test
    void noSharedFolderMeansEmpty() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("alone/protocol"));
        assertEquals(Optional.empty(), Fixtures.sharedH264Dir(checkout).filter(p -> p.startsWith(dir)));
    }

    @Test
    void sharedStreamsAreOnlyDotTwoSixFourFiles() {
        Fixtures.sharedH264().forEach(p -> assertTrue(p.getFileName().toString().endsWith(".264"), p.toString()));
    }
}
