package io.edgepush.protocol.flv;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an FLV file tag by tag (Adobe FLV spec v10.1, E.2 FLV header, E.3 body, E.4.1 FLVTAG), for tests: part
 * of protocol's test kit (the test-jar the other modules use), since nothing in production reads FLV. Validates what a writer controls: signature "FLV", version 1, DataOffset &gt;= 9, PreviousTagSize0 = 0,
 * the Reserved/Filter bits (0: unencrypted), the tag type (8, 9 or 18), StreamID = 0 and each PreviousTagSize =
 * 11 + DataSize. Any violation or truncation throws {@link FlvFormatException} with the byte offset. Memory use
 * is bounded by one tag body (at most 16 MiB, DataSize is UI24). Not thread-safe.
 */
public final class FlvFileReader implements Closeable {

    private final InputStream in;
    private final boolean hasAudio;
    private final boolean hasVideo;
    private final byte[] scratch = new byte[FlvFileWriter.TAG_HEADER_SIZE];
    private long position;

    /**
     * Opens {@code file} and reads its header.
     *
     * @throws FlvFormatException if the header is malformed or truncated
     * @throws IOException        if the file cannot be read
     */
    public FlvFileReader(Path file) throws IOException {
        this(Files.newInputStream(file));
    }

    /**
     * Reads the header from {@code stream}. Takes ownership of the stream: {@link #close()} closes it, and so
     * does this constructor if the header is bad.
     *
     * @throws FlvFormatException if the header is malformed or truncated
     * @throws IOException        on a read error
     */
    public FlvFileReader(InputStream stream) throws IOException {
        this.in = new BufferedInputStream(stream, 64 * 1024);
        try {
            readFully(scratch, FlvFileWriter.HEADER_SIZE, "FLV header");
            if (scratch[0] != 'F' || scratch[1] != 'L' || scratch[2] != 'V') {
                throw new FlvFormatException("not an FLV file: signature is not \"FLV\"", 0);
            }
            if (scratch[3] != 1) {
                throw new FlvFormatException("unsupported FLV version " + (scratch[3] & 0xFF) + " (expected 1)", 3);
            }
            hasAudio = (scratch[4] & 0x04) != 0;
            hasVideo = (scratch[4] & 0x01) != 0;
            long dataOffset = ui32(scratch, 5);
            if (dataOffset < FlvFileWriter.HEADER_SIZE) {
                throw new FlvFormatException("FLV DataOffset " + dataOffset + " is smaller than the header (9)", 5);
            }
            skipFully(dataOffset - FlvFileWriter.HEADER_SIZE);
            long at = position;
            readFully(scratch, 4, "PreviousTagSize0");
            if (ui32(scratch, 0) != 0) {
                throw new FlvFormatException("PreviousTagSize0 is " + ui32(scratch, 0) + ", expected 0", at);
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads every tag of {@code file}. @throws FlvFormatException on malformed or truncated input */
    public static List<FlvTag> readAll(Path file) throws IOException {
        try (FlvFileReader reader = new FlvFileReader(file)) {
            List<FlvTag> tags = new ArrayList<>();
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                tags.add(tag);
            }
            return tags;
        }
    }

    /** @return TypeFlagsAudio from the header */
    public boolean hasAudio() {
        return hasAudio;
    }

    /** @return TypeFlagsVideo from the header */
    public boolean hasVideo() {
        return hasVideo;
    }

    /**
     * Reads the next tag and its PreviousTagSize.
     *
     * @return the tag, or null at the end of the file (the end must fall on a tag boundary)
     * @throws FlvFormatException on a malformed or truncated tag
     * @throws IOException        on a read error
     */
    public FlvTag next() throws IOException {
        long tagOffset = position;
        int n = in.readNBytes(scratch, 0, FlvFileWriter.TAG_HEADER_SIZE);
        if (n == 0) {
            return null;
        }
        if (n < FlvFileWriter.TAG_HEADER_SIZE) {
            throw new FlvFormatException("truncated tag header: expected 11 bytes, got " + n, tagOffset);
        }
        position += n;
        int first = scratch[0] & 0xFF;
        if ((first & 0xE0) != 0) {
            throw new FlvFormatException(String.format(
                    "tag header byte 0x%02X has Reserved or Filter (encryption) bits set", first), tagOffset);
        }
        if (!FlvTagType.isValid(first)) {
            throw new FlvFormatException("unknown FLV tag type " + first + " (expected 8, 9 or 18)", tagOffset);
        }
        int dataSize = ui24(scratch, 1);
        int timestampMs = ui24(scratch, 4) | (scratch[7] & 0xFF) << 24;
        int streamId = ui24(scratch, 8);
        if (streamId != 0) {
            throw new FlvFormatException("tag StreamID is " + streamId + ", expected 0", tagOffset + 8);
        }
        byte[] body = new byte[0];
        if (dataSize > 0) {
            body = in.readNBytes(dataSize);
            if (body.length < dataSize) {
                throw new FlvFormatException("truncated tag body: DataSize is " + dataSize + " but only "
                        + body.length + " bytes follow", position);
            }
            position += dataSize;
        }
        long sizeOffset = position;
        readFully(scratch, 4, "PreviousTagSize");
        long previousTagSize = ui32(scratch, 0);
        if (previousTagSize != FlvFileWriter.TAG_HEADER_SIZE + dataSize) {
            throw new FlvFormatException("PreviousTagSize is " + previousTagSize + ", expected "
                    + (FlvFileWriter.TAG_HEADER_SIZE + dataSize), sizeOffset);
        }
        return new FlvTag(tagOffset, first, timestampMs, body);
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private void readFully(byte[] into, int length, String what) throws IOException {
        int n = in.readNBytes(into, 0, length);
        if (n < length) {
            throw new FlvFormatException("truncated " + what + ": expected " + length + " bytes, got " + n,
                    position);
        }
        position += length;
    }

    private void skipFully(long bytes) throws IOException {
        long at = position;
        try {
            in.skipNBytes(bytes);
        } catch (java.io.EOFException e) {
            throw new FlvFormatException("truncated FLV header: DataOffset points past the end of the file", at);
        }
        position += bytes;
    }

    private static int ui24(byte[] b, int at) {
        return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF);
    }

    private static long ui32(byte[] b, int at) {
        return (long) ui24(b, at) << 8 | (b[at + 3] & 0xFF);
    }
}
