package io.edgepush.agent.session;

import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/** Opens an RTMP publish; the future fails with {@code RtmpException} (Adobe RTMP spec 7.2). */
@FunctionalInterface
interface PublisherFactory {
    /** @param publishUrl rtmp:// or rtmps:// URL with the stream key as its last path segment */
    CompletableFuture<RtmpPublisher> publish(String publishUrl);

    /**
     * Opens a publish for a stream of {@code codec}: an implementation that speaks Enhanced RTMP announces the
     * codec's FourCC in connect ({@code fourCcList}, e.g. "hvc1" for H.265). The default ignores the codec (test
     * factories that accept anything).
     */
    default CompletableFuture<RtmpPublisher> publish(String publishUrl, VideoCodec codec) {
        return publish(publishUrl);
    }

    /**
     * As {@link #publish(String, VideoCodec)}, on {@code eventLoop} when it is not null and the factory's event loop
     * group holds it (the camera's loop: see {@link CameraControl#eventLoop()}); elsewhere otherwise. The default
     * ignores the loop.
     */
    default CompletableFuture<RtmpPublisher> publish(String publishUrl, VideoCodec codec, EventLoop eventLoop) {
        return publish(publishUrl, codec);
    }
}
