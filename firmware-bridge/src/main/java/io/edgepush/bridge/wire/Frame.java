package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * One decoded, CRC-checked frame (PROTOCOL.md section 2).
 *
 * @param typeCode     type byte (see {@link MessageType#fromCode}; unknown codes are possible)
 * @param flags        flags byte
 * @param streamId     stream id byte, 0..255
 * @param sequence     u32 sequence number, 0..0xFFFFFFFF
 * @param timestampUs  u64 timestamp in microseconds (as a signed long bit pattern)
 * @param payload      the payload; the frame OWNS it: whoever holds the frame releases it once
 *                     via {@link #release()} or passes it on (see {@link Messages#decode})
 */
record Frame(int typeCode, int flags, int streamId, long sequence, long timestampUs, ByteBuf payload) {
    /** Header bytes: magic(2) version(1) type(1) flags(1) stream(1) seq(4) ts(8) len(4) header_crc(4). */
    public static final int HEADER_LENGTH = 26;
    /** Bytes of the header covered by the header CRC. */
    public static final int HEADER_CRC_OFFSET = 22;
    /** Trailer: frame CRC-32. */
    public static final int TRAILER_LENGTH = 4;
    /** First magic byte, ASCII 'E'. */
    public static final int MAGIC_0 = 0x45;
    /** Second magic byte, ASCII 'P'. */
    public static final int MAGIC_1 = 0x50;
    /** Protocol version in this implementation. */
    public static final int VERSION = 1;
    /** Protocol maximum payload, 2 MiB; receivers may configure lower. */
    public static final int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
    /** Flags bit0 of a VIDEO frame: the access unit contains an IDR. */
    public static final int FLAG_KEYFRAME = 0x01;

    /** The message type, or null if v1 does not define {@link #typeCode}. */
    public MessageType type() {
        return MessageType.fromCode(typeCode);
    }

    /** Releases the payload (exactly once). */
    public void release() {
        payload.release();
    }
}
