package io.edgepush.protocol.hevc;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * Test NAL units: the VPS/SPS/PPS of fixtures/small.265 (x265, Main, 320x180 coded as 320x184, level 2.0) as
 * hex, and a tiny bit writer to craft parameter sets with chosen (bad) field values.
 */
final class HevcTestNals {
    /** VPS of small.265 (24 bytes, emulation prevention bytes included). */
    static final String VPS = "40 01 0c 01 ff ff 01 60 00 00 03 00 90 00 00 03 00 00 03 00 3c 92 80 90";
    /** SPS of small.265 (41 bytes). */
    static final String SPS = "42 01 01 01 60 00 00 03 00 90 00 00 03 00 00 03 00 3c a0 0a 08 0b 9f 79 64 a9 24 ca"
            + " f0 16 80 80 00 00 03 00 80 00 00 0c 84";
    /** PPS of small.265 (7 bytes). */
    static final String PPS = "44 01 c1 72 b4 22 40";

    private HevcTestNals() {
    }

    /** A pooled buffer with the hex bytes; the caller owns it. */
    static ByteBuf nal(String hex) {
        return HexBytes.buf(hex);
    }

    /** MSB-first bit writer producing a NAL unit: 2-byte header, payload, emulation prevention added. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits u(int n, long value) {
            for (int i = n - 1; i >= 0; i--) {
                current = current << 1 | (int) ((value >>> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits ue(long value) {
            long v = value + 1;
            int bits = 64 - Long.numberOfLeadingZeros(v);
            u(bits - 1, 0);
            return u(bits, v);
        }

        /** The general profile_tier_level of small.265 with no sub-layers: Main, level 2.0. */
        Bits mainProfileTierLevel() {
            return u(8, 0x01).u(32, 0x60000000L).u(16, 0x9000).u(32, 0).u(8, 0x3c);
        }

        /** NAL unit of {@code type}: header, these bits, rbsp_stop_one_bit and alignment, emulation prevention. */
        ByteBuf nal(int type) {
            u(1, 1);
            while (count != 0) {
                u(1, 0);
            }
            byte[] rbsp = out.toByteArray();
            ByteArrayOutputStream nal = new ByteArrayOutputStream();
            nal.write(type << 1);
            nal.write(1);
            int zeros = 0;
            for (byte b : rbsp) {
                if (zeros >= 2 && (b & 0xFF) <= 3) {
                    nal.write(3);
                    zeros = 0;
                }
                nal.write(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            byte[] bytes = nal.toByteArray();
            return io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
        }
    }

    /** SPS with vps id 0, one sub-layer, nesting 1, Main PTL, then the given tail fields. */
    static Bits spsHead() {
        return new Bits().u(4, 0).u(3, 0).u(1, 1).mainProfileTierLevel();
    }
}
