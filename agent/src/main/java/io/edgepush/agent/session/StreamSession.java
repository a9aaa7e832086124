package io.edgepush.agent.session;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.EndpointUnavailableException;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.quality.QualityControl;
import io.edgepush.agent.stream.OutputSettings;
import io.edgepush.agent.stream.OutputState;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RetryPolicy;
import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One camera stream, keyed by (camera_id, stream_id): from a start to a stop it finds an endpoint, publishes
 * over RTMP, and comes back by itself after anything short of a hardware fault, moving through
 * {@link SessionState} (DESIGN.md section 3) with every move logged and reported.
 * <ul>
 *   <li>Failures are retried as their {@link RetryPolicy} allows, in failover order over the endpoint's URLs,
 *       with jittered exponential backoff ({@link RetryPlanner}); the budget counts failed rounds of the URL list
 *       and is whole again once a publish sends a keyframe, the backoff once it has stayed up for the stable period.
 *       Unattended streams keep probing once the budget is used up. An endpoint from the cloud is asked for afresh
 *       after a failure, naming the endpoint that failed.</li>
 *   <li>Frames go to the stream's {@link StreamOutput}: every new publish starts with onMetaData, the sequence
 *       header and the buffered keyframe (the camera is asked for an IDR only when none is buffered), and
 *       timestamps go on from the last one written.</li>
 *   <li>Without leaving STREAMING, the stream moves to another publish at a keyframe when the server asks
 *       (E-RTMP v2 reconnect request) and before the endpoint expires ({@link EndpointRefresh}): {@link PublishMove}
 *       publishes to the new URL, the output switches at the next keyframe, the old publish is unpublished.</li>
 * </ul>
 * Control work runs on one shared control thread, so the session's own fields need no locks; frames go
 * through {@link #onAccessUnit} on the camera's thread. Every asynchronous answer (endpoint, publish) comes back
 * through a {@link StaleAnswerFilter}, which drops answers meant for an earlier start or a stop. The session's timers
 * are {@link SessionTimers}; {@link SessionHosts} show the session to {@link PublishMove} and {@link EndpointRefresh}.
 */
public final class StreamSession {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private static final long UNPUBLISH_TIMEOUT_MS = 3000;
    /** {@link #start(QualityPreset, long)} without a motion event. */
    private static final long NO_EVENT = Long.MIN_VALUE;

    private final SessionSettings settings;
    private final EndpointSource endpoints;
    private final PublisherFactory publishers;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final SessionMetrics metrics = new SessionMetrics();
    private final ConnectionErrors errors = new ConnectionErrors();
    private final SessionStateMachine machine;
    private final StreamOutput output;
    private final RetryPlanner retries;
    private final EndpointRefresh refresh;
    private final PublishMove move;
    private final SessionEncoder encoder;
    private final QualityControl quality;
    private final StaleAnswerFilter answers;
    private final SessionTimers timers;
    private volatile String publishUrl;
    private volatile SessionFailure lastFailure;
    private volatile long nextRetryAtEpochMs;
    /** The current publish has sent a keyframe (control thread). */
    private boolean publishDelivered;
    private RtmpPublisher publisher;
    private Endpoint endpoint;
    /** The last stop's completion (idle again); a start during STOPPING waits for it. */
    private CompletableFuture<Boolean> stopped;
    /** Stops asked for so far: a start waiting for a stop to end is called off by a later stop. */
    private int stopsRequested;

    StreamSession(SessionSettings settings, String quality, EndpointSource endpoints, PublisherFactory publishers,
                         ScheduledExecutorService control, SessionListener listener) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.publishers = publishers;
        this.control = control;
        this.listener = listener;
        this.machine = new SessionStateMachine(settings.deviceId(), settings.streamName(),
                (from, to, reason) -> listener.stateChanged(this, from, to, reason));
        this.output = StreamOutput.create(new OutputSettings(settings.deviceId(), settings.streamName(),
                settings.frameDropping(), settings.fpsHint(), settings.silentAudio(), settings.gopBufferBytes(),
                settings.gopBufferMs(), settings.preRollMs(), settings.targetLatencyMs()), metrics,
                () -> camera().requestKeyframe());
        this.encoder = new SessionEncoder(settings, quality, control, listener, this);
        this.quality = encoder.quality();
        this.retries = new RetryPlanner(settings.backoff(), settings.autoReconnect(), settings.probeWhenExhausted(),
                settings.serverIdleTimeoutMs());
        this.answers = new StaleAnswerFilter(control);
        this.move = new PublishMove(settings.deviceId(), settings.streamName(), publishers, output, control,
                new SessionHosts.MoveHost(this, answers));
        this.refresh = new EndpointRefresh(settings.deviceId(), settings.streamName(), endpoints, control,
                new SessionHosts.RefreshHost(this, encoder, move, listener), System::currentTimeMillis);
        this.timers = new SessionTimers(control, refresh);
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

    /** The quality preset's wire name, e.g. {@code high}. */
    public String quality() {
        return quality.preset().wireName();
    }

    /** What the camera's encoder is asked and why (for status). */
    public QualityControl.Reading encoder() {
        return quality.reading();
    }

    public SessionMetrics metrics() {
        return metrics;
    }

    /** The URL being published to (stream key included: mask before showing it), or null. */
    public String publishUrl() {
        return publishUrl;
    }

    /** Media time and bytes queued between the camera and the socket (DESIGN.md 6b {@code backlog_ms}). */
    public StreamOutput.Backlog backlog() {
        return output.backlog();
    }

    /**
     * After a start for a motion: how much video from before the motion the publish began with, milliseconds of
     * camera time ({@link StreamOutput#preRollSentMs}); -1 for another start.
     */
    public long preRollSentMs() {
        return output.preRollSentMs();
    }

    /**
     * A reading of the session for {@code /status}, {@code /metrics} and {@code /health}: state, why, what next, the
     * stream's counters ({@link SessionMetrics#total()}: fps and bitrate are those of the last stream_metrics
     * interval) and the connection errors. Any thread.
     */
    public SessionStatus status() {
        return status(false);
    }

    /**
     * As {@link #status()}, but its fps, bitrate and network quality are over the interval since the previous call,
     * and a new interval starts ({@link SessionMetrics#sample()}): the reading of a {@code stream_metrics} event,
     * taken every {@code metrics_interval_sec} by the status reporter, and only there.
     */
    public SessionStatus sampleStatus() {
        return status(true);
    }

    private SessionStatus status(boolean newInterval) {
        SessionStateMachine.Reading r = machine.reading();
        SessionFailure f = lastFailure;
        long[] buffered = new long[1];
        SessionMetrics.Snapshot total = output.readLedger(unsettled -> {
            buffered[0] = unsettled;
            // under the output's lock: consistent with the frames still buffered
            return newInterval ? metrics.sample() : metrics.total();
        });
        StreamOutput.Backlog backlog = output.backlog();
        return new SessionStatus(deviceId(), cameraId(), streamId(), streamName(), r.state(), r.sinceEpochMs(),
                r.reason(), quality(), publishUrl, retries.attempts(), f == null ? null : f.errorCode(),
                f == null ? null : f.message(),
                r.state() == SessionState.RECONNECTING || r.state() == SessionState.ERROR ? nextRetryAtEpochMs : 0,
                refresh.expiresAtSec(), total, backlog, quality.reading(),
                networkQuality(backlog.ms(), total.networkQuality()), buffered[0], errors.read());
    }

    /**
     * network_quality (README "Adaptive bitrate"), 0..1: the share of the ceiling the uplink carries, times how far
     * the backlog is from the target latency, times {@code sentShare} (frames sent over frames sent or dropped).
     */
    public double networkQuality(long backlogMs, double sentShare) {
        return quality.networkQuality(backlogMs, settings.targetLatencyMs(), sentShare);
    }

    /** Releases what the session holds once it is idle for good (agent shutdown). */
    public void close() {
        output.close();
    }

    /**
     * Sets the camera this session controls ({@link CameraControl#OFFLINE} while it is away: the session
     * stays as it is, paused). A camera that (re)attaches mid-stream continues the publish from its next
     * keyframe with timestamps that keep increasing; if its first frame is not a keyframe it is asked for an IDR.
     */
    public void attachCamera(CameraControl control) {
        CameraControl attached = control == null ? CameraControl.OFFLINE : control;
        encoder.attach(attached);
        if (attached != CameraControl.OFFLINE) {
            output.sourceRestarted();
        }
    }

    /** The camera's encoder controls (OFFLINE when the camera is not connected). */
    public CameraControl camera() {
        return encoder.camera();
    }

    /**
     * A new quality preset (start or set_quality command): asked of the camera at once (quality_changed with
     * reason {@code command} when that changes the ask), used in status events and endpoint requests.
     */
    public void setQuality(QualityPreset preset) {
        encoder.setPreset(preset);
    }

    /**
     * One access unit from the camera, TAKEN (the session's output releases it). Called on the camera's I/O thread;
     * while the session is not streaming the access unit only fills the GOP buffer.
     */
    public void onAccessUnit(AccessUnit au) {
        output.offer(au);
    }

    /**
     * Starts the stream unless it is already on its way (also from ERROR: a start after giving up tries again
     * from the first URL with a fresh retry budget). Completes on the control thread once accepted; the outcome
     * is reported through the listener.
     *
     * @return true if this call started it, false if it was already active
     */
    public CompletableFuture<Boolean> start() {
        return start(null);
    }

    /**
     * As {@link #start()}, with the quality preset of a {@code start} command (null: keep the one in use), asked of
     * the camera once with the start (or at once when the stream is already active).
     */
    public CompletableFuture<Boolean> start(QualityPreset preset) {
        return start(preset, NO_EVENT);
    }

    /**
     * As {@link #start()} for a motion at source decode time {@code motionDtsMs} (the camera's clock, as the access
     * units' decode times): the publish begins with the buffered whole GOPs from up to the pre-roll before it
     * ({@link StreamOutput#newTimelineForEvent}). Already active: nothing changes (the same publish goes on).
     */
    public CompletableFuture<Boolean> startForMotion(long motionDtsMs) {
        return start(null, motionDtsMs);
    }

    /**
     * A start while a stop is still unpublishing waits for it and then starts afresh (a motion right after the
     * post-roll ran out, a start command right after a stop), unless another stop comes meanwhile; a motion's
     * pre-roll is fixed (and its GOPs kept) at once, not after the wait.
     */
    private CompletableFuture<Boolean> start(QualityPreset preset, long motionDtsMs) {
        return CompletableFuture.supplyAsync(() -> {
            if (state() == SessionState.STOPPING && stopped != null) {
                int stopsBefore = stopsRequested;
                if (motionDtsMs != NO_EVENT) {
                    output.newTimelineForEvent(motionDtsMs); // protects the pre-roll's GOPs while the stop ends
                }
                return stopped.thenCompose(v -> stopsRequested == stopsBefore ? start(preset, motionDtsMs)
                        : CompletableFuture.completedFuture(false));
            }
            if (preset != null) {
                quality.setPreset(preset);
            }
            boolean probing = state().isActive() && retries.exhausted() && publisher == null;
            if (state().isActive() && !probing) {
                if (preset != null) {
                    encoder.askWhole();
                }
                return CompletableFuture.completedFuture(false);
            }
            if (probing) { // a probe's endpoint request or connect is under way: begin afresh, with a whole budget
                machine.move(SessionState.RECONNECTING, "start while probing");
            }
            answers.newRun();
            timers.cancelAll(); // a probe planned after the retries were exhausted
            nextRetryAtEpochMs = 0;
            move.abandon();
            retries.restart();
            lastFailure = null;
            metrics.reset();
            if (motionDtsMs == NO_EVENT) {
                output.newTimeline();
            } else {
                output.newTimelineForEvent(motionDtsMs);
            }
            quality.started();
            encoder.askWhole();
            attempt();
            return CompletableFuture.completedFuture(true);
        }, control).thenCompose(f -> f);
    }

    /**
     * Stops the stream: AVC end of sequence, FCUnpublish, deleteStream, close; then stream_stopped.
     *
     * @return completes (on the control thread) when the session is idle again; true if it was active
     */
    public CompletableFuture<Boolean> stop() {
        return CompletableFuture.supplyAsync(() -> {
            stopsRequested++;
            if (state() == SessionState.STOPPING && stopped != null) {
                output.endOfSequence(); // releases a waiting start's pre-roll protection; nothing is published
                return stopped; // a start waiting for this stop is called off (stopsRequested)
            }
            if (state() == SessionState.ERROR) {
                answers.newRun(); // a probe under way is called off
                timers.cancelAll();
                nextRetryAtEpochMs = 0;
                machine.move(SessionState.IDLE, "stop after error");
                return CompletableFuture.completedFuture(true);
            }
            if (!state().isActive()) {
                return CompletableFuture.completedFuture(false);
            }
            answers.newRun();
            timers.cancelAll();
            quality.stopped();
            machine.move(SessionState.STOPPING, "stop requested");
            output.endOfSequence();
            move.abandon();
            RtmpPublisher closing = publisher;
            publisher = null;
            CompletableFuture<Void> done = closing == null ? CompletableFuture.completedFuture(null)
                    : closing.unpublish().orTimeout(UNPUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            stopped = done.handleAsync((v, err) -> {
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
            return stopped;
        }, control).thenCompose(f -> f);
    }

    /** The stream's codec: the connected camera's, else the one its frames last had, else H.264 (control thread). */
    VideoCodec codec() {
        CameraControl camera = encoder.camera();
        if (camera != CameraControl.OFFLINE) {
            return camera.codec();
        }
        VideoCodec seen = output.codec();
        return seen != null ? seen : VideoCodec.H264;
    }

    private void attempt() {
        if (endpoints.asksCloud()) {
            machine.move(SessionState.REQUESTING_ENDPOINT, "asking the cloud for an endpoint");
        }
        SessionFailure failed = lastFailure;
        CompletableFuture<Endpoint> asked = endpoints.resolve(quality(), encoder.supportsAdaptive(),
                failed == null ? null : failed.report());
        answers.onControl(asked).whenComplete((resolved, cause) -> {
            if (cause instanceof EndpointUnavailableException e) {
                fail(e.errorCode(), e.getMessage(), null,
                        e.retryable() ? RetryPolicy.RETRY_NOW : RetryPolicy.DO_NOT_RETRY, false);
            } else if (cause != null) {
                fail("ENDPOINT_ERROR", String.valueOf(cause.getMessage()), null, RetryPolicy.RETRY_NOW, false);
            } else {
                useEndpoint(resolved);
                connect(resolved.publishUrls().get(retries.urlIndex(resolved.publishUrls().size())));
            }
        });
    }

    private void connect(String url) {
        machine.move(SessionState.CONNECTING, "publishing to " + Secrets.maskUrl(url));
        answers.onControl(publishers.publish(url, codec(), camera().eventLoop())).whenComplete((p, cause) -> {
            if (cause instanceof RtmpException e) {
                fail(e.code().name(), e.getMessage(), url, e.policy(), false);
            } else if (cause != null) {
                fail("RTMP_CONNECT_FAILED", String.valueOf(cause.getMessage()), url, RetryPolicy.RETRY_NOW, false);
            } else {
                onPublishing(p, url);
            }
        });
    }

    private void onPublishing(RtmpPublisher p, String url) {
        publisher = p;
        publishDelivered = false;
        publishUrl = url;
        output.attach(p);
        machine.move(SessionState.STREAMING, "NetStream.Publish.Start");
        listener.streamStarted(this, url);
        timers.uplinkEvery(QualityControl.TICK_MS, () -> {
            StreamOutput.Uplink uplink = output.uplink();
            encoder.onUplink(uplink);
            endOutageOnceKeyframeSent(uplink.state());
        });
        watch(p, url);
        refresh.schedule(endpoint.expiresAtEpochSec());
        timers.stableAfter(settings.stablePeriodMs(), () -> {
            if (publisher != null && state() == SessionState.STREAMING && retries.backingOff()) {
                log.info("event=stream_stable device_id={} stream_name={} backoff_rounds={}", deviceId(),
                        streamName(), retries.backoffRounds());
                retries.stable();
                lastFailure = null;
            }
        });
    }

    /**
     * Ends the outage (the retry budget is whole again, {@link RetryPlanner#outageOver()}) once the publish has sent a
     * keyframe: the output is LIVE (or beyond), which only a keyframe taken by the connection leads to.
     */
    private void endOutageOnceKeyframeSent(OutputState state) {
        if (publisher == null || !sentKeyframe(state)) {
            return;
        }
        publishDelivered = true;
        if (retries.inOutage()) {
            log.info("event=outage_over device_id={} stream_name={} failed_rounds={}", deviceId(), streamName(),
                    retries.attempts());
            retries.outageOver();
        }
    }

    /**
     * True in the output states that only a keyframe taken by the connection leads to: LIVE and what follows it
     * (CATCHING_UP is left out: its burst from the GOP buffer may still sit in the write queue).
     */
    private static boolean sentKeyframe(OutputState state) {
        return state == OutputState.LIVE || state == OutputState.HANDOVER_PENDING
                || state == OutputState.DROPPING_TO_KEYFRAME;
    }

    /** Reacts to the end of publisher {@code p} while it is the session's, and to its reconnect request. */
    private void watch(RtmpPublisher p, String url) {
        answers.onControl(p.closed()).thenAccept(cause -> {
            if (publisher != p) {
                return;
            }
            boolean delivered = publishDelivered || sentKeyframe(output.state());
            if (delivered && retries.inOutage()) { // it broke before the uplink tick saw the keyframe go out
                retries.outageOver();
            }
            publisher = null;
            output.detach();
            String code = cause != null ? cause.code().name() : RtmpErrorCode.RTMP_CONNECTION_CLOSED.name();
            String message = cause != null ? cause.getMessage() : "connection closed";
            // a publish that broke before any keyframe went out counts as a failed try of its URL
            fail(code, message, url, cause != null ? cause.policy() : RetryPolicy.RETRY_NOW, delivered);
        });
        answers.onControl(p.reconnectRequested()).thenAccept(request -> {
            if (publisher == p) {
                move.onReconnectRequest(url, request);
            }
        });
    }

    /**
     * A try failed or a live publish broke: plan the next try (or give up) and report connection_error.
     *
     * @param url     the publish URL at fault, reported with the next endpoint request; null for endpoint errors
     * @param wasLive true when a streaming publish broke after sending a keyframe
     */
    private void fail(String errorCode, String message, String url, RetryPolicy policy, boolean wasLive) {
        timers.cancelAll();
        lastFailure = new SessionFailure(errorCode, message, url);
        int urlCount = endpoint == null ? 1 : endpoint.publishUrls().size();
        boolean wasExhausted = retries.exhausted();
        RetryPlanner.Decision next = retries.onFailure(policy, wasLive, urlCount);
        errors.record(errorCode, !next.givesUp());
        log.warn("event=connection_error device_id={} stream_name={} error_code={} retry_policy={} attempt={}"
                        + " next_retry_ms={} next_url_index={} error=\"{}\"", deviceId(), streamName(), errorCode,
                policy, next.attempt(), Math.max(0, next.delayMs()), next.urlIndex(), message);
        if (next.givesUp()) {
            nextRetryAtEpochMs = 0;
            machine.move(SessionState.ERROR, errorCode);
            listener.connectionError(this, errorCode, message, next.attempt(), 0);
            return;
        }
        nextRetryAtEpochMs = System.currentTimeMillis() + next.delayMs();
        if (next.exhausted()) {
            if (!wasExhausted) { // once per outage, not per probe
                log.warn("event=retries_exhausted device_id={} stream_name={} failed_rounds={} probe_every_ms={}",
                        deviceId(), streamName(), next.attempt(), next.delayMs());
            }
            machine.move(SessionState.ERROR, errorCode);
        } else {
            machine.move(SessionState.RECONNECTING, errorCode);
        }
        listener.connectionError(this, errorCode, message, next.attempt(), Math.max(1, (next.delayMs() + 999) / 1000));
        timers.retryAfter(next.delayMs(), this::attempt);
    }

    /** The publisher carrying the stream, or null (control thread). */
    RtmpPublisher publisher() {
        return publisher;
    }

    /** {@link PublishMove} handed the stream over: {@code next} on {@code url} now carries it (control thread). */
    void adopt(RtmpPublisher next, String url) {
        publisher = next;
        publishDelivered = true; // the switch happens at a keyframe
        publishUrl = url;
        watch(next, url);
    }

    /** Publishes to {@code next} from now on (resolved or refreshed), within its caps (control thread). */
    void useEndpoint(Endpoint next) {
        endpoint = next;
        quality.setEndpointCaps(next.maxBitrateBps(), next.recommendedFps());
    }
}
