package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.ReconnectRequest;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Serves a server's reconnect request (Enhanced RTMP v2, onStatus NetConnection.Connect.ReconnectRequest) for
 * one {@link StreamSession} without dropping the stream: publishes the same stream name to the requested tcUrl
 * (or the same URL), lets the {@link FramePath} hand the frames over at the next keyframe (the new connection
 * starts with onMetaData, the sequence header and that keyframe; timestamps continue), then unpublishes the old
 * connection. While the new publish is pending the old one carries the stream; if the new publish fails, the old
 * one goes on until the server closes it. All methods run on the session's control thread.
 */
final class ReconnectHandover {
    private static final Logger log = LoggerFactory.getLogger(ReconnectHandover.class);

    private final String deviceId;
    private final String streamName;
    private final PublisherFactory publishers;
    private final Executor control;
    private final FramePath framePath;
    private RtmpPublisher replacement;

    ReconnectHandover(String deviceId, String streamName, PublisherFactory publishers, Executor control,
                      FramePath framePath) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.publishers = publishers;
        this.control = control;
        this.framePath = framePath;
    }

    /**
     * @param current    the publisher that received the request
     * @param url        its publish URL (stream key included)
     * @param stillOwned true while {@code current} is still the session's publisher
     * @param handedOver gets the new publisher and its URL once it carries the frames (old one already unpublishing)
     */
    void onRequest(RtmpPublisher current, String url, ReconnectRequest request, BooleanSupplier stillOwned,
                   BiConsumer<RtmpPublisher, String> handedOver) {
        if (!stillOwned.getAsBoolean() || replacement != null) {
            return;
        }
        String nextUrl;
        try {
            RtmpUrl target = request.target(RtmpUrl.parse(url));
            nextUrl = target.tcUrl() + "/" + target.streamName();
        } catch (IllegalArgumentException e) {
            log.warn("event=reconnect_request_ignored device_id={} stream_name={} error=\"{}\"", deviceId, streamName,
                    e.getMessage());
            return;
        }
        log.info("event=reconnect_request device_id={} stream_name={} url={}", deviceId, streamName,
                SessionText.mask(nextUrl));
        publishers.publish(nextUrl).whenCompleteAsync((next, err) -> {
            if (err != null) {
                log.warn("event=reconnect_failed device_id={} stream_name={} error=\"{}\"", deviceId, streamName,
                        SessionText.rootMessage(err));
                return;
            }
            if (!stillOwned.getAsBoolean()) {
                next.unpublish();
                return;
            }
            replacement = next;
            next.closed().thenRunAsync(() -> {
                if (replacement == next) {
                    drop();
                }
            }, control);
            framePath.handOverAtNextKeyframe(next, previous -> control.execute(() -> {
                previous.unpublish();
                if (replacement == next) {
                    replacement = null;
                    handedOver.accept(next, nextUrl);
                }
            }));
        }, control);
    }

    /** Abandons a replacement that has not taken over yet (the session stops or its publisher failed). */
    void drop() {
        if (replacement != null) {
            framePath.cancelHandover(replacement);
            replacement.unpublish();
            replacement = null;
        }
    }
}
