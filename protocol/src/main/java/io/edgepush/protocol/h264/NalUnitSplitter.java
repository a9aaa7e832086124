package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;

/**
 * Incremental, push-based Annex B splitter (ISO/IEC 14496-10 Annex B.2) for byte streams that arrive in chunks
 * of any size, e.g. a socket carrying a raw H.264 elementary stream. Unlike {@link AnnexBReader} it never blocks
 * and never fails on bad input: bytes before the first start code (a stream joined mid-NAL unit) are skipped and
 * counted, and a NAL unit longer than {@code maxNalBytes} is dropped and counted while its bytes are discarded as
 * they arrive, so memory stays bounded by about one maximal NAL unit.
 *
 * <p>A NAL unit ends at the next start code (0x000001); trailing zero bytes (trailing_zero_8bits or the zero_byte
 * of a 4-byte start code) are removed and empty NAL units are skipped. The last NAL unit is therefore only known
 * complete when the next start code arrives, or at {@link #finish}. Not thread-safe: one thread feeds it.
 */
public final class NalUnitSplitter implements AutoCloseable {
    /** Receives each complete NAL unit. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param nal one NAL unit starting with its header byte; the sink TAKES OWNERSHIP and releases it once
         * @param arrivalTag the tag passed to {@link #feed} with the chunk holding the NAL unit's first byte
         */
        void accept(ByteBuf nal, long arrivalTag);
    }

    private static final int INITIAL_CAPACITY = 4096;

    private final ByteBufAllocator alloc;
    private final int maxNalBytes;
    private ByteBuf pending;
    private int scanFrom;
    private boolean started;
    private boolean oversize;
    /** The held NAL unit ends in a zero run cut to 2 bytes: oversize unless a start code (or finish) ends the run. */
    private boolean longZeroRun;
    private boolean tagPending = true;
    private long nalTag;
    private long bytesSkipped;
    private long oversizeNalUnits;
    private long nalUnits;
    private boolean closed;

    /**
     * @param alloc allocator for the internal buffer and the emitted NAL units (e.g. PooledByteBufAllocator.DEFAULT)
     * @param maxNalBytes largest NAL unit emitted, in bytes (> 0)
     */
    public NalUnitSplitter(ByteBufAllocator alloc, int maxNalBytes) {
        if (maxNalBytes <= 0) {
            throw new IllegalArgumentException("maxNalBytes must be > 0, got " + maxNalBytes);
        }
        this.alloc = alloc;
        this.maxNalBytes = maxNalBytes;
    }

    /**
     * Appends the readable bytes of {@code chunk} and emits every NAL unit now complete. After {@link #close()}
     * input is ignored.
     *
     * @param chunk BORROWED: not released, indices unchanged
     * @param arrivalTag an opaque value reported with each NAL unit whose first byte is in this chunk (e.g. the
     *     arrival time in microseconds)
     */
    public void feed(ByteBuf chunk, long arrivalTag, Sink sink) {
        if (closed || !chunk.isReadable()) {
            return;
        }
        if (pending == null) {
            pending = alloc.buffer(Math.max(INITIAL_CAPACITY, chunk.readableBytes()));
        }
        if (tagPending) {
            nalTag = arrivalTag;
            tagPending = false;
        }
        int appendedFrom = pending.writerIndex();
        pending.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        if (longZeroRun) {
            int nonZero = pending.forEachByte(appendedFrom, pending.writerIndex() - appendedFrom,
                    ByteProcessor.FIND_NON_NUL);
            if (nonZero >= 0 && pending.getByte(nonZero) != 1) {
                longZeroRun = false; // the zeros belong to the NAL unit, which is over the limit
                oversize = true;
                oversizeNalUnits++;
            }
        }
        while (!closed) {
            int startCode = StartCodes.find(pending, Math.max(scanFrom, pending.readerIndex()), pending.writerIndex());
            if (startCode < 0) {
                break;
            }
            endNalUnit(startCode, sink);
            pending.readerIndex(startCode + 3);
            scanFrom = pending.readerIndex();
            started = true;
            nalTag = arrivalTag;
            tagPending = !pending.isReadable();
        }
        if (!closed) {
            holdTail();
        }
    }

    /** Emits the NAL unit still held (the stream ended on a NAL unit boundary), if any. */
    public void finish(Sink sink) {
        if (closed || pending == null) {
            return;
        }
        endNalUnit(pending.writerIndex(), sink);
        pending.clear();
        scanFrom = 0;
        tagPending = true;
    }

    /** Emits [readerIndex, end) without trailing zeros, or counts it as skipped/oversize. */
    private void endNalUnit(int end, Sink sink) {
        longZeroRun = false;
        int start = pending.readerIndex();
        int nalEnd = end;
        while (nalEnd > start && pending.getByte(nalEnd - 1) == 0) {
            nalEnd--;
        }
        if (!started) {
            bytesSkipped += nalEnd - start;
            return;
        }
        if (oversize) {
            oversize = false;
            return;
        }
        if (nalEnd - start > maxNalBytes) {
            oversizeNalUnits++;
            return;
        }
        if (nalEnd == start) {
            return;
        }
        ByteBuf nal = alloc.buffer(nalEnd - start, nalEnd - start);
        nal.writeBytes(pending, start, nalEnd - start);
        nalUnits++;
        sink.accept(nal, nalTag);
    }

    /**
     * Keeps only what may still matter: up to two trailing zero bytes (a start code may straddle chunks) and,
     * while inside a NAL unit of acceptable size, the NAL unit's bytes.
     */
    private void holdTail() {
        int end = pending.writerIndex();
        int keepFrom = end;
        while (keepFrom > pending.readerIndex() && end - keepFrom < 2 && pending.getByte(keepFrom - 1) == 0) {
            keepFrom--;
        }
        if (!started) {
            bytesSkipped += keepFrom - pending.readerIndex();
            pending.readerIndex(keepFrom);
        } else if (!oversize && end - pending.readerIndex() > maxNalBytes + 2) {
            // Trailing zeros end the NAL unit if a start code follows: only the bytes before them count.
            int contentEnd = end;
            while (contentEnd > pending.readerIndex() && pending.getByte(contentEnd - 1) == 0) {
                contentEnd--;
            }
            if (contentEnd - pending.readerIndex() > maxNalBytes) {
                oversize = true;
                oversizeNalUnits++;
            } else {
                pending.writerIndex(contentEnd + 2);
                longZeroRun = true;
                keepFrom = contentEnd;
            }
        }
        if (oversize) {
            pending.readerIndex(keepFrom);
        }
        scanFrom = keepFrom;
        if (pending.readerIndex() > pending.capacity() / 2) {
            scanFrom -= pending.readerIndex();
            pending.discardReadBytes();
        }
    }

    /** Bytes discarded before the first start code. */
    public long bytesSkipped() {
        return bytesSkipped;
    }

    /** NAL units dropped because they exceeded maxNalBytes. */
    public long oversizeNalUnits() {
        return oversizeNalUnits;
    }

    /** NAL units emitted. */
    public long nalUnits() {
        return nalUnits;
    }

    /** Bytes held while waiting for the end of the current NAL unit. */
    public int bufferedBytes() {
        return pending == null ? 0 : pending.readableBytes();
    }

    /** Releases the internal buffer; idempotent. The NAL unit being received is dropped. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }
}
