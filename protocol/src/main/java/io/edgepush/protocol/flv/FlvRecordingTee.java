package io.edgepush.protocol.flv;

import io.edgepush.protocol.amf0.Amf0;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An {@link FlvVideoMuxer.TagSink} that writes every tag to a local .flv file ({@link FlvFileWriter}) and then
 * passes it on to another sink (e.g. the RTMP publisher): one muxer, two outputs, the same tags.
 *
 * <p>The one difference between the two outputs is the onMetaData script tag: an RTMP muxer writes the data
 * message form, prefixed by the AMF0 string "@setDataFrame" (Adobe RTMP spec 7.1.2; servers strip it before
 * storing the tag), while an FLV file holds the plain SCRIPTDATA form "onMetaData" + ECMA array (FLV spec E.4.4,
 * E.5). The tee removes that prefix for the file copy, exactly as a recording server does. Not thread-safe.
 */
public final class FlvRecordingTee implements FlvVideoMuxer.TagSink {
    /** AMF0 string marker 0x02, UI16 length 13, "@setDataFrame" (AMF0 spec 2.4). */
    private static final byte[] SET_DATA_FRAME_PREFIX;

    static {
        ByteBuf prefix = Unpooled.buffer();
        Amf0.writeString(prefix, OnMetaData.SET_DATA_FRAME);
        SET_DATA_FRAME_PREFIX = ByteBufUtil.getBytes(prefix);
        prefix.release();
    }

    private final FlvFileWriter file;
    private final FlvVideoMuxer.TagSink next;

    /**
     * @param file borrowed: the caller closes it
     * @param next receives every tag after it was written to the file (and takes ownership of its body)
     */
    public FlvRecordingTee(FlvFileWriter file, FlvVideoMuxer.TagSink next) {
        this.file = file;
        this.next = next;
    }

    /**
     * Writes the tag to the file, then hands it to the next sink.
     *
     * @param body TAKES OWNERSHIP: passed on to the next sink, or released if writing the file fails
     * @throws UncheckedIOException if the file cannot be written (the tag is not passed on)
     */
    @Override
    public void onTag(int tagType, int timestampMs, ByteBuf body) {
        try {
            if (tagType == FlvTagType.SCRIPT_DATA && startsWithSetDataFrame(body)) {
                ByteBuf fileBody = body.slice(body.readerIndex() + SET_DATA_FRAME_PREFIX.length,
                        body.readableBytes() - SET_DATA_FRAME_PREFIX.length);
                file.writeTag(tagType, timestampMs, fileBody);
            } else {
                file.writeTag(tagType, timestampMs, body);
            }
        } catch (IOException e) {
            body.release();
            throw new UncheckedIOException("cannot write the FLV recording: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        next.onTag(tagType, timestampMs, body);
    }

    private static boolean startsWithSetDataFrame(ByteBuf body) {
        if (body.readableBytes() < SET_DATA_FRAME_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < SET_DATA_FRAME_PREFIX.length; i++) {
            if (body.getByte(body.readerIndex() + i) != SET_DATA_FRAME_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
