package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;

/**
 * MSB-first bit reader over RBSP bytes (emulation prevention already removed, see {@link Rbsp}) with the
 * descriptors of ISO/IEC 14496-10 7.2: u(n), ue(v), se(v) (Exp-Golomb, 9.1) and more_rbsp_data().
 * Every read names the syntax element it reads so that a truncated or invalid input gives an
 * {@link H264Exception} such as {@code "SPS truncated while reading level_idc (bit 16 of 16)"}.
 * Not thread-safe; holds no ByteBuf. Shared with the hevc package, whose parameter sets use the same descriptors
 * (ITU-T H.265 7.2), through {@link #ofNalUnit}.
 */
public final class BitReader {
    private final byte[] data;
    private final int bitLength;
    private final String structure;
    private int bitPos;
    private int stopBitPos = -2;

    /**
     * @param rbsp RBSP bytes; the array is used as is (not copied)
     * @param structure what is being parsed, used in error messages (e.g. "SPS", "slice header")
     */
    public BitReader(byte[] rbsp, String structure) {
        this.data = rbsp;
        this.bitLength = rbsp.length * 8;
        this.structure = structure;
    }

    /**
     * A reader over the RBSP of a NAL unit: the bytes after its header with emulation_prevention_three_byte removed
     * (H.264 7.3.1 and 7.4.1, H.265 7.3.1.1).
     *
     * @param nal BORROWED; starts with the NAL unit header; not modified
     * @param headerBytes the NAL unit header's size: 1 for H.264, 2 for H.265
     * @param maxRbspBytes read at most this many RBSP bytes (e.g. only a header); {@code Integer.MAX_VALUE} for all
     * @param structure what is being parsed, for error messages
     */
    public static BitReader ofNalUnit(ByteBuf nal, int headerBytes, int maxRbspBytes, String structure) {
        return new BitReader(Rbsp.unescape(nal, nal.readerIndex() + headerBytes, nal.writerIndex(), maxRbspBytes),
                structure);
    }

    /** @return number of bits consumed so far */
    public int position() {
        return bitPos;
    }

    /** @return number of bits not yet read (including the rbsp trailing bits) */
    public int bitsLeft() {
        return bitLength - bitPos;
    }

    /** Reads u(1) as a flag. @param field syntax element name for errors */
    public boolean readFlag(String field) {
        return readBits(1, field) != 0;
    }

    /**
     * Reads u(n).
     *
     * @param n 0..32 bits
     * @param field syntax element name for errors
     * @return the unsigned value
     * @throws H264Exception if fewer than {@code n} bits are left
     */
    public long readBits(int n, String field) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("readBits supports 0..32 bits, got " + n);
        }
        if (n > bitsLeft()) {
            throw truncated(field);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            int bit = (data[bitPos >> 3] >> (7 - (bitPos & 7))) & 1;
            v = (v << 1) | bit;
            bitPos++;
        }
        return v;
    }

    /** Same as {@link #readBits(int, String)} with a generic field name. */
    public long readBits(int n) {
        return readBits(n, "u(" + n + ")");
    }

    /**
     * Reads ue(v), unsigned Exp-Golomb (9.1).
     *
     * @param field syntax element name for errors
     * @return 0..2^31-1
     * @throws H264Exception if truncated or the code is longer than 31 leading zero bits (not an int)
     */
    public int readUE(String field) {
        int leadingZeros = 0;
        while (true) {
            if (bitsLeft() == 0) {
                throw truncated(field);
            }
            if (readBits(1, field) == 1) {
                break;
            }
            leadingZeros++;
            if (leadingZeros > 31) {
                throw new H264Exception(structure + ": invalid Exp-Golomb code for " + field
                        + " (more than 31 leading zero bits at bit " + (bitPos - leadingZeros) + ")");
            }
        }
        long value = (1L << leadingZeros) - 1 + readBits(leadingZeros, field);
        if (value > Integer.MAX_VALUE) {
            throw new H264Exception(structure + ": " + field + " = " + value + " does not fit in 31 bits");
        }
        return (int) value;
    }

    /** Same as {@link #readUE(String)} with a generic field name. */
    public int readUE() {
        return readUE("ue(v)");
    }

    /**
     * Reads se(v), signed Exp-Golomb (9.1.1): codeNum k maps to (-1)^(k+1) * Ceil(k / 2).
     *
     * @param field syntax element name for errors
     * @throws H264Exception if truncated or invalid
     */
    public int readSE(String field) {
        int k = readUE(field);
        return (k & 1) == 1 ? (k + 1) >>> 1 : -(k >>> 1);
    }

    /** Same as {@link #readSE(String)} with a generic field name. */
    public int readSE() {
        return readSE("se(v)");
    }

    /**
     * Reads ue(v) and checks {@code min <= value <= max}.
     *
     * @throws H264Exception naming the field if out of range
     */
    public int readUE(String field, int min, int max) {
        int v = readUE(field);
        if (v < min || v > max) {
            throw new H264Exception(structure + ": " + field + " = " + v + " out of range " + min + ".." + max);
        }
        return v;
    }

    /**
     * more_rbsp_data() (7.2): true if there is more data before the rbsp_stop_one_bit, i.e. the last 1 bit
     * of the RBSP is after the current position.
     */
    public boolean moreRbspData() {
        if (stopBitPos == -2) {
            stopBitPos = findStopBit();
        }
        return stopBitPos > bitPos;
    }

    private int findStopBit() {
        for (int i = data.length - 1; i >= 0; i--) {
            int b = data[i] & 0xFF;
            if (b != 0) {
                return i * 8 + 7 - Integer.numberOfTrailingZeros(b);
            }
        }
        return -1;
    }

    private H264Exception truncated(String field) {
        return new H264Exception(structure + " truncated while reading " + field
                + " (bit " + bitPos + " of " + bitLength + ")");
    }
}
