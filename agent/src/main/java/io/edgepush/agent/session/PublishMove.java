package io.edgepush.agent.session;

import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.ReconnectRequest;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.edgepush.protocol.rtmp.Secrets;
import io.netty.channel.EventLoop;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one {@link StreamSession}'s stream to another publish without a gap: publishes to the new URL while the
 * current publish goes on, lets the {@link StreamOutput} switch at the next keyframe ({@link StreamOutput#handOver}),
 * then unpublishes the old connection and hands the new one to the session. Serves a server's reconnect request
 * (Enhanced RTMP v2, onStatus NetConnection.Connect.ReconnectRequest) and the move to a fresh endpoint before the old
 * one expires. One move at a time. Every method runs on the session's control thread.
 */
final class PublishMove {
    private static final Logger log = LoggerFactory.getLogger(PublishMove.class);

    /** The session seen from here (control thread). */
    interface Host {
        /** The publisher carrying the stream, or null. */
        RtmpPublisher publisher();

        /** The stream's codec, for the new connect's fourCcList. */
        VideoCodec codec();

        /** The camera's event loop (see {@link CameraControl#eventLoop()}), or null. */
        EventLoop cameraLoop();

        /**
         * {@code answer} on the control thread while the session's start that asked is current (see
         * {@link StaleAnswerFilter}); a stale answer never completes.
         *
         * @param closeStalePublisher close a publisher in a stale answer (false when it is not the move's own)
         */
        <T> CompletableFuture<T> onControl(CompletableFuture<T> answer, boolean closeStalePublisher);

        /** {@code next} on {@code url} now carries the stream; the previous publisher is already unpublishing. */
        void adopt(RtmpPublisher next, String url);
    }

    private final String deviceId;
    private final String streamName;
    private final PublisherFactory publishers;
    private final StreamOutput output;
    private final Executor control;
    private final Host host;
    private boolean moving;
    private RtmpPublisher target;

    PublishMove(String deviceId, String streamName, PublisherFactory publishers, StreamOutput output,
                Executor control, Host host) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.publishers = publishers;
        this.output = output;
        this.control = control;
        this.host = host;
    }

    /**
     * Serves a reconnect request received by the publish on {@code url}: moves to the requested tcUrl (or the same
     * URL) with the same stream name. An unusable tcUrl is logged and ignored.
     */
    void onReconnectRequest(String url, ReconnectRequest request) {
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
        moveTo(nextUrl).exceptionally(err -> {
            log.warn("event=reconnect_failed device_id={} stream_name={} error=\"{}\"", deviceId, streamName,
                    SessionText.rootMessage(err));
            return null;
        });
    }

    /**
     * Moves the stream to {@code nextUrl}.
     *
     * @return completes on the control thread once the new publish carries the stream; fails when another move is
     *     pending, the new publish fails, or the current publish ends (or the session stops) before the switch
     */
    CompletableFuture<Void> moveTo(String nextUrl) {
        RtmpPublisher current = host.publisher();
        if (moving || current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    moving ? "another publish move is pending" : "not publishing"));
        }
        moving = true;
        CompletableFuture<RtmpPublisher> opened = publishers.publish(nextUrl, host.codec(), host.cameraLoop());
        CompletableFuture<Void> moved = host.onControl(opened, true)
                .thenCompose(next -> {
                    if (host.publisher() != current) {
                        next.unpublish();
                        throw new CancellationException("the publish it was to replace has ended");
                    }
                    target = next;
                    next.closed().thenRunAsync(() -> output.cancelHandover(next), control);
                    CompletableFuture<RtmpPublisher> switched = output.handOver(next);
                    switched.whenComplete((previous, err) -> {
                        if (err != null) {
                            next.unpublish(); // abandoned: the old publish ended, the session stopped, or next closed
                        }
                    });
                    // the answer is the old publisher, the session's own: a stale gate must not close it
                    return host.onControl(switched, false).thenAccept(previous -> {
                        target = null;
                        previous.unpublish();
                        if (host.publisher() != current) {
                            next.unpublish(); // the old publish broke just before the switch: the session reconnects
                            return;
                        }
                        host.adopt(next, nextUrl);
                    });
                });
        return moved.whenComplete((v, err) -> {
            moving = false;
            target = null;
        });
    }

    /** The session starts or stops: a move under way is forgotten and its new publish, if up, unpublished. */
    void abandon() {
        moving = false;
        if (target != null) {
            target.unpublish();
            target = null;
        }
    }
}
