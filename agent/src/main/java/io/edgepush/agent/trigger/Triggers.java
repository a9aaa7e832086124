package io.edgepush.agent.trigger;

import io.edgepush.agent.config.AgentConfig.MotionSource;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.config.AgentConfig.Trigger;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.StreamTrigger.Action;
import io.edgepush.agent.trigger.StreamTrigger.Input;
import io.edgepush.protocol.media.AccessUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the gateway's stream sessions from their triggers (DESIGN.md section 4; the rules are
 * {@link StreamTrigger}'s): camera HELLOs ({@code always_on}, and {@code scheduled} inside a window), the camera's
 * motion EVENTs or the {@link BitstreamMotionDetector} ({@code motion_based}, with pre-roll and post-roll), weekly
 * windows ({@code scheduled}, timers on the injected clock; a gateway that boots inside a window starts at once), and
 * the commands: MQTT {@code start}/{@code stop} for every trigger, the local HTTP POST start/stop for {@code manual}
 * streams ({@link #manual}).
 *
 * <p>Threads: every decision runs on the agent's control thread (the session's own), so the per-stream trigger state
 * needs no lock; camera events and detector findings are handed to it. {@link MotionTap#onAccessUnit} runs on the
 * camera's I/O thread and allocates nothing per frame.
 */
public final class Triggers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Triggers.class);
    /** Longest wait between two looks at a schedule, milliseconds. */
    static final long SCHEDULE_RECHECK_MS = 60_000;

    /** Told about motion, for the status events {@code motion_detected} and {@code motion_ended}. */
    public interface Listener {
        /**
         * Motion began (also during a post-roll, which it cancels).
         *
         * @param source      {@code camera} (an EVENT) or {@code bitstream} (the detector)
         * @param preRollSec  how much video before the motion the stream sends first, seconds (0 when the stream was
         *                    already on air)
         */
        void motionDetected(StreamSession session, String source, int preRollSec);

        /**
         * Motion ended (once per motion; a camera that goes away ends its motion).
         *
         * @param stopsInSec seconds until the stream stops unless motion comes back (the post-roll); -1 when it does
         *                   not stop by itself (held on by a start command); 0 when it is not on air (stopped by a
         *                   command during the motion)
         */
        void motionEnded(StreamSession session, String source, int stopsInSec);
    }

    /**
     * What a HTTP POST start/stop did ({@link #manual}).
     *
     * @param trigger the stream's trigger wire name ({@code manual}, ...), null for an unknown stream
     * @param state   the session's state label ({@code idle}, {@code streaming}, ...) when nothing was done, else
     *                null (the start or stop is under way)
     */
    public record ManualAnswer(ManualOutcome outcome, String trigger, String state) {
    }

    /** The outcomes of a HTTP POST start/stop. */
    public enum ManualOutcome {
        /** The stream was started (or stopped). */
        DONE,
        /** No such device_id / stream_name. */
        UNKNOWN_STREAM,
        /** The stream's trigger is not {@code manual}. */
        NOT_MANUAL,
        /**
         * A start for a stream already on its way (or while the agent shuts down), or a stop for one that is neither
         * on its way, nor in error, nor about to start again.
         */
        ALREADY
    }

    private final SessionRegistry sessions;
    private final ScheduledExecutorService control;
    private final Clock clock;
    private final Listener listener;
    private final long postRollMs;
    private final int preRollSec;
    private final Map<StreamSession, Stream> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One session's trigger, schedule, detector and timers (timers and state on the control thread only). */
    private final class Stream {
        final StreamSession session;
        final StreamConfig config;
        final StreamTrigger trigger;
        final WeeklySchedule schedule;
        final MotionTap tap;
        volatile ScheduledFuture<?> postRoll;
        volatile ScheduledFuture<?> windowTimer;
        /** motion_based: between a motion start and its end (for motion_ended, once per motion). */
        boolean inMotion;
        /** Whether the schedule was open at the last look; null before the first. */
        Boolean windowOpen;

        Stream(StreamSession session, StreamConfig config) {
            this.session = session;
            this.config = config;
            this.trigger = new StreamTrigger(config.trigger());
            this.schedule = config.trigger() == Trigger.SCHEDULED ? new WeeklySchedule(config.schedule()) : null;
            this.tap = config.motion() == MotionSource.BITSTREAM ? new MotionTap(Triggers.this, this) : null;
        }
    }

    /**
     * @param postRollSec {@code streaming.post_roll_sec}
     * @param preRollSec  {@code streaming.pre_roll_sec} (for the motion_detected event; the session's output applies it)
     * @param clock       the wall clock schedules are read on (injectable for tests)
     */
    public Triggers(SessionRegistry sessions, ScheduledExecutorService control, Clock clock, Listener listener,
                    int preRollSec, int postRollSec) {
        this.sessions = sessions;
        this.control = control;
        this.clock = clock;
        this.listener = listener;
        this.preRollSec = preRollSec;
        this.postRollMs = postRollSec * 1000L;
    }

    /** Arms the schedules of the configured streams: one inside its window now starts at once. */
    public void start() {
        post(() -> {
            for (StreamSession s : sessions.all()) {
                Stream stream = stream(s);
                if (stream != null && stream.schedule != null) {
                    armWindow(stream);
                }
            }
        });
    }

    /** The camera {@code deviceId} said HELLO: always_on streams start, scheduled ones inside a window too. */
    public void cameraConnected(String deviceId) {
        post(() -> forDevice(deviceId, null, Input.CAMERA_CONNECTED, Long.MIN_VALUE));
    }

    /** The camera went away: any motion it reported has ended (its post-roll starts). */
    public void cameraDisconnected(String deviceId) {
        post(() -> forDevice(deviceId, MotionSource.BITSTREAM, Input.MOTION_END, Long.MIN_VALUE));
        post(() -> forDevice(deviceId, MotionSource.CAMERA, Input.MOTION_END, Long.MIN_VALUE));
    }

    /**
     * A camera motion EVENT (PROTOCOL.md EVENT MOTION_START / MOTION_END), for the camera's {@code motion_based}
     * streams whose motion source is {@code camera} (motion is a property of the scene, so all of them).
     *
     * @param eventDtsMs the event's camera time in milliseconds (the clock of the access units' decode times)
     */
    public void cameraMotion(String deviceId, boolean started, long eventDtsMs) {
        post(() -> forDevice(deviceId, MotionSource.CAMERA, started ? Input.MOTION_START : Input.MOTION_END,
                eventDtsMs));
    }

    /**
     * The bitstream motion detector of {@code session}'s stream, or null when its motion source is not
     * {@code bitstream}. The caller hands it every access unit before the session takes it, and calls
     * {@link MotionTap#reset()} when the camera (re)connects.
     */
    public MotionTap tap(StreamSession session) {
        Stream s = stream(session);
        return s == null ? null : s.tap;
    }

    /**
     * An MQTT {@code start} or {@code stop} command (DESIGN.md section 3) for any trigger: a start holds the stream
     * on until a stop; a stop holds it off until its trigger next fires by itself.
     *
     * @param preset the start command's quality, or null
     * @return as {@link StreamSession#start(QualityPreset)} / {@link StreamSession#stop()}
     */
    public CompletableFuture<Boolean> command(StreamSession session, boolean start, QualityPreset preset) {
        return CompletableFuture.supplyAsync(() -> {
            Stream s = stream(session);
            if (closed && start) {
                return CompletableFuture.completedFuture(false); // the agent is shutting down
            }
            if (s == null) {
                return start ? session.start(preset) : session.stop();
            }
            return apply(s, s.trigger.on(start ? Input.COMMAND_START : Input.COMMAND_STOP), Long.MIN_VALUE, preset);
        }, control).thenCompose(f -> f);
    }

    /**
     * The local HTTP POST {@code /streams/{device_id}/{stream_name}/start} or {@code /stop} (DESIGN.md 6b): only for
     * {@code manual} streams; a start for a stream already on its way (or a stop for one that is not) does nothing.
     *
     * @return completes on the control thread once the start or stop is under way
     */
    public CompletableFuture<ManualAnswer> manual(String deviceId, String streamName, boolean start) {
        StreamSession session = sessions.find(deviceId, streamName).orElse(null);
        if (session == null) {
            return CompletableFuture.completedFuture(new ManualAnswer(ManualOutcome.UNKNOWN_STREAM, null, null));
        }
        return CompletableFuture.supplyAsync(() -> {
            Stream s = stream(session);
            String trigger = s == null ? null : s.config.trigger().wireName();
            if (s == null || s.config.trigger() != Trigger.MANUAL) {
                return new ManualAnswer(ManualOutcome.NOT_MANUAL, trigger, session.state().label());
            }
            SessionState state = session.state();
            boolean applies = start ? !state.isActive() && !closed
                    : state.isActive() || state == SessionState.ERROR || s.trigger.state().wantsStream();
            if (!applies) {
                return new ManualAnswer(ManualOutcome.ALREADY, trigger, state.label());
            }
            apply(s, s.trigger.on(start ? Input.COMMAND_START : Input.COMMAND_STOP), Long.MIN_VALUE, null);
            return new ManualAnswer(ManualOutcome.DONE, trigger, null); // the start or stop runs next on this thread
        }, control);
    }

    /**
     * The camera's encoder of {@code session} was asked for another bitrate, fps or resolution (the adaptive bitrate
     * controller, a preset): its bitstream motion detector, if any, re-baselines instead of seeing motion. Any thread.
     */
    public void encoderChanged(StreamSession session) {
        MotionTap tap = tap(session);
        if (tap != null) {
            tap.encoderChanged();
        }
    }

    /**
     * A stream's trigger for status: {@code trigger} its wire name ({@code manual}, ...), {@code state} where it
     * stands ({@code idle}, {@code on}, {@code post_roll}, {@code held_on}, {@code held_off}), {@code wantsStream}
     * true when the trigger wants the stream on air ({@code on}, {@code post_roll}, {@code held_on}; {@code /health}).
     */
    public record Reading(String trigger, String state, boolean wantsStream) {
    }

    /** The trigger of {@code session} and where it stands (any thread), or null for a session this agent does not know. */
    public Reading reading(StreamSession session) {
        Stream s = stream(session);
        if (s == null) {
            return null;
        }
        StreamTrigger.State state = s.trigger.state();
        return new Reading(s.config.trigger().wireName(), state.label(), state.wantsStream());
    }

    /** Cancels every timer; no trigger fires afterwards. */
    @Override
    public void close() {
        closed = true;
        for (Stream s : streams.values()) {
            cancel(s.postRoll);
            cancel(s.windowTimer);
        }
    }

    private Stream stream(StreamSession session) {
        Stream known = streams.get(session);
        if (known != null) {
            return known;
        }
        for (SessionRegistry.Entry e : sessions.forDevice(session.deviceId())) {
            if (e.session() == session) {
                return streams.computeIfAbsent(session, x -> new Stream(session, e.stream()));
            }
        }
        return null;
    }

    /** Feeds {@code input} to the device's streams (with motion source {@code source} when not null). */
    private void forDevice(String deviceId, MotionSource source, Input input, long eventDtsMs) {
        for (SessionRegistry.Entry e : sessions.forDevice(deviceId)) {
            Stream s = stream(e.session());
            if (s == null || (source != null && s.config.motion() != source)) {
                continue;
            }
            feed(s, input, eventDtsMs);
        }
    }

    /** One input for one stream, with its motion events (control thread). */
    private void feed(Stream s, Input input, long eventDtsMs) {
        if (closed) {
            return;
        }
        StreamTrigger.Step step = s.trigger.on(input);
        if (s.config.trigger() == Trigger.MOTION_BASED) {
            String source = s.config.motion().wireName();
            if (input == Input.MOTION_START) {
                s.inMotion = true;
                listener.motionDetected(s.session, source, s.session.state().isActive() ? 0 : preRollSec);
            } else if (input == Input.MOTION_END && s.inMotion) {
                s.inMotion = false;
                listener.motionEnded(s.session, source, switch (step.next()) {
                    case POST_ROLL -> (int) (postRollMs / 1000);
                    case HELD_ON -> -1;
                    default -> 0;
                });
            }
        }
        apply(s, step, eventDtsMs, null);
    }

    /**
     * Carries out a step's action and keeps the post-roll timer in line with the state (control thread).
     *
     * @return the session's start or stop (false at once for no action)
     */
    private CompletableFuture<Boolean> apply(Stream s, StreamTrigger.Step step, long eventDtsMs, QualityPreset preset) {
        if (step.next() == StreamTrigger.State.POST_ROLL && s.postRoll == null) {
            s.postRoll = control.schedule(() -> {
                s.postRoll = null;
                feed(s, Input.POST_ROLL_ELAPSED, Long.MIN_VALUE);
            }, postRollMs, TimeUnit.MILLISECONDS);
        } else if (step.next() != StreamTrigger.State.POST_ROLL && s.postRoll != null) {
            cancel(s.postRoll);
            s.postRoll = null;
        }
        if (step.action() != Action.NONE) {
            log.info("event=trigger device_id={} stream_name={} trigger={} state={} action={}", s.session.deviceId(),
                    s.session.streamName(), s.config.trigger().wireName(), step.next().label(),
                    step.action().name().toLowerCase(java.util.Locale.ROOT));
        }
        return switch (step.action()) {
            case NONE -> CompletableFuture.completedFuture(false);
            case START -> s.session.start(preset);
            case START_WITH_PRE_ROLL -> eventDtsMs == Long.MIN_VALUE ? s.session.start(preset)
                    : s.session.startForMotion(eventDtsMs);
            case STOP -> s.session.stop();
        };
    }

    /**
     * Feeds the schedule's change since the last look (the first look counts as one) and sets a timer for its next
     * change, at most {@value #SCHEDULE_RECHECK_MS} ms away so a wall clock that jumps (NTP setting the clock of a
     * gateway that booted without one) is caught within a minute (control thread).
     */
    private void armWindow(Stream s) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        boolean open = s.schedule.isOpen(now);
        Instant next = s.schedule.nextChange(now);
        if (s.windowOpen == null || open != s.windowOpen) {
            s.windowOpen = open;
            log.info("event=schedule device_id={} stream_name={} window_open={} next_change={} schedule=\"{}\"",
                    s.session.deviceId(), s.session.streamName(), open, next, s.schedule.describe());
            feed(s, open ? Input.WINDOW_OPENED : Input.WINDOW_CLOSED, Long.MIN_VALUE);
        }
        long delayMs = next == null ? SCHEDULE_RECHECK_MS
                : Math.max(1, Math.min(SCHEDULE_RECHECK_MS, Duration.between(now, next).toMillis()));
        s.windowTimer = control.schedule(() -> armWindow(s), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the control thread; nothing once closed (the control thread may be gone). */
    private void post(Runnable task) {
        if (closed) {
            return;
        }
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("trigger input after the control thread stopped: {}", e.toString());
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * The bitstream motion detector of one stream ({@code "motion": {"source": "bitstream"}}): looks at every access
     * unit's size on the camera's I/O thread (no allocation) and hands a finding to the control thread.
     */
    public static final class MotionTap {
        private final Triggers owner;
        private final Triggers.Stream stream;
        private final BitstreamMotionDetector detector = new BitstreamMotionDetector();

        private MotionTap(Triggers owner, Triggers.Stream stream) {
            this.owner = owner;
            this.stream = stream;
        }

        /** Forgets the baseline (the camera (re)connected: its picture may differ). */
        public synchronized void reset() {
            detector.reset();
        }

        /** The encoder was asked for another bitrate, fps or resolution: re-baseline without flagging motion. */
        public synchronized void encoderChanged() {
            detector.encoderChanged();
        }

        /** Looks at one access unit (BORROWED; the caller hands it on afterwards). Camera I/O thread. */
        public void onAccessUnit(AccessUnit au) {
            BitstreamMotionDetector.Change change;
            long onsetDtsMs;
            synchronized (this) {
                change = detector.onAccessUnit(au);
                onsetDtsMs = change == BitstreamMotionDetector.Change.MOTION_STARTED ? detector.motionStartDtsMs()
                        : Long.MIN_VALUE;
            }
            if (change == BitstreamMotionDetector.Change.NONE) {
                return;
            }
            boolean started = change == BitstreamMotionDetector.Change.MOTION_STARTED;
            owner.post(() -> owner.feed(stream, started ? Input.MOTION_START : Input.MOTION_END,
                    started ? onsetDtsMs : Long.MIN_VALUE));
        }
    }
}
