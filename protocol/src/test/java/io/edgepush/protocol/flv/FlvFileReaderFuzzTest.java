package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for {@link FlvFileReader} (Adobe FLV spec v10.1, E.2 header, E.3 body, E.4.1 FLVTAG) on an
 * in-memory file. Invariants: only {@link FlvFormatException} escapes (the input stream cannot fail); the
 * stream is closed when the constructor rejects the header; each tag's offset is where the previous one ended
 * (DataOffset + 4 for the first), its type is 8, 9 or 18, and its type byte, timestamp (UI24 plus
 * TimestampExtended as the upper 8 bits) and body are those bytes of the input; writing the tags read before
 * the first error again with {@link FlvFileWriter} reproduces the input's tag bytes exactly (done when every
 * timestamp is &gt;= 0, which the writer requires; TimestampExtended &gt;= 0x80 reads as a negative SI32).
 */
class FlvFileReaderFuzzTest {
    private static final Path SCRATCH = scratchFile();

    @FuzzTest
    void next(byte[] file) throws IOException {
        boolean[] closed = {false};
        ByteArrayInputStream stream = new ByteArrayInputStream(file) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        FlvFileReader reader;
        try {
            reader = new FlvFileReader(stream);
        } catch (FlvFormatException e) {
            assertTrue(closed[0], "constructor closes the stream when it rejects the header");
            return;
        }
        List<FlvTag> tags = new ArrayList<>();
        long firstTag = 0;
        try (reader) {
            firstTag = dataOffset(file) + 4;
            long expectedOffset = firstTag;
            while (true) {
                FlvTag tag;
                try {
                    tag = reader.next();
                } catch (FlvFormatException e) {
                    assertTrue(e.offset() >= expectedOffset && e.offset() <= file.length,
                            "error offset " + e.offset() + " outside the tag at " + expectedOffset);
                    break;
                }
                if (tag == null) {
                    assertEquals(file.length, expectedOffset, "end of file on a tag boundary");
                    break;
                }
                assertTag(file, expectedOffset, tag);
                tags.add(tag);
                expectedOffset += FlvFileWriter.TAG_HEADER_SIZE + tag.body().length + 4;
            }
        }
        assertTrue(closed[0], "close() closes the stream");
        if (!tags.isEmpty() && tags.stream().allMatch(t -> t.timestampMs() >= 0)) {
            assertRewritesSame(file, firstTag, tags, reader.hasVideo(), reader.hasAudio());
        }
    }

    private static void assertTag(byte[] file, long offset, FlvTag tag) {
        int at = (int) offset;
        assertEquals(offset, tag.offset(), "tag offset");
        assertTrue(FlvTagType.isValid(tag.tagType()), "tag type " + tag.tagType());
        assertEquals(file[at] & 0xFF, tag.tagType(), "tag type byte");
        int timestamp = (file[at + 4] & 0xFF) << 16 | (file[at + 5] & 0xFF) << 8 | (file[at + 6] & 0xFF)
                | (file[at + 7] & 0xFF) << 24;
        assertEquals(timestamp, tag.timestampMs(), "timestamp");
        assertTrue(tag.body().length <= FlvFileWriter.MAX_DATA_SIZE, "body over UI24");
        int bodyStart = at + FlvFileWriter.TAG_HEADER_SIZE;
        assertArrayEquals(Arrays.copyOfRange(file, bodyStart, bodyStart + tag.body().length), tag.body(), "body");
    }

    private static void assertRewritesSame(byte[] file, long firstTag, List<FlvTag> tags, boolean video,
                                           boolean audio) throws IOException {
        try (FlvFileWriter writer = new FlvFileWriter(SCRATCH, video, audio)) {
            for (FlvTag tag : tags) {
                writer.writeTag(tag.tagType(), tag.timestampMs(), Unpooled.wrappedBuffer(tag.body()));
            }
        }
        byte[] written = Files.readAllBytes(SCRATCH);
        int headerAndSize0 = FlvFileWriter.HEADER_SIZE + 4;
        byte[] writtenTags = Arrays.copyOfRange(written, headerAndSize0, written.length);
        byte[] inputTags = Arrays.copyOfRange(file, (int) firstTag, (int) firstTag + writtenTags.length);
        assertArrayEquals(inputTags, writtenTags, "FlvFileWriter reproduces the tags");
    }

    private static long dataOffset(byte[] file) {
        return (file[5] & 0xFFL) << 24 | (file[6] & 0xFF) << 16 | (file[7] & 0xFF) << 8 | (file[8] & 0xFF);
    }

    private static Path scratchFile() {
        try {
            Path path = Files.createTempFile("flv-fuzz", ".flv");
            path.toFile().deleteOnExit();
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
