package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.ReconnectRequest;
import io.edgepush.protocol.rtmp.RetryPolicy;
import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One camera stream, keyed by (device_id, stream_id): from a start to a stop it finds an endpoint,
 * publishes over RTMP, and reconnects with backoff when the connection breaks, moving through
 * {@link SessionState} (DESIGN.md section 3). How a failure is retried follows its {@link RetryPolicy}
 * ({@link RetryDelays}). A server's reconnect request (E-RTMP v2) is served without leaving STREAMING: a second
 * publish is opened and takes over at the next keyframe, then the first is unpublished. Control work runs on
 * one shared control thread, so the session's own fields need no locks; frames go through
 * {@link #onAccessUnit} on the camera's thread.
 */
public final class StreamSession {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private static final long UNPUBLISH_TIMEOUT_MS = 3000;

    /**
     * Identity and fixed settings of a session.
     *
     * @param serverIdleTimeoutMs how long a server keeps the stale publish of a dead connection, milliseconds:
     *                            the least wait before publishing the same name to the same URL again after
     *                            RETRY_AFTER_IDLE_TIMEOUT
     * @param silentAudio         add a silent AAC-LC track to every publish ({@code rtmp.silent_audio})
     */
    public record Settings(String deviceId, int cameraId, int streamId, String streamName, boolean autoReconnect,
                           boolean frameDropping, double fpsHint, Backoff backoff, long serverIdleTimeoutMs,
                           boolean silentAudio) {
    }

    private final Settings settings;
    private final EndpointSource endpoints;
    private final PublisherFactory publishers;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final SessionMetrics metrics = new SessionMetrics();
    private final FramePath framePath;
    private final RetryDelays retryDelays;
    private final ReconnectHandover handover;
    private volatile SessionState state = SessionState.IDLE;
    private volatile String quality;
    private volatile CameraControl camera = CameraControl.OFFLINE;
    private volatile String publishUrl;
    private RtmpPublisher publisher;
    private int generation;
    private int attempts;
    private int urlIndex;
    private int urlCount = 1;
    private ScheduledFuture<?> retryTask;
    private volatile long stateSinceEpochMs = System.currentTimeMillis();
    private volatile String stateReason = "created";
    private volatile String lastErrorCode;
    private volatile String lastErrorMessage;
    private volatile long nextRetryAtEpochMs;
    private volatile long endpointExpiresAtSec;

    public StreamSession(Settings settings, String quality, EndpointSource endpoints, PublisherFactory publishers,
                         ScheduledExecutorService control, SessionListener listener) {
        this.settings = settings;
        this.quality = quality;
        this.endpoints = endpoints;
        this.publishers = publishers;
        this.control = control;
        this.listener = listener;
        this.framePath = new FramePath(settings.deviceId(), settings.streamName(), settings.frameDropping(),
                settings.fpsHint(), settings.silentAudio(), metrics, () -> camera.requestKeyframe());
        this.handover = new ReconnectHandover(settings.deviceId(), settings.streamName(), publishers, control,
                framePath);
        this.retryDelays = new RetryDelays(settings.backoff(), settings.autoReconnect(), settings.serverIdleTimeoutMs());
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
        return state;
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
        return new SessionStatus(deviceId(), cameraId(), streamId(), streamName(), state, stateSinceEpochMs,
                stateReason, quality, publishUrl, attempts, lastErrorCode, lastErrorMessage, nextRetryAtEpochMs,
                endpointExpiresAtSec, metrics.total());
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
     * Starts the stream unless it is already on its way. Completes on the control thread once accepted;
     * the outcome is reported through the listener.
     *
     * @return true if this call started it, false if it was already active
     */
    public CompletableFuture<Boolean> start() {
        return CompletableFuture.supplyAsync(() -> {
            if (state.isActive()) {
                return false;
            }
            generation++;
            attempts = 0;
            urlIndex = 0;
            metrics.reset();
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
            if (state == SessionState.ERROR) {
                move(SessionState.IDLE, "stop after error");
                return CompletableFuture.completedFuture(true);
            }
            if (!state.isActive()) {
                return CompletableFuture.completedFuture(false);
            }
            generation++;
            cancelRetry();
            move(SessionState.STOPPING, "stop requested");
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
                move(SessionState.IDLE, "stopped");
                listener.streamStopped(this, metrics.total());
                return true;
            }, control);
        }, control).thenCompose(f -> f);
    }

    private void attempt(int gen) {
        if (endpoints.asksCloud()) {
            move(SessionState.REQUESTING_ENDPOINT, "asking the cloud for an endpoint");
        }
        endpoints.resolve(quality, null).whenCompleteAsync((endpoint, err) -> {
            if (gen != generation) {
                return;
            }
            if (err != null) {
                Throwable cause = SessionText.unwrap(err);
                if (cause instanceof EndpointUnavailableException e) {
                    fail(e.errorCode(), e.getMessage(), e.retryable() ? RetryPolicy.RETRY_NOW : RetryPolicy.DO_NOT_RETRY);
                } else {
                    fail("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), RetryPolicy.RETRY_NOW);
                }
                return;
            }
            urlCount = endpoint.publishUrls().size();
            String url = endpoint.publishUrls().get(urlIndex % endpoint.publishUrls().size());
            connect(gen, url);
        }, control);
    }

    private void connect(int gen, String url) {
        move(SessionState.CONNECTING, "publishing to " + SessionText.mask(url));
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
                    fail(e.code().name(), e.getMessage(), e.policy());
                } else {
                    fail("RTMP_CONNECT_FAILED", String.valueOf(cause.getMessage()), RetryPolicy.RETRY_NOW);
                }
                return;
            }
            onPublishing(gen, p, url);
        }, control);
    }

    private void onPublishing(int gen, RtmpPublisher p, String url) {
        publisher = p;
        publishUrl = url;
        attempts = 0;
        framePath.attach(p);
        move(SessionState.STREAMING, "NetStream.Publish.Start");
        listener.streamStarted(this, url);
        watch(gen, p, url);
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
            fail(code, message, cause != null ? cause.policy() : RetryPolicy.RETRY_NOW);
        }, control);
        p.reconnectRequested().thenAcceptAsync(request -> handover.onRequest(p, url, request,
                () -> gen == generation && publisher == p,
                (next, nextUrl) -> handedOver(gen, p, next, nextUrl)), control);
    }

    /** The replacement publish took over the frames (reconnect request); {@code previous} is unpublished. */
    private void handedOver(int gen, RtmpPublisher previous, RtmpPublisher next, String nextUrl) {
        if (gen == generation && publisher == previous) {
            publisher = next;
            publishUrl = nextUrl;
            watch(gen, next, nextUrl);
        }
    }

    private void fail(String errorCode, String message, RetryPolicy policy) {
        attempts++;
        urlIndex++;
        long delayMs = retryDelays.delayMs(policy, attempts, urlCount == 1);
        log.warn("event=connection_error device_id={} stream_name={} error_code={} retry_policy={} attempt={} next_retry_ms={} error=\"{}\"",
                deviceId(), streamName(), errorCode, policy, attempts, Math.max(0, delayMs), message);
        if (delayMs < 0) {
            move(SessionState.ERROR, errorCode);
            listener.connectionError(this, errorCode, message, attempts, 0);
            return;
        }
        move(SessionState.RECONNECTING, errorCode);
        listener.connectionError(this, errorCode, message, attempts, (delayMs + 999) / 1000);
        int gen = generation;
        retryTask = control.schedule(() -> {
            if (gen == generation) {
                attempt(gen);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void move(SessionState to, String reason) {
        SessionState from = state;
        if (from == to) {
            return;
        }
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("illegal session transition " + from + " -> " + to
                    + " for " + deviceId() + "/" + streamName());
        }
        state = to;
        stateSinceEpochMs = System.currentTimeMillis();
        stateReason = reason;
        log.info("event=state device_id={} stream_name={} from={} to={} reason=\"{}\"",
                deviceId(), streamName(), from.label(), to.label(), reason);
        listener.stateChanged(this, from, to, reason);
    }

    private void cancelRetry() {
        if (retryTask != null) {
            retryTask.cancel(false);
            retryTask = null;
        }
    }
}
