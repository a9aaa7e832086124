package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.ReconnectRequest;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.protocol.rtmp.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Moves one {@link StreamSession}'s stream to another publish without a gap: publishes the same stream to the new
 * URL, lets the {@link FramePath} switch at the next keyframe (the camera is asked for an IDR; the new connection
 * starts with onMetaData, the sequence header and that keyframe; timestamps continue), then unpublishes the old
 * connection. Used for a server's reconnect request (Enhanced RTMP v2, onStatus
 * NetConnection.Connect.ReconnectRequest) and for moving to a fresh endpoint before the old one expires. While the
 * new publish is pending the old one carries the stream; if the new publish fails, the old one goes on. One move
 * at a time. All methods run on the session's control thread.
 */
final class PublishHandover {
    private static final Logger log = LoggerFactory.getLogger(PublishHandover.class);

    private final String deviceId;
    private final String streamName;
    private final PublisherFactory publishers;
    private final Executor control;
    private final FramePath framePath;
    private RtmpPublisher replacement;
    private boolean pending;

    PublishHandover(String deviceId, String streamName, PublisherFactory publishers, Executor control,
                    FramePath framePath) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.publishers = publishers;
        this.control = control;
        this.framePath = framePath;
    }

    /**
     * Serves a reconnect request received by {@code current}: moves to the requested tcUrl (or the same URL) with
     * the same stream name. A request with an unusable tcUrl is logged and ignored.
     *
     * @param url        {@code current}'s publish URL (stream key included)
     * @param stillOwned true while {@code current} is still the session's publisher
     * @param handedOver gets the new publisher and its URL once it carries the frames (old one already unpublishing)
     */
    void onReconnectRequest(String url, ReconnectRequest request, BooleanSupplier stillOwned,
                            BiConsumer<RtmpPublisher, String> handedOver) {
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
                Secrets.maskUrl(nextUrl));
        moveTo(nextUrl, stillOwned, handedOver, err -> log.warn("event=reconnect_failed device_id={} stream_name={}"
                + " error=\"{}\"", deviceId, streamName, SessionText.rootMessage(err)));
    }

    /**
     * Publishes to {@code nextUrl} and moves the frames there at the next keyframe.
     *
     * @param stillOwned true while the current publisher is still the session's (checked when the new publish
     *                   is up; if not, the new one is unpublished)
     * @param handedOver gets the new publisher and its URL once it carries the frames (old one already unpublishing)
     * @param failed     gets the reason when the move cannot happen: a move already pending, the new publish
     *                   failed, or the new connection closed before the switch
     */
    void moveTo(String nextUrl, BooleanSupplier stillOwned, BiConsumer<RtmpPublisher, String> handedOver,
                Consumer<Throwable> failed) {
        if (!stillOwned.getAsBoolean()) {
            return;
        }
        if (pending) {
            failed.accept(new IllegalStateException("another publish move is pending"));
            return;
        }
        pending = true;
        publishers.publish(nextUrl).whenCompleteAsync((next, err) -> {
            if (!pending) {
                if (next != null) {
                    next.unpublish(); // dropped while the publish was on its way
                }
                return;
            }
            if (err != null) {
                pending = false;
                failed.accept(err);
                return;
            }
            if (!stillOwned.getAsBoolean()) {
                pending = false;
                next.unpublish();
                return;
            }
            replacement = next;
            next.closed().thenRunAsync(() -> {
                if (replacement == next) {
                    drop();
                    failed.accept(new IllegalStateException("the new connection closed before the switch"));
                }
            }, control);
            framePath.handOverAtNextKeyframe(next, previous -> control.execute(() -> {
                previous.unpublish();
                if (replacement == next) {
                    replacement = null;
                    pending = false;
                    handedOver.accept(next, nextUrl);
                }
            }));
        }, control);
    }

    /** Abandons a move that has not switched yet (the session stops or its publisher failed). */
    void drop() {
        pending = false;
        if (replacement != null) {
            framePath.cancelHandover(replacement);
            replacement.unpublish();
            replacement = null;
        }
    }
}
