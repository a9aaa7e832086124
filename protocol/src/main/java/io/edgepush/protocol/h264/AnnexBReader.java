package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Splits an Annex B byte stream (ISO/IEC 14496-10 Annex B) into NAL units. NAL units are delimited by the
 * 3-byte start code 0x000001 (a 4-byte start code is a zero_byte plus the 3-byte one); zero bytes right before a
 * start code or at the end of the stream are leading/trailing_zero_8bits and are dropped. Empty NAL units (two
 * adjacent start codes) are skipped. The stream must begin with a start code, optionally preceded by zero bytes.
 *
 * <p>Two forms: {@link #forEachNalUnit} for a buffer already in memory (e.g. one access unit from a camera), and
 * an instance that streams a file through a fixed 64 KiB window and a per-NAL buffer bounded by maxNalBytes.
 */
public final class AnnexBReader implements Closeable {
    private static final int WINDOW_BYTES = 64 * 1024;

    private final InputStream in;
    private final int maxNalBytes;
    private final byte[] window = new byte[WINDOW_BYTES];
    private int pos;
    private int limit;
    private long windowOffset;
    private boolean started;
    private boolean eof;
    private int zeros;

    /**
     * @param in the Annex B stream; read incrementally, never whole; closed by {@link #close()}
     * @param maxNalBytes largest NAL unit accepted by {@link #next}, in bytes (> 0)
     */
    public AnnexBReader(InputStream in, int maxNalBytes) {
        if (maxNalBytes <= 0) {
            throw new IllegalArgumentException("maxNalBytes must be > 0, got " + maxNalBytes);
        }
        this.in = in;
        this.maxNalBytes = maxNalBytes;
    }

    /**
     * Calls {@code nal} once per NAL unit in {@code annexB[readerIndex, writerIndex)}.
     *
     * @param annexB BORROWED; not modified (indices unchanged); an empty buffer yields no NAL units
     * @param nal receives slices of {@code annexB} starting with the NAL header byte; they BORROW the input
     *     (not retained) and are valid only during the call: retain or copy to keep one
     * @throws H264Exception if a non-empty buffer does not start with a start code (after optional zero bytes)
     */
    public static void forEachNalUnit(ByteBuf annexB, Consumer<ByteBuf> nal) {
        split(annexB, nal, false);
    }

    /**
     * As {@link #forEachNalUnit}, but each NAL unit is a RETAINED slice ({@link ByteBuf#retainedSlice(int, int)}):
     * the consumer TAKES OWNERSHIP and releases it once. For a pooled {@code annexB} the slices are recycled objects,
     * so splitting a frame allocates nothing.
     */
    public static void forEachNalUnitRetained(ByteBuf annexB, Consumer<ByteBuf> nal) {
        split(annexB, nal, true);
    }

    private static void split(ByteBuf annexB, Consumer<ByteBuf> nal, boolean retained) {
        int end = annexB.writerIndex();
        int i = annexB.readerIndex();
        if (i == end) {
            return;
        }
        int firstNonZero = annexB.forEachByte(i, end - i, ByteProcessor.FIND_NON_NUL);
        if (firstNonZero < 0 || firstNonZero - i < 2 || annexB.getByte(firstNonZero) != 1) {
            throw notStartCode(firstNonZero < 0 ? end - annexB.readerIndex() : firstNonZero - annexB.readerIndex(),
                    firstNonZero < 0 ? -1 : annexB.getByte(firstNonZero) & 0xFF);
        }
        int nalStart = firstNonZero + 1;
        while (nalStart < end) {
            int startCode = StartCodes.find(annexB, nalStart, end);
            int nalEnd = startCode < 0 ? end : startCode;
            while (nalEnd > nalStart && annexB.getByte(nalEnd - 1) == 0) {
                nalEnd--; // trailing_zero_8bits, or the zero_byte of a 4-byte start code
            }
            if (nalEnd > nalStart) {
                nal.accept(retained ? annexB.retainedSlice(nalStart, nalEnd - nalStart)
                        : annexB.slice(nalStart, nalEnd - nalStart));
            }
            if (startCode < 0) {
                return;
            }
            nalStart = startCode + 3;
        }
    }

    private static H264Exception notStartCode(long offset, int b) {
        if (b < 0) {
            return new H264Exception("Annex B stream has no start code: only " + offset + " zero bytes");
        }
        return new H264Exception(String.format(
                "Annex B stream does not begin with a start code (00 00 01): byte 0x%02X at offset %d", b, offset));
    }

    /**
     * Reads the next NAL unit.
     *
     * @param a allocator for the returned buffer (e.g. PooledByteBufAllocator.DEFAULT)
     * @return the next NAL unit starting with its header byte, without start code or trailing zeros; the CALLER
     *     OWNS it and must release it once; null at end of stream. A stream cut mid-NAL yields the bytes present.
     * @throws H264Exception if the stream does not begin with a start code (after optional zero bytes), or a NAL
     *     unit exceeds maxNalBytes (its bytes are skipped up to the next start code first, so the next call
     *     continues with the following NAL unit)
     * @throws IOException from the input stream
     */
    public ByteBuf next(ByteBufAllocator a) throws IOException {
        if (!started && !skipToFirstStartCode()) {
            return null;
        }
        ByteBuf out = null;
        try {
            while (true) {
                if (pos == limit && !fill()) {
                    zeros = 0; // trailing_zero_8bits at end of stream
                    if (out != null && out.isReadable()) {
                        ByteBuf result = out;
                        out = null;
                        return result;
                    }
                    return null;
                }
                byte b = window[pos++];
                if (b == 0) {
                    zeros++;
                    continue;
                }
                if (b == 1 && zeros >= 2) {
                    zeros = 0;
                    if (out != null && out.isReadable()) {
                        ByteBuf result = out;
                        out = null;
                        return result;
                    }
                    continue; // empty NAL unit
                }
                int runStart = pos - 1;
                int runEnd = pos;
                while (runEnd < limit && window[runEnd] != 0) {
                    runEnd++;
                }
                int size = (out == null ? 0 : out.readableBytes()) + zeros + (runEnd - runStart);
                if (size > maxNalBytes) {
                    long nalOffset = windowOffset + runStart - (out == null ? 0 : out.readableBytes()) - zeros;
                    pos = runEnd;
                    zeros = 0;
                    skipRestOfNal();
                    throw new H264Exception("NAL unit near stream offset " + nalOffset + " exceeds maxNalBytes "
                            + maxNalBytes + "; skipped to the next start code");
                }
                if (out == null) {
                    out = a.buffer((int) Math.min(maxNalBytes, Math.max(256L, size * 2L)));
                }
                out.writeZero(zeros);
                zeros = 0;
                out.writeBytes(window, runStart, runEnd - runStart);
                pos = runEnd;
            }
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    /** Discards bytes until just after the next start code or end of stream. */
    private void skipRestOfNal() throws IOException {
        while (pos < limit || fill()) {
            byte b = window[pos++];
            if (b == 0) {
                zeros++;
            } else {
                boolean startCode = b == 1 && zeros >= 2;
                zeros = 0;
                if (startCode) {
                    return;
                }
            }
        }
    }

    /** @return false if the stream is empty */
    private boolean skipToFirstStartCode() throws IOException {
        if (eof) {
            return false;
        }
        int leading = 0;
        while (pos < limit || fill()) {
            byte b = window[pos];
            if (b == 0) {
                leading++;
                pos++;
                continue;
            }
            if (b == 1 && leading >= 2) {
                pos++;
                started = true;
                return true;
            }
            throw notStartCode(windowOffset + pos, b & 0xFF);
        }
        if (leading > 0) {
            throw notStartCode(leading, -1);
        }
        return false;
    }

    /** Refills the window. @return false at end of stream */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        windowOffset += limit;
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(window, 0, window.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit = n;
        return true;
    }

    /** Closes the input stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
