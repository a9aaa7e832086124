package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RetryPolicy;
import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.Secrets;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One camera stream, keyed by (camera_id, stream_id): from a start to a stop it finds an endpoint, publishes
 * over RTMP, and comes back by itself after anything short of a hardware fault, moving through
 * {@link SessionState} (DESIGN.md section 3) with every move logged and reported.
 * <ul>
 *   <li>Failures are retried as their {@link RetryPolicy} allows, in failover order over the endpoint's URLs,
 *       with jittered exponential backoff ({@link RetryPlanner}); the count resets once a publish has stayed up
 *       for the stable period. An endpoint from the cloud is asked for afresh after a failure, naming the
 *       endpoint that failed.</li>
 *   <li>Every new publish within one start continues the timeline: its first video tag is a keyframe after
 *       onMetaData and the sequence header, the camera is asked for an IDR at once, and timestamps go on from
 *       the last one written ({@link FramePath}).</li>
 *   <li>Without leaving STREAMING, the stream moves to another publish at a keyframe when the server asks
 *       (E-RTMP v2 reconnect request) and before the endpoint expires ({@link EndpointRefresh}).</li>
 * </ul>
 * Control work runs on one shared control thread, so the session's own fields need no locks; frames go
 * through {@link #onAccessUnit} on the camera's thread.
 */
public final class StreamSession {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private static final long UNPUBLISH_TIMEOUT_MS = 3000;

    private final SessionSettings settings;
    private final EndpointSource endpoints;
    private final PublisherFactory publishers;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final SessionMetrics metrics = new SessionMetrics();
    private final SessionStateMachine machine;
    private final FramePath framePath;
    private final RetryPlanner retries;
    private final PublishHandover handover;
    private final EndpointRefresh refresh;
    private volatile String quality;
    private volatile CameraControl camera = CameraControl.OFFLINE;
    private volatile String publishUrl;
    private volatile Failure lastFailure;
    private volatile long nextRetryAtEpochMs;
    private RtmpPublisher publisher;
    private Endpoint endpoint;
    private int generation;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> stableTask;

    /** The last failure, with the URL it happened on (null when it was not a publish URL's fault). */
    private record Failure(String errorCode, String message, String publishUrl) {
    }

    public StreamSession(SessionSettings settings, String quality, EndpointSource endpoints, PublisherFactory publishers,
                         ScheduledExecutorService control, SessionListener listener) {
        this.settings = settings;
        this.quality = quality;
        this.endpoints = endpoints;
        this.publishers = publishers;
        this.control = control;
        this.listener = listener;
        this.machine = new SessionStateMachine(settings.deviceId(), settings.streamName(),
                (from, to, reason) -> listener.stateChanged(this, from, to, reason));
        this.framePath = new FramePath(settings.deviceId(), settings.streamName(), settings.frameDropping(),
                settings.fpsHint(), settings.silentAudio(), metrics, () -> camera.requestKeyframe());
        this.handover = new PublishHandover(settings.deviceId(), settings.streamName(), publishers, control,
                framePath);
        this.retries = new RetryPlanner(settings.backoff(), settings.autoReconnect(), settings.serverIdleTimeoutMs());
        this.refresh = new EndpointRefresh(settings.deviceId(), settings.streamName(), endpoints, control, handover,
                new RefreshHost(), System::currentTimeMillis);
    }

    public String deviceId() {
        return settings.deviceId();
    }

    public int cameraId() {
        return settings.cameraId();
    }

    public int streamId() {
        return settings.streamId();
    }

    public String streamName() {
        return settings.streamName();
    }

    public SessionState state() {
        return machine.state();
    }

    public String quality() {
        return quality;
    }

    public SessionMetrics metrics() {
        return metrics;
    }

    /** The URL being published to (stream key included: mask before showing it), or null. */
    public String publishUrl() {
        return publishUrl;
    }

    /**
     * Estimated sending delay in milliseconds: bytes waiting in the RTMP connection divided by the recent
     * send rate (0 when nothing waits or nothing is being sent).
     */
    public long latencyMs() {
        long pending = framePath.pendingWriteBytes();
        long bytesPerSecond = (long) (metrics.total().averageBitrateKbps() * 1000 / 8);
        return pending == 0 || bytesPerSecond <= 0 ? 0 : pending * 1000 / bytesPerSecond;
    }

    /** A reading of the session for {@code /status}: state, why, what next, and the stream's counters. */
    public SessionStatus status() {
        SessionStateMachine.Reading r = machine.reading();
        Failure f = lastFailure;
        return new SessionStatus(deviceId(), cameraId(), streamId(), streamName(), r.state(), r.sinceEpochMs(),
                r.reason(), quality, publishUrl, retries.attempts(), f == null ? null : f.errorCode(),
                f == null ? null : f.message(), r.state() == SessionState.RECONNECTING ? nextRetryAtEpochMs : 0,
                refresh.expiresAtSec(), metrics.total(), latencyMs());
    }

    /** Releases what the session holds once it is idle for good (agent shutdown). */
    public void close() {
        framePath.close();
    }

    /**
     * Sets the camera this session controls ({@link CameraControl#OFFLINE} while it is away: the session
     * stays as it is, paused). A camera that (re)attaches mid-stream continues the publish from its next
     * keyframe with timestamps that keep increasing; if its first frame is not a keyframe it is asked for an IDR.
     */
    public void attachCamera(CameraControl control) {
        this.camera = control == null ? CameraControl.OFFLINE : control;
        if (camera != CameraControl.OFFLINE) {
            framePath.cameraReattached();
        }
    }

    /** The camera's encoder controls (OFFLINE when the camera is not connected). */
    public CameraControl camera() {
        return camera;
    }

    /** Records the quality preset name used in status events and endpoint requests. */
    public void setQuality(String quality) {
        this.quality = quality;
    }

    /**
     * One access unit from the camera, Annex B, BORROWED (the caller releases it). Called on the camera's
     * I/O thread; cheap when the session is not streaming (only SPS/PPS are tracked).
     *
     * @param captureTimeUs the camera's capture time in microseconds
     */
    public void onAccessUnit(ByteBuf annexB, long captureTimeUs) {
        framePath.onAccessUnit(annexB, captureTimeUs);
    }

    /**
     * Starts the stream unless it is already on its way (also from ERROR: a start after giving up tries again
     * from the first URL with a fresh retry budget). Completes on the control thread once accepted; the outcome
     * is reported through the listener.
     *
     * @return true if this call started it, false if it was already active
     */
    public CompletableFuture<Boolean> start() {
        return CompletableFuture.supplyAsync(() -> {
            if (state().isActive()) {
                return false;
            }
            generation++;
            retries.restart();
            lastFailure = null;
            metrics.reset();
            framePath.newTimeline();
            attempt(generation);
            return true;
        }, control);
    }

    /**
     * Stops the stream: AVC end of sequence, FCUnpublish, deleteStream, close; then stream_stopped.
     *
     * @return completes (on the control thread) when the session is idle again; true if it was active
     */
    public CompletableFuture<Boolean> stop() {
        return CompletableFuture.supplyAsync(() -> {
            if (state() == SessionState.ERROR) {
                machine.move(SessionState.IDLE, "stop after error");
                return CompletableFuture.completedFuture(true);
            }
            if (!state().isActive()) {
                return CompletableFuture.completedFuture(false);
            }
            generation++;
            cancelTimers();
            machine.move(SessionState.STOPPING, "stop requested");
            framePath.endOfSequence();
            handover.drop();
            RtmpPublisher closing = publisher;
            publisher = null;
            CompletableFuture<Void> done = closing == null ? CompletableFuture.completedFuture(null)
                    : closing.unpublish().orTimeout(UNPUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return done.handleAsync((v, err) -> {
                if (err != null) {
                    log.warn("event=unpublish_incomplete device_id={} stream_name={} error=\"{}\"",
                            deviceId(), streamName(), SessionText.rootMessage(err));
                    closing.close();
                }
                publishUrl = null;
                machine.move(SessionState.IDLE, "stopped");
                listener.streamStopped(this, metrics.total());
                return true;
            }, control);
        }, control).thenCompose(f -> f);
    }

    private void attempt(int gen) {
        if (endpoints.asksCloud()) {
            machine.move(SessionState.REQUESTING_ENDPOINT, "asking the cloud for an endpoint");
        }
        Failure failed = lastFailure;
        FailedEndpoint report = failed == null || failed.publishUrl() == null ? null
                : new FailedEndpoint(failed.publishUrl(), failed.errorCode(), failed.message());
        endpoints.resolve(quality, report).whenCompleteAsync((resolved, err) -> {
            if (gen != generation) {
                return;
            }
            if (err != null) {
                Throwable cause = SessionText.unwrap(err);
                if (cause instanceof EndpointUnavailableException e) {
                    fail(e.errorCode(), e.getMessage(), null,
                            e.retryable() ? RetryPolicy.RETRY_NOW : RetryPolicy.DO_NOT_RETRY, false);
                } else {
                    fail("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), null, RetryPolicy.RETRY_NOW, false);
                }
                return;
            }
            endpoint = resolved;
            connect(gen, resolved.publishUrls().get(retries.urlIndex(resolved.publishUrls().size())));
        }, control);
    }

    private void connect(int gen, String url) {
        machine.move(SessionState.CONNECTING, "publishing to " + Secrets.maskUrl(url));
        publishers.publish(url).whenCompleteAsync((p, err) -> {
            if (gen != generation) {
                if (p != null) {
                    p.close();
                }
                return;
            }
            if (err != null) {
                Throwable cause = SessionText.unwrap(err);
                if (cause instanceof RtmpException e) {
                    fail(e.code().name(), e.getMessage(), url, e.policy(), false);
                } else {
                    fail("RTMP_CONNECT_FAILED", String.valueOf(cause.getMessage()), url, RetryPolicy.RETRY_NOW,
                            false);
                }
                return;
            }
            onPublishing(gen, p, url);
        }, control);
    }

    private void onPublishing(int gen, RtmpPublisher p, String url) {
        publisher = p;
        publishUrl = url;
        framePath.attach(p);
        machine.move(SessionState.STREAMING, "NetStream.Publish.Start");
        listener.streamStarted(this, url);
        watch(gen, p, url);
        refresh.schedule(gen, endpoint.expiresAtEpochSec());
        stableTask = control.schedule(() -> {
            if (gen == generation && publisher != null && retries.attempts() > 0) {
                log.info("event=stream_stable device_id={} stream_name={} after_failures={}", deviceId(),
                        streamName(), retries.attempts());
                retries.stable();
                lastFailure = null;
            }
        }, settings.stablePeriodMs(), TimeUnit.MILLISECONDS);
    }

    /** Reacts to the end of publisher {@code p} while it is the session's, and to its reconnect request. */
    private void watch(int gen, RtmpPublisher p, String url) {
        p.closed().whenCompleteAsync((cause, err) -> {
            if (gen != generation || publisher != p) {
                return;
            }
            publisher = null;
            framePath.attach(null);
            handover.drop();
            String code = cause != null ? cause.code().name() : RtmpErrorCode.RTMP_CONNECTION_CLOSED.name();
            String message = cause != null ? cause.getMessage() : "connection closed";
            fail(code, message, url, cause != null ? cause.policy() : RetryPolicy.RETRY_NOW, true);
        }, control);
        p.reconnectRequested().thenAcceptAsync(request -> {
            if (gen == generation && publisher == p) {
                handover.onReconnectRequest(url, request, () -> gen == generation && publisher == p,
                        (next, nextUrl) -> adopt(gen, p, next, nextUrl));
            }
        }, control);
    }

    /** {@code next} took over the frames from {@code previous}, which is unpublishing. */
    private void adopt(int gen, RtmpPublisher previous, RtmpPublisher next, String nextUrl) {
        if (gen == generation && publisher == previous) {
            publisher = next;
            publishUrl = nextUrl;
            watch(gen, next, nextUrl);
        }
    }

    /**
     * A try failed or a live publish broke: plan the next try (or give up) and report connection_error.
     *
     * @param url     the publish URL at fault, reported with the next endpoint request; null for endpoint errors
     * @param wasLive true when a streaming publish broke
     */
    private void fail(String errorCode, String message, String url, RetryPolicy policy, boolean wasLive) {
        cancelTimers();
        lastFailure = new Failure(errorCode, message, url);
        int urlCount = endpoint == null ? 1 : endpoint.publishUrls().size();
        RetryPlanner.Decision next = retries.onFailure(policy, wasLive, urlCount);
        log.warn("event=connection_error device_id={} stream_name={} error_code={} retry_policy={} attempt={}"
                        + " next_retry_ms={} next_url_index={} error=\"{}\"", deviceId(), streamName(), errorCode,
                policy, next.attempt(), Math.max(0, next.delayMs()), next.urlIndex(), message);
        if (next.givesUp()) {
            machine.move(SessionState.ERROR, errorCode);
            listener.connectionError(this, errorCode, message, next.attempt(), 0);
            return;
        }
        nextRetryAtEpochMs = System.currentTimeMillis() + next.delayMs();
        machine.move(SessionState.RECONNECTING, errorCode);
        listener.connectionError(this, errorCode, message, next.attempt(), Math.max(1, (next.delayMs() + 999) / 1000));
        int gen = generation;
        retryTask = control.schedule(() -> {
            if (gen == generation) {
                attempt(gen);
            }
        }, next.delayMs(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (retryTask != null) {
            retryTask.cancel(false);
            retryTask = null;
        }
        if (stableTask != null) {
            stableTask.cancel(false);
            stableTask = null;
        }
        refresh.cancel();
    }

    /** The session as {@link EndpointRefresh} sees it (control thread). */
    private final class RefreshHost implements EndpointRefresh.Host {
        @Override
        public boolean streaming(int gen) {
            return gen == generation && state() == SessionState.STREAMING && publisher != null;
        }

        @Override
        public RtmpPublisher publisher() {
            return publisher;
        }

        @Override
        public String publishUrl() {
            return publishUrl;
        }

        @Override
        public String quality() {
            return quality;
        }

        @Override
        public void adopt(int gen, RtmpPublisher previous, RtmpPublisher next, String nextUrl) {
            StreamSession.this.adopt(gen, previous, next, nextUrl);
        }

        @Override
        public void refreshed(String url, long expiresAtSec) {
            log.info("event=endpoint_refreshed device_id={} stream_name={} url={} expires_at={}", deviceId(),
                    streamName(), Secrets.maskUrl(url), expiresAtSec);
            listener.endpointRefreshed(StreamSession.this, url, expiresAtSec);
        }
    }
}
