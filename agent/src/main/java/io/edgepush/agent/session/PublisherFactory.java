package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RtmpPublisher;

import java.util.concurrent.CompletableFuture;

/** Opens an RTMP publish; the future fails with {@code RtmpException} (Adobe RTMP spec 7.2). */
@FunctionalInterface
interface PublisherFactory {
    /** @param publishUrl rtmp:// or rtmps:// URL with the stream key as its last path segment */
    CompletableFuture<RtmpPublisher> publish(String publishUrl);
}
