package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One camera stream, keyed by (device_id, stream_id): from a start to a stop it finds an endpoint,
 * publishes over RTMP, and reconnects with backoff when the connection breaks, moving through
 * {@link SessionState} (DESIGN.md section 3). Control work runs on one shared control thread, so the
 * session's own fields need no locks; frames go through {@link #onAccessUnit} on the camera's thread.
 */
public final class StreamSession {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private static final long UNPUBLISH_TIMEOUT_MS = 3000;

    /**
     * Identity and fixed settings of a session.
     *
     * @param silentAudio add a silent AAC-LC track to every publish ({@code rtmp.silent_audio})
     */
    public record Settings(String deviceId, int cameraId, int streamId, String streamName, boolean autoReconnect,
                           boolean frameDropping, double fpsHint, Backoff backoff, boolean silentAudio) {

        /** Settings of a video-only session. */
        public Settings(String deviceId, int cameraId, int streamId, String streamName, boolean autoReconnect,
                        boolean frameDropping, double fpsHint, Backoff backoff) {
            this(deviceId, cameraId, streamId, streamName, autoReconnect, frameDropping, fpsHint, backoff, false);
        }
    }

    private final Settings settings;
    private final EndpointSource endpoints;
    private final PublisherFactory publishers;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final SessionMetrics metrics = new SessionMetrics();
    private final FramePath framePath;
    private volatile SessionState state = SessionState.IDLE;
    private volatile String quality;
    private volatile CameraControl camera = CameraControl.OFFLINE;
    private volatile String publishUrl;
    private RtmpPublisher publisher;
    private int generation;
    private int attempts;
    private int urlIndex;
    private ScheduledFuture<?> retryTask;

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
            RtmpPublisher closing = publisher;
            publisher = null;
            CompletableFuture<Void> done = closing == null ? CompletableFuture.completedFuture(null)
                    : closing.unpublish().orTimeout(UNPUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return done.handleAsync((v, err) -> {
                if (err != null) {
                    log.warn("event=unpublish_incomplete device_id={} stream_name={} error=\"{}\"",
                            deviceId(), streamName(), rootMessage(err));
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
        endpoints.resolve(quality).whenCompleteAsync((endpoint, err) -> {
            if (gen != generation) {
                return;
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof EndpointUnavailableException e) {
                    fail(e.errorCode(), e.getMessage(), e.retryable());
                } else {
                    fail("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), true);
                }
                return;
            }
            String url = endpoint.publishUrls().get(urlIndex % endpoint.publishUrls().size());
            connect(gen, url);
        }, control);
    }

    private void connect(int gen, String url) {
        move(SessionState.CONNECTING, "publishing to " + mask(url));
        publishers.publish(url).whenCompleteAsync((p, err) -> {
            if (gen != generation) {
                if (p != null) {
                    p.close();
                }
                return;
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof RtmpException e) {
                    fail(e.code().name(), e.getMessage(), e.code() != RtmpErrorCode.RTMP_CONNECT_REJECTED);
                } else {
                    fail("RTMP_CONNECT_FAILED", String.valueOf(cause.getMessage()), true);
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
        p.closed().whenCompleteAsync((cause, err) -> {
            if (gen != generation || publisher != p) {
                return;
            }
            publisher = null;
            framePath.attach(null);
            String code = cause != null ? cause.code().name() : RtmpErrorCode.RTMP_CONNECTION_CLOSED.name();
            String message = cause != null ? cause.getMessage() : "connection closed";
            fail(code, message, true);
        }, control);
    }

    private void fail(String errorCode, String message, boolean retryable) {
        attempts++;
        urlIndex++;
        long delayMs = retryable && settings.autoReconnect() ? settings.backoff().delayMs(attempts) : -1;
        log.warn("event=connection_error device_id={} stream_name={} error_code={} attempt={} next_retry_ms={} error=\"{}\"",
                deviceId(), streamName(), errorCode, attempts, Math.max(0, delayMs), message);
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

    private static String mask(String url) {
        try {
            return RtmpUrl.parse(url).masked();
        } catch (IllegalArgumentException e) {
            return "(unparseable url)";
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = unwrap(t);
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
