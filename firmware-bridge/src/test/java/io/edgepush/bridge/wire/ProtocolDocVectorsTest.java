package io.edgepush.bridge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the one copy of the test vectors (src/test/resources/vectors/*.hex) and PROTOCOL.md section 5 equal:
 * every vector in the document names its file as {@code (`name.hex`)} before its hex block, and every file
 * appears in the document and in {@link Vectors#NAMES}.
 */
class ProtocolDocVectorsTest {
    private static final Pattern VECTOR = Pattern.compile("\\(`([a-z0-9_]+)\\.hex`\\)[^`]*?```\\n([^`]*)```");

    private static Map<String, String> documentVectors() throws IOException {
        String doc = Files.readString(Path.of("PROTOCOL.md"));
        int start = doc.indexOf("\n## 5. Test vectors");
        assertTrue(start >= 0, "PROTOCOL.md has no '## 5. Test vectors' section");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = VECTOR.matcher(section);
        while (m.find()) {
            found.put(m.group(1), Vectors.normalise(m.group(2), "PROTOCOL.md vector " + m.group(1)));
        }
        return found;
    }

    @Test
    void everyDocumentedVectorEqualsItsFile() throws IOException {
        Map<String, String> doc = documentVectors();
        assertEquals(new TreeSet<>(Vectors.NAMES), new TreeSet<>(doc.keySet()), "vectors named in PROTOCOL.md");
        doc.forEach((name, hex) -> assertEquals(Vectors.load(name), hex, "PROTOCOL.md vector " + name));
    }

    @Test
    void everyVectorFileIsListed() throws IOException, URISyntaxException {
        Path dir = Path.of(Vectors.class.getResource("/vectors").toURI());
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hex"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(Vectors.NAMES), files);
    }

    @Test
    void hexTextRules() {
        assertEquals("45 50 0a", Vectors.normalise("# comment 12\n45 50\n\t0A # tail\n", "t"));
        assertThrowsIllegalState("45 5");
        assertThrowsIllegalState("zz");
        assertThrowsIllegalState("# only a comment\n");
    }

    private static void assertThrowsIllegalState(String text) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Vectors.normalise(text, "t"));
    }
}
