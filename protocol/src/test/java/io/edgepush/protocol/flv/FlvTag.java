package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One tag read back from an FLV file (Adobe FLV spec v10.1, E.4.1 FLVTAG) by {@link FlvFileReader} (test kit).
 *
 * @param offset      byte offset of the tag header in the file
 * @param tagType     {@link FlvTagType} value: 8, 9 or 18
 * @param timestampMs Timestamp UI24 with TimestampExtended as the upper 8 bits, in milliseconds
 * @param body        the tag body (DataSize bytes); the array is owned by this record, do not modify it
 */
public record FlvTag(long offset, int tagType, int timestampMs, byte[] body) {

    /**
     * @return a new heap ByteBuf wrapping {@link #body()} (no copy); caller owns it and releases it
     */
    public ByteBuf bodyBuf() {
        return Unpooled.wrappedBuffer(body);
    }

    @Override
    public String toString() {
        return "FlvTag[" + FlvTagType.name(tagType) + " @" + offset + ", " + timestampMs + " ms, "
                + body.length + " bytes]";
    }
}
