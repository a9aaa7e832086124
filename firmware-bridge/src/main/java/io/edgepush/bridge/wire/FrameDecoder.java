package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Streaming v1 frame reader with resynchronisation (PROTOCOL.md section 2.4). Feed it byte
 * chunks in arrival order, in any sizes; it emits each valid frame once. Not thread-safe:
 * one transport thread feeds it.
 *
 * <p>Garbage before or between frames is skipped; a frame with a bad header CRC, a bad frame
 * CRC or an unknown version is abandoned by advancing ONE byte past its magic and rescanning,
 * so a frame cut short is followed by the next good one. A length over the maximum is
 * rejected from the header alone: its payload is never buffered or allocated.
 */
final class FrameDecoder implements AutoCloseable {
    private static final int INITIAL_CAPACITY = 4096;

    private final ByteBufAllocator alloc;
    private final int maxPayloadBytes;
    private ByteBuf cumulation;
    private boolean closed;
    private long bytesSkipped;
    private long crcErrors;
    private long oversizeFrames;
    private long unsupportedVersions;
    private long framesDecoded;

    /**
     * @param alloc           allocator for the internal buffer and for emitted payloads
     * @param maxPayloadBytes largest accepted payload, 0..{@link Frame#MAX_PAYLOAD_BYTES}
     */
    public FrameDecoder(ByteBufAllocator alloc, int maxPayloadBytes) {
        if (maxPayloadBytes < 0 || maxPayloadBytes > Frame.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes must be 0.." + Frame.MAX_PAYLOAD_BYTES
                    + ", got " + maxPayloadBytes);
        }
        this.alloc = alloc;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Appends the readable bytes of {@code chunk} (BORROWED: not released, reader index
     * unchanged) and emits every frame now complete to {@code out}. Each emitted {@link Frame}
     * owns a newly allocated payload: the consumer takes ownership. After {@link #close()}
     * input is ignored.
     */
    public void feed(ByteBuf chunk, Consumer<Frame> out) {
        if (closed) {
            return;
        }
        if (cumulation == null) {
            cumulation = alloc.buffer(Math.max(INITIAL_CAPACITY, chunk.readableBytes()));
        }
        cumulation.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        while (!closed && decodeOne(out)) {
            // keep going while frames or skips make progress
        }
        if (!closed) {
            compact();
        }
    }

    /** Tries to make progress; returns false when more input is needed. */
    private boolean decodeOne(Consumer<Frame> out) {
        ByteBuf in = cumulation;
        int start = in.readerIndex();
        int end = in.writerIndex();
        int magic = findMagic(in, start, end);
        if (magic < 0) {
            int keep = end > start && in.getUnsignedByte(end - 1) == Frame.MAGIC_0 ? 1 : 0;
            skip(end - keep - start);
            return false;
        }
        skip(magic - start);
        if (in.readableBytes() < Frame.HEADER_LENGTH) {
            return false;
        }
        if (in.getUnsignedByte(magic + 2) != Frame.VERSION) {
            unsupportedVersions++;
            skip(1);
            return true;
        }
        if (Crc32.of(in, magic, Frame.HEADER_CRC_OFFSET) != in.getInt(magic + Frame.HEADER_CRC_OFFSET)) {
            crcErrors++;
            skip(1);
            return true;
        }
        long length = in.getUnsignedInt(magic + 18);
        if (length > maxPayloadBytes) {
            oversizeFrames++;
            skip(1);
            return true;
        }
        int total = Frame.HEADER_LENGTH + (int) length + Frame.TRAILER_LENGTH;
        if (in.readableBytes() < total) {
            in.ensureWritable(total - in.readableBytes());
            return false;
        }
        int bodyLength = Frame.HEADER_LENGTH + (int) length;
        if (Crc32.of(in, magic, bodyLength) != in.getInt(magic + bodyLength)) {
            crcErrors++;
            skip(1);
            return true;
        }
        ByteBuf payload = alloc.buffer((int) length, (int) length);
        payload.writeBytes(in, magic + Frame.HEADER_LENGTH, (int) length);
        Frame frame = new Frame(in.getUnsignedByte(magic + 3), in.getUnsignedByte(magic + 4),
                in.getUnsignedByte(magic + 5), in.getUnsignedInt(magic + 6), in.getLong(magic + 10), payload);
        in.skipBytes(total);
        framesDecoded++;
        out.accept(frame);
        return true;
    }

    private static int findMagic(ByteBuf in, int from, int end) {
        int i = from;
        while (i < end - 1) {
            i = in.indexOf(i, end - 1, (byte) Frame.MAGIC_0);
            if (i < 0) {
                return -1;
            }
            if (in.getByte(i + 1) == Frame.MAGIC_1) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private void skip(int n) {
        if (n > 0) {
            cumulation.skipBytes(n);
            bytesSkipped += n;
        }
    }

    private void compact() {
        if (!cumulation.isReadable()) {
            cumulation.clear();
        } else if (cumulation.readerIndex() > cumulation.capacity() / 2) {
            cumulation.discardReadBytes();
        }
    }

    /** Bytes currently held waiting for the rest of a frame (never more than one maximal frame). */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Bytes discarded while searching for a valid frame. */
    public long bytesSkipped() {
        return bytesSkipped;
    }

    /** Header CRC and frame CRC mismatches. */
    public long crcErrors() {
        return crcErrors;
    }

    /** Headers (with a valid header CRC) whose payload length exceeded the maximum. */
    public long oversizeFrames() {
        return oversizeFrames;
    }

    /** Magic followed by a version other than 1. */
    public long unsupportedVersions() {
        return unsupportedVersions;
    }

    /** Valid frames emitted. */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Releases the internal buffer; idempotent. Bytes of an incomplete frame are dropped. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
        }
    }
}
