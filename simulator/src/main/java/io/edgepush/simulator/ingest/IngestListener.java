package io.edgepush.simulator.ingest;

import java.nio.file.Path;

/**
 * Observes publishes on an {@link RtmpIngestServer}. Callbacks run on the connection's Netty event loop: do not
 * block. {@code streamName} is the publish name without its query string.
 */
interface IngestListener {
    /** A publish started (NetStream.Publish.Start was sent) and is being recorded into {@code file}. */
    default void onPublishStart(String streamName, Path file) {
    }

    /**
     * One video message arrived.
     *
     * @param timestampMs the RTMP message timestamp, milliseconds
     * @param keyframe FLV frame type 1 (E.4.3.1)
     * @param sequenceHeader AVCPacketType 0 (the AVCDecoderConfigurationRecord), not a coded picture
     */
    default void onVideo(String streamName, int timestampMs, boolean keyframe, boolean sequenceHeader) {
    }

    /** The publish ended (unpublish, deleteStream, disconnect or server close); its file is closed. */
    default void onPublishStop(String streamName, long framesReceived) {
    }
}
