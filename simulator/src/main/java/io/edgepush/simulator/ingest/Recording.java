package io.edgepush.simulator.ingest;

import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.rtmp.Secrets;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publish being written to an .flv file (FLV spec E.2-E.4): onMetaData as a script tag, video tags as
 * received. Used on one event loop only; {@link #close()} may come from the server's close on another thread, so
 * the methods are synchronized.
 */
final class Recording {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    private final String streamName;
    private final Path file;
    private final FlvFileWriter writer;
    private long frames;
    private long videoBytes;
    private boolean closed;

    /** @throws IOException if the file cannot be created */
    Recording(String streamName, Path file) throws IOException {
        this.streamName = streamName;
        this.file = file;
        this.writer = new FlvFileWriter(file, true, false);
    }

    String streamName() {
        return streamName;
    }

    Path file() {
        return file;
    }

    /** Writes an FLV script tag. @param body "onMetaData" + ECMA array, AMF0 (borrowed) */
    synchronized void metaData(ByteBuf body) {
        write(FlvTagType.SCRIPT_DATA, 0, body);
    }

    /**
     * Writes a video tag (borrowed body, FLV VIDEODATA E.4.3.1).
     *
     * @return true if it is a coded picture (AVCPacketType 1), counted in {@link #frames()}
     */
    synchronized boolean video(int timestampMs, ByteBuf body) {
        write(FlvTagType.VIDEO, timestampMs, body);
        boolean picture = body.readableBytes() >= 2 && body.getByte(body.readerIndex() + 1) == 1;
        if (picture) {
            frames++;
        }
        videoBytes += body.readableBytes();
        return picture;
    }

    /** Coded pictures received (AVC NALU packets; sequence headers and end-of-sequence not counted). */
    synchronized long frames() {
        return frames;
    }

    /** Flushes and closes the file; idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("stream_name={} closing {} failed: {}", Secrets.mask(streamName), file, e.toString());
        }
        LOG.info("stream_name={} recording closed: {} ({} frames, {} video bytes)", Secrets.mask(streamName),
                file, frames, videoBytes);
    }

    private void write(int tagType, int timestampMs, ByteBuf body) {
        if (closed) {
            return;
        }
        try {
            writer.writeTag(tagType, Math.max(0, timestampMs), body);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("stream_name={} cannot write tag to {}: {}", Secrets.mask(streamName), file,
                    e.toString());
        }
    }
}
