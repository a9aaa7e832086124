package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an FLV file (Adobe FLV spec v10.1, E.2 FLV header, E.3 FLV file body, E.4.1 FLVTAG).
 *
 * <p>File layout: header "FLV" 0x01, TypeFlags (0x04 audio | 0x01 video), DataOffset UI32 = 9, then
 * PreviousTagSize0 UI32 = 0, then per tag: TagType UI8, DataSize UI24, Timestamp UI24 (lower 24 bits of the
 * millisecond timestamp), TimestampExtended UI8 (upper 8 bits), StreamID UI24 = 0, the body, and
 * PreviousTagSize UI32 = 11 + DataSize. Output is buffered; call {@link #close()} to flush it to disk.
 * Not thread-safe.
 */
public final class FlvFileWriter implements Closeable {

    /** Size of the FLV header (E.2) in version 1; also the DataOffset value. */
    public static final int HEADER_SIZE = 9;
    /** Size of the tag header before the body (E.4.1). */
    public static final int TAG_HEADER_SIZE = 11;
    /** Largest body a tag can carry: DataSize is UI24. */
    public static final int MAX_DATA_SIZE = 0xFFFFFF;

    private static final int FLAG_AUDIO = 0x04;
    private static final int FLAG_VIDEO = 0x01;

    private final OutputStream out;
    private final byte[] scratch = new byte[TAG_HEADER_SIZE];
    private long bytesWritten;
    private boolean closed;

    /**
     * Creates (or truncates) {@code file} and writes the FLV header and PreviousTagSize0.
     *
     * @param video set TypeFlagsVideo (the file contains video tags)
     * @param audio set TypeFlagsAudio (the file contains audio tags)
     * @throws IOException if the file cannot be created or written
     */
    public FlvFileWriter(Path file, boolean video, boolean audio) throws IOException {
        OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        try {
            byte[] header = {'F', 'L', 'V', 1, (byte) ((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0)),
                0, 0, 0, HEADER_SIZE, 0, 0, 0, 0};
            stream.write(header);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
        this.out = stream;
        this.bytesWritten = HEADER_SIZE + 4;
    }

    /**
     * Appends one tag and its PreviousTagSize. Borrows {@code body}: its readable bytes are copied, its reader
     * index is not moved and the caller keeps ownership (release it as usual).
     *
     * @param tagType     {@link FlvTagType#AUDIO}, {@link FlvTagType#VIDEO} or {@link FlvTagType#SCRIPT_DATA}
     * @param timestampMs decode timestamp in milliseconds, &gt;= 0; values over 0xFFFFFF use TimestampExtended
     * @param body        tag body (e.g. from {@link FlvVideoTags}), at most 0xFFFFFF bytes
     * @throws IllegalArgumentException on an unknown tag type, negative timestamp or too large body
     *                                  (nothing is written)
     * @throws IOException              on a write error, or if the writer is closed
     */
    public void writeTag(int tagType, int timestampMs, ByteBuf body) throws IOException {
        if (closed) {
            throw new IOException("FLV writer is closed");
        }
        if (!FlvTagType.isValid(tagType)) {
            throw new IllegalArgumentException("FLV tag type must be 8, 9 or 18 (E.4.1), got " + tagType);
        }
        if (timestampMs < 0) {
            throw new IllegalArgumentException("FLV tag timestamp must be >= 0 ms, got " + timestampMs);
        }
        int dataSize = body.readableBytes();
        if (dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV tag body of " + dataSize + " bytes exceeds UI24 DataSize");
        }
        scratch[0] = (byte) tagType;
        putUi24(scratch, 1, dataSize);
        putUi24(scratch, 4, timestampMs & 0xFFFFFF);
        scratch[7] = (byte) (timestampMs >>> 24);
        putUi24(scratch, 8, 0);
        out.write(scratch, 0, TAG_HEADER_SIZE);
        body.getBytes(body.readerIndex(), out, dataSize);
        int previousTagSize = TAG_HEADER_SIZE + dataSize;
        scratch[0] = (byte) (previousTagSize >>> 24);
        scratch[1] = (byte) (previousTagSize >>> 16);
        scratch[2] = (byte) (previousTagSize >>> 8);
        scratch[3] = (byte) previousTagSize;
        out.write(scratch, 0, 4);
        bytesWritten += previousTagSize + 4L;
    }

    /** @return bytes written so far, including the header and every PreviousTagSize (some may still be buffered) */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Pushes buffered bytes to the file. @throws IOException on a write error or if closed */
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("FLV writer is closed");
        }
        out.flush();
    }

    /** Flushes and closes the file; further calls do nothing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private static void putUi24(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 16);
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) value;
    }
}
