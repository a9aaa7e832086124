package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/**
 * CRC-32 as used by the wire protocol (PROTOCOL.md section 1): IEEE 802.3 / zlib, reflected
 * polynomial 0xEDB88320, init 0xFFFFFFFF, final XOR 0xFFFFFFFF. Check value of ASCII
 * "123456789" is 0xCBF43926. Backed by {@link java.util.zip.CRC32}, which is this CRC.
 */
final class Crc32 {
    /** One reusable CRC state per thread: decoding runs per frame on the event loop and must not allocate. */
    private static final ThreadLocal<CRC32> STATE = ThreadLocal.withInitial(CRC32::new);

    private Crc32() {
    }

    /**
     * CRC-32 of {@code length} bytes of {@code buf} starting at absolute {@code index}.
     * Borrows {@code buf}; does not change its reader or writer index.
     *
     * @return the CRC as an unsigned 32-bit value in the low bits of an int
     */
    public static int of(ByteBuf buf, int index, int length) {
        CRC32 crc = STATE.get();
        crc.reset();
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.internalNioBuffer(index, length)); // the buffer's cached view: no new ByteBuffer
        } else {
            for (java.nio.ByteBuffer part : buf.nioBuffers(index, length)) {
                crc.update(part);
            }
        }
        return (int) crc.getValue();
    }
}
