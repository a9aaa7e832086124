package io.edgepush.agent.stream;

import io.edgepush.protocol.flv.FlvFileWriter;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's way out, the same for a camera stream ({@code agent run}) and a file ({@code agent push}):
 * access units in, FLV tags to the RTMP publish in use. The data path reads one way: source -> {@link AccessUnit}
 * -> this output -> {@link FlvPublish} (FlvVideoMuxer -> silent audio track -> RtmpTagSink) -> RtmpPublisher ->
 * socket; nothing below calls back up.
 *
 * <p>Its state is one {@link OutputState}, changed only by {@link #move}, which refuses a move the table does not
 * allow and logs every move ({@code event=output_state}).
 * <ul>
 *   <li>Every access unit offered goes into the {@link GopBuffer} (after being written, if it is). A publish
 *       attached with {@link #attach} starts at once from the buffered keyframe (onMetaData, sequence header, then
 *       the buffered GOP with its original relative timestamps); only when nothing usable is buffered does it ask
 *       the camera for an IDR and wait ({@code AWAITING_KEYFRAME}).</li>
 *   <li>With frame dropping on, the dropper looks at the media time on its way to the server ({@link
 *       #backlog()}) before every frame it would send live: above half the target latency a non-reference picture
 *       (one no other picture predicts from) is dropped, which leaves decoding intact; above the target latency,
 *       or with the connection's write queue full, every frame up to the next keyframe is dropped
 *       ({@code DROPPING_TO_KEYFRAME}) and the camera is asked for an IDR at once (with the write queue full, once
 *       it drains); dropping goes on until the backlog is back under half the target latency, and the keyframe
 *       then (asked for again if one came sooner and was dropped; for H.265 not a CRA, whose RASL pictures may
 *       refer to dropped ones) resumes decoding ({@link UplinkDropper}). A sequence header is never dropped (it
 *       goes out with every keyframe written), nor the keyframe that resumes decoding. Every drop is counted with
 *       its {@link OutputCounters.DropReason}.</li>
 *   <li>{@link #handOver} moves the stream to another publish at the next keyframe (the camera is asked for one):
 *       the new connection gets onMetaData, the sequence header and that keyframe, and timestamps go on.</li>
 *   <li>Timestamps come from the {@link Timeline}: a start begins at 0, and the stream never goes back in time
 *       across publishes and camera returns.</li>
 * </ul>
 *
 * <p>Threading: every method is synchronized; frames come from one source thread, the rest from the owner's
 * control thread. The keyframe request must not block. {@link #backlog()} reads from any thread. The pieces it owns
 * ({@link FlvPublish}, {@link GopBuffer}, {@link StartPoint}, {@link Timeline}, {@link UplinkDropper},
 * {@link PendingHandover}) are called only under its lock; none of them changes the state.
 */
public final class StreamOutput implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamOutput.class);

    /**
     * What waits between the source and the socket.
     *
     * @param ms    media time queued in the RTMP connection, milliseconds
     * @param bytes bytes queued in the RTMP connection
     */
    public record Backlog(long ms, long bytes) {
        /** Nothing queued. */
        public static final Backlog NONE = new Backlog(0, 0);
    }

    private final OutputSettings settings;
    private final Runnable keyframeRequest;
    private final LongSupplier clockMs;
    private final FlvPublish flv;
    private final GopBuffer gop;
    private final StartPoint start;
    private final Timeline timeline;
    private final UplinkDropper dropper;
    private final PendingHandover pending = new PendingHandover();
    private final FrameLedger ledger;
    /** Frames written by the start burst under way ({@link #attach}). */
    private int burstFrames;
    private OutputState state = OutputState.NOT_PUBLISHING;
    private boolean keyframeRequested;

    /**
     * @param counters        where sent, dropped and bytes are counted
     * @param keyframeRequest asks the source for an IDR (must not block; a file source ignores it)
     * @param clockMs         monotonic milliseconds, for the time away after a source restart
     * @param recording       BORROWED local .flv file that also gets every tag ({@code push --record}), or null
     */
    public StreamOutput(OutputSettings settings, OutputCounters counters, Runnable keyframeRequest,
                        LongSupplier clockMs, FlvFileWriter recording) {
        this.settings = settings;
        this.keyframeRequest = keyframeRequest;
        this.clockMs = clockMs;
        this.flv = new FlvPublish(settings, counters, recording);
        this.ledger = new FrameLedger(counters);
        this.gop = new GopBuffer(settings.gopBufferBytes(), settings.gopBufferMs(),
                settings.preRollMs() > 0 ? settings.preRollMs() + OutputSettings.PRE_ROLL_MARGIN_MS : 0);
        this.start = new StartPoint(settings, gop);
        this.timeline = new Timeline(Math.round(1000 / Math.max(1, settings.fpsHint())));
        this.dropper = new UplinkDropper(settings);
    }

    /** @return an output with the system's monotonic clock */
    public static StreamOutput create(OutputSettings settings, OutputCounters counters, Runnable keyframeRequest) {
        return new StreamOutput(settings, counters, keyframeRequest, StreamOutput::monotonicMs, null);
    }

    /** Milliseconds of the JVM's monotonic clock. */
    public static long monotonicMs() {
        return System.nanoTime() / 1_000_000;
    }

    /** The current state. */
    public synchronized OutputState state() {
        return state;
    }

    /** The codec of the access units offered last, or null before any. */
    public synchronized VideoCodec codec() {
        return flv.codec();
    }

    /** Media time and bytes on their way to the server (the frames are written as they arrive). */
    public Backlog backlog() {
        return new Backlog(flv.backlogMs(), flv.backlogBytes());
    }

    /**
     * A reading of the uplink for the bitrate controller.
     *
     * @param backlogMs      media time on its way to the server, milliseconds
     * @param deliveredBytes RTMP bytes counted as arrived, over every publish so far (a running count)
     * @param state          the output's state when read
     */
    public record Uplink(long backlogMs, long deliveredBytes, OutputState state) {
    }

    /** Reads the uplink (any thread). */
    public Uplink uplink() {
        OutputState s;
        synchronized (this) {
            s = state;
        }
        return new Uplink(flv.backlogMs(), flv.bytesDelivered(), s);
    }

    /** The last timestamp written on this timeline, milliseconds (0 before any). */
    public synchronized int lastTimestampMs() {
        return timeline.lastMs();
    }

    /**
     * One access unit from the source, in decoding order. TAKES OWNERSHIP: it is written (if a publish is live)
     * and then kept in the GOP buffer, which releases it when it falls out.
     */
    public synchronized void offer(AccessUnit au) {
        if (state == OutputState.CLOSED) {
            au.release();
            return;
        }
        ledger.received();
        try {
            if (au.codec() != flv.codec()) {
                switchCodec(au.codec());
            }
            route(au);
            if (state.publishing()) {
                ledger.allSettled(); // written or dropped
            }
        } finally {
            gop.add(au);
            ledger.reconcile(gop.size());
        }
    }

    private void route(AccessUnit au) {
        if (!state.publishing()) {
            flv.observe(au);
            return;
        }
        if (au.keyframe() && pending.waiting()) {
            switchToPending();
        }
        if (state == OutputState.AWAITING_KEYFRAME) {
            if (!au.keyframe()) {
                flv.drop(au, OutputCounters.DropReason.WAITING_FOR_KEYFRAME);
                requestKeyframeOnce();
                return;
            }
            move(OutputState.LIVE, "keyframe");
        }
        sendOrDrop(au);
    }

    /**
     * CATCHING_UP, LIVE, HANDOVER_PENDING or DROPPING_TO_KEYFRAME: write unless the uplink is behind (never while
     * catching up: the connection is full of the buffered burst, not behind).
     */
    private void sendOrDrop(AccessUnit au) {
        RtmpPublisher p = flv.publisher();
        boolean writable = p != null && p.isWritable();
        if (state == OutputState.CATCHING_UP) {
            if (writable) { // a handover asked for while catching up still waits for its keyframe
                move(pending.waiting() ? OutputState.HANDOVER_PENDING : OutputState.LIVE,
                        "the connection took the buffered burst");
            }
            write(au);
            return;
        }
        if (!settings.frameDropping()) {
            write(au);
            return;
        }
        long backlogMs = flv.backlogMs();
        switch (dropper.judge(state == OutputState.DROPPING_TO_KEYFRAME, au, writable, backlogMs)) {
            case SEND -> write(au);
            case RESUME -> {
                move(OutputState.LIVE, "keyframe resumes decoding");
                write(au);
            }
            case DROP_NON_REFERENCE -> flv.drop(au, OutputCounters.DropReason.UPLINK_NON_REFERENCE);
            case START_DROPPING -> {
                move(OutputState.DROPPING_TO_KEYFRAME, writable ? "backlog " + backlogMs
                        + " ms above the target latency" : "uplink write queue full");
                keyframeRequested = false;
                if (writable) {
                    requestKeyframeOnce();
                }
                flv.drop(au, OutputCounters.DropReason.UPLINK);
            }
            case KEEP_DROPPING -> {
                if (au.keyframe()) {
                    keyframeRequested = false; // too soon (or a CRA): ask again once the uplink has drained
                } else if (dropper.drained(writable, backlogMs)) {
                    requestKeyframeOnce(); // the next keyframe resumes
                }
                flv.drop(au, OutputCounters.DropReason.UPLINK);
            }
        }
    }

    private void requestKeyframeOnce() {
        if (!keyframeRequested) {
            keyframeRequested = true;
            keyframeRequest.run();
        }
    }

    /**
     * Starts a new timeline (a start): the next frame written gets timestamp 0, and the stream will begin at the
     * latest buffered keyframe (with a pre-roll, at the oldest buffered keyframe within the pre-roll before the
     * newest frame); every frame from there on is kept until a publish takes it.
     */
    public synchronized void newTimeline() {
        newTimeline(0);
    }

    /**
     * Starts a new timeline for a motion at source decode time {@code eventDtsMs} (the camera's clock, as the access
     * units' decode times): the stream will begin with the buffered whole GOPs from up to the output's pre-roll
     * before it ({@link GopBuffer#preRollStartDtsMs}), sent as fast as the connection takes them with their original
     * relative timestamps, and everything from there on is kept until a publish takes it (within the buffer's byte
     * and time bounds). An event time far from the newest frame (another clock) counts as the newest frame's.
     */
    public synchronized void newTimelineForEvent(long eventDtsMs) {
        timeline.restart(0);
        start.newTimelineForEvent(eventDtsMs);
        ledger.restartCounting(gop.size(), gop.countFrom(start.dueFromDtsMs()));
    }

    /**
     * For the first publish of a timeline started by {@link #newTimelineForEvent}: how much of the video sent comes
     * from before the motion, milliseconds of source time (motion minus the first frame written; 0 when the first
     * frame came after it); -1 for another start, a later publish of the timeline (a reconnect), before the first
     * frame, or after the source restarted.
     */
    public synchronized long preRollSentMs() {
        return start.preRollSentMs();
    }

    /**
     * Starts a new timeline whose first frame gets {@code firstTimestampMs} (unsigned 32 bit; a test seam for the
     * extended-timestamp and wrap boundaries).
     */
    public synchronized void newTimeline(int firstTimestampMs) {
        timeline.restart(firstTimestampMs);
        start.newTimeline();
        ledger.restartCounting(gop.size(), gop.countFrom(start.dueFromDtsMs()));
    }

    /**
     * Publishes the stream on {@code publisher} (NetStream.Publish.Start seen), replacing any other: output
     * restarts with onMetaData and the sequence header before a keyframe, from the buffered keyframe when there is
     * one (no IDR request), else from the camera's next one (asked for at once). It resumes where the stream is
     * due: at a start from the latest keyframe buffered then (the whole pre-roll, with one), after a broken publish
     * from the GOP holding the first frame not yet sent, so frames that came while no publish was up are not lost.
     */
    public synchronized void attach(RtmpPublisher publisher) {
        if (state == OutputState.CLOSED) {
            return;
        }
        pending.cancel("a new publish was attached");
        if (state.publishing()) {
            move(OutputState.NOT_PUBLISHING, "replaced by a new publish");
        }
        start.attached(!timeline.written());
        flv.use(publisher);
        restartOutput();
        if (gop.hasKeyframe()) {
            move(OutputState.CATCHING_UP, "publish attached, starting from the buffered keyframe");
            burstFrames = 0;
            gop.forEachFrom(start.dueFromDtsMs(), this::writeBurstFrame);
            ledger.burst(burstFrames, gop.size());
            start.nothingWaits();
        } else {
            ledger.burst(0, gop.size());
            move(OutputState.AWAITING_KEYFRAME, "publish attached, nothing buffered: IDR requested");
            keyframeRequested = true;
            keyframeRequest.run();
        }
    }

    /** The publish ended (it broke, or the owner stops it without end of sequence): frames only fill the buffer. */
    public synchronized void detach() {
        pending.cancel("the publish ended");
        flv.use(null);
        start.detached();
        if (state.publishing()) {
            move(OutputState.NOT_PUBLISHING, "publish detached");
        }
    }

    /**
     * Moves the stream to {@code next} at the next keyframe (a server's reconnect request, an endpoint refresh)
     * and asks the camera for one. From LIVE the output is HANDOVER_PENDING until then; while it awaits a keyframe
     * or drops up to one, the pending publish simply takes the next keyframe. A later call replaces a pending
     * handover (the earlier future is cancelled).
     *
     * @return completes, on the source thread at the switch, with the publisher that carried the stream until
     *     then (the caller unpublishes it); fails with {@link CancellationException} when the handover is abandoned
     *     ({@link #cancelHandover}, {@link #detach}, {@link #attach}, stop, close) or nothing is being published
     */
    public synchronized CompletableFuture<RtmpPublisher> handOver(RtmpPublisher next) {
        if (!state.publishing()) {
            return CompletableFuture.failedFuture(new CancellationException("not publishing"));
        }
        CompletableFuture<RtmpPublisher> result = pending.await(next);
        if (state == OutputState.LIVE) {
            move(OutputState.HANDOVER_PENDING, "handover to a new publish requested");
        }
        keyframeRequest.run();
        return result;
    }

    /** Abandons a pending handover to {@code next} (its publish failed or the owner gave up on it). */
    public synchronized void cancelHandover(RtmpPublisher next) {
        if (pending.waitingFor(next)) {
            pending.cancel("handover cancelled");
            if (state == OutputState.HANDOVER_PENDING) {
                move(OutputState.LIVE, "handover cancelled");
            }
        }
    }

    /**
     * The source (re)attached: its clock may have restarted and its next frames may depend on pictures never
     * received, so the buffer is emptied, a live publish waits for a keyframe, and the timeline continues after
     * the time away.
     */
    public synchronized void sourceRestarted() {
        if (state == OutputState.CLOSED) {
            return;
        }
        gop.clear();
        ledger.reconcile(0);
        timeline.sourceRestarted();
        start.sourceRestarted();
        keyframeRequested = false;
        if (state.publishing() && state != OutputState.AWAITING_KEYFRAME) {
            move(OutputState.AWAITING_KEYFRAME, "source restarted");
        }
    }

    /**
     * Ends the publish in use: the codec's end-of-sequence tag (and the end of the silent audio run), then no
     * publish is attached. The caller unpublishes the publisher.
     */
    public synchronized void endOfSequence() {
        if (state == OutputState.CLOSED) {
            return;
        }
        pending.cancel("stream ending");
        if (state.publishing() && timeline.written()) {
            int endMs = timeline.lastMs();
            flv.endOfSequence(endMs, (int) (endMs + timeline.frameIntervalMs()));
        }
        flv.use(null);
        start.nothingWaits();
        if (state.publishing()) {
            move(OutputState.NOT_PUBLISHING, "end of sequence");
        }
    }

    /** Releases everything held; frames are released on arrival from now on. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == OutputState.CLOSED) {
            return;
        }
        pending.cancel("output closed");
        flv.use(null);
        move(OutputState.CLOSED, "closed");
        gop.clear();
        ledger.reconcile(0);
        flv.close();
    }

    /**
     * Reads the counters together with the frames still buffered (received while no publish took them, not yet sent
     * nor dropped), under the output's lock, so that frames received = sent - re-sent + dropped + still buffered
     * holds in what {@code read} returns ({@link FrameLedger}).
     */
    public synchronized <T> T readLedger(java.util.function.IntFunction<T> read) {
        return read.apply(ledger.unsettled(gop.size()));
    }

    /** Buffered access units (for tests and status). */
    synchronized int bufferedFrames() {
        return gop.size();
    }

    private void switchToPending() {
        RtmpPublisher previous = flv.publisher();
        RtmpPublisher next = pending.next();
        CompletableFuture<RtmpPublisher> done = pending.take();
        flv.use(next);
        restartOutput();
        move(OutputState.LIVE, "handed over at a keyframe");
        log.info("event=publisher_handover device_id={} stream_name={} timestamp_ms={}", settings.deviceId(),
                settings.streamName(), timeline.lastMs());
        done.complete(previous);
    }

    /** The next keyframe starts a new output: onMetaData, sequence header(s), a new audio run. */
    private void restartOutput() {
        flv.restart();
        keyframeRequested = false;
    }

    private void switchCodec(VideoCodec next) {
        if (flv.codec() != null) {
            log.info("event=codec_changed device_id={} stream_name={} from={} to={}", settings.deviceId(),
                    settings.streamName(), flv.codec(), next);
        }
        flv.useCodec(next);
        if (state.publishing() && state != OutputState.AWAITING_KEYFRAME) {
            move(OutputState.AWAITING_KEYFRAME, "codec changed");
        }
    }

    private void writeBurstFrame(AccessUnit au) {
        burstFrames++;
        write(au);
    }

    /** Writes one access unit (borrowed) at its place on the timeline (counted by {@link FlvPublish#write}). */
    private void write(AccessUnit au) {
        if (flv.write(au, timeline.next(au.dtsMs(), clockMs.getAsLong()))) {
            start.written(au.dtsMs());
        }
    }

    /** The one transition function: refuses illegal moves, logs every move. */
    private void move(OutputState to, String reason) {
        OutputState from = state;
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("stream output " + settings.deviceId() + "/" + settings.streamName()
                    + ": illegal move " + from + " -> " + to + " (" + reason + ")");
        }
        state = to;
        log.info("event=output_state device_id={} stream_name={} from={} to={} reason=\"{}\"", settings.deviceId(),
                settings.streamName(), from.label(), to.label(), reason);
    }
}
