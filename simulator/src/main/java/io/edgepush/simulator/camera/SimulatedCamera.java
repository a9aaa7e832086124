package io.edgepush.simulator.camera;

import io.edgepush.bridge.transport.CameraClient;
import io.edgepush.bridge.transport.CameraClient.ControlAnswer;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera board played from an H.264 or H.265 {@link Clip}: connects to the gateway with the firmware bridge's
 * {@link CameraClient#tcp} (PROTOCOL.md v1) or opens a serial device with {@link CameraClient#serial} (same protocol,
 * optional {@link SerialFaults}), sends HELLO (firmware {@value #FIRMWARE_VERSION}, codec "h264" or "h265" from
 * {@link Clip#codec()}, width and height from the SPS, fps), then one VIDEO frame per access unit (stream id 0,
 * Annex B incl. parameter sets on keyframes, keyframe flag, captureTimeUs = frame index * 1e6 / fps on the camera
 * clock, microseconds since the camera started). A keyframe ("IDR" below) is an IDR access unit for H.264 and an
 * IRAP access unit (BLA, IDR, CRA) for H.265; nothing else depends on the codec.
 *
 * <p>The clip starts at the first connection; frames are paced on an absolute schedule (frame n at start + n / fps,
 * so no drift). The encoder keeps running while disconnected; the camera retries the connection every
 * {@value #RETRY_DELAY_MS} ms, and after each (re)connect the first frame sent is an IDR. With a single clip,
 * FORCE_IDR jumps to the nearest IDR at or after the current position (ACK OK; FAILED if no IDR remains and the clip
 * does not loop); STOP_ENCODER/START_ENCODER pause and resume (resuming at an IDR); other controls are answered
 * UNSUPPORTED, and HELLO declares FORCE_IDR and START/STOP_ENCODER (plus motion events when configured). Each
 * CONTROL is logged (INFO, {@code event=control}) and kept for {@link #controlsReceived()}. When the socket is
 * full, frames are dropped up to the next IDR. Pacing, sending and control handling all run on one Netty event
 * loop (the connection's), so a frame sent after a FORCE_IDR ACK is already the IDR.
 *
 * <p><b>Ladder camera</b> ({@link CameraOptions#ladder}, {@code simulator camera --ladder DIR}): plays a
 * {@link ClipLadder}, clips of one scene at several encoder settings, and honours SET_BITRATE, SET_FPS,
 * SET_RESOLUTION and SET_PRESET (PROTOCOL.md section 3.5) by moving between them, like a real encoder changing its
 * settings at a GOP boundary:
 * <ul>
 *   <li>It starts on the highest rung ({@link Ladder#highest()}); HELLO reports the current rung's width, height,
 *       fps and bitrate_bps (its named target), so a later HELLO (a reconnect; on serial, a gateway HEARTBEAT with
 *       sequence 0) reports the rung after a switch. Capabilities: SET_BITRATE, SET_FPS, SET_RESOLUTION,
 *       SET_PRESET, FORCE_IDR, START/STOP_ENCODER (plus motion events when configured).</li>
 *   <li>It keeps a requested setting ({@link #requested()}, initially the highest rung's). SET_BITRATE, SET_FPS and
 *       SET_RESOLUTION change one field of it, SET_PRESET all four (DESIGN.md section 4); a value out of the
 *       {@link Ladder.Request} ranges, or an unknown preset, is answered INVALID_VALUE (and changes nothing); on
 *       stream_id other than 0, UNSUPPORTED. Otherwise the camera chooses a rung ({@link Ladder#choose}) and
 *       answers OK at once with the ACK's applied_value = the chosen rung's bitrate (bps), fps,
 *       {@code (width << 16) | height}, or the preset code.</li>
 *   <li>It moves to the chosen rung at its next GOP boundary: when the next frame of the current rung is a
 *       keyframe, the camera sends instead the new rung's keyframe at the same scene time (with its parameter sets)
 *       and goes on in the new rung. Each switch is logged ({@code event=rung_switch from=.. to=..}) and counted
 *       ({@link #rungSwitches()}).</li>
 *   <li>The camera keeps a scene position; frames are paced at the current rung's fps on an absolute schedule that
 *       a switch rebases at the switching frame (no drift, no burst); captureTimeUs keeps increasing across
 *       switches and loops.</li>
 *   <li>FORCE_IDR (and a reconnect, and START_ENCODER) continues at once from the current rung's keyframe nearest
 *       to the scene position, earlier or later, so content moves by at most half a GOP; with a switch pending,
 *       that keyframe is the GOP boundary and comes from the new rung.</li>
 * </ul>
 */
public final class SimulatedCamera implements AutoCloseable {
    /** Firmware version sent in HELLO. */
    public static final String FIRMWARE_VERSION = "sim-0.1";
    /** Seconds from MOTION_START to MOTION_END for each {@link CameraOptions#motionAtSec()} entry. */
    public static final double MOTION_LENGTH_SEC = MotionSchedule.MOTION_LENGTH_SEC;
    static final long RETRY_DELAY_MS = 1000;
    /** Most CONTROL messages {@link #controlsReceived()} keeps (the oldest are dropped beyond it). */
    public static final int MAX_CONTROLS_KEPT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCamera.class);

    private final CameraOptions options;
    private final EventLoop loop;
    private final NioEventLoopGroup ownGroup;
    private final ScheduledThreadPoolExecutor connector;
    private final MotionSchedule motion;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    /** CONTROLs in arrival order, at most {@link #MAX_CONTROLS_KEPT}; guarded by itself. */
    private final ArrayDeque<Control> controls = new ArrayDeque<>();
    /** What plays: clip or rung, scene position, pacing, encoder state; used on `loop` (getters anywhere). */
    private final RungPlayer player;
    // State below is touched only on `loop`.
    private CameraClient client;
    private ScheduledFuture<?> nextTick;
    private boolean dropUntilIdr;
    private boolean ended;
    // Counters: written on `loop` only.
    private volatile long framesSent;
    private volatile long framesDropped;
    private volatile long connections;
    private volatile boolean closed;
    private volatile boolean warnedConnect;

    private SimulatedCamera(CameraOptions options, EventLoopGroup shared) {
        this.options = options;
        this.ownGroup = shared == null ? new NioEventLoopGroup(1) : null;
        this.loop = (shared != null ? shared : ownGroup).next();
        this.connector = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camera-connect-" + options.deviceId());
            t.setDaemon(true);
            return t;
        });
        connector.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long capabilities = Hello.CAP_FORCE_IDR | Hello.CAP_START_STOP_ENCODER
                | (options.motionAtSec().isEmpty() ? 0 : Hello.CAP_MOTION_EVENTS)
                | (options.ladder() == null ? 0 : Hello.CAP_SET_BITRATE | Hello.CAP_SET_FPS
                        | Hello.CAP_SET_RESOLUTION | Hello.CAP_SET_PRESET);
        this.player = new RungPlayer(options, capabilities, this::updateHello);
        this.motion = new MotionSchedule(options.motionAtSec());
    }

    /**
     * Starts playing and connecting.
     *
     * @param shared event loop group to run on (shared by many cameras, not shut down by {@link #close()}), or null
     *     for an own single-thread group
     * @throws IllegalArgumentException if the device id is not valid for HELLO
     */
    public static SimulatedCamera start(CameraOptions options, EventLoopGroup shared) {
        SimulatedCamera camera = new SimulatedCamera(options, shared);
        camera.connector.execute(camera::connectOnce);
        return camera;
    }

    /** The HELLO this camera sends now (a ladder camera's reports its current rung). */
    public Hello hello() {
        return player.hello();
    }

    /**
     * The rung a ladder camera plays now (the highest until a CONTROL moves it, then the chosen one from the GOP
     * boundary on); null for a camera playing a single clip. Safe to call from any thread.
     */
    public LadderRung currentRung() {
        return player.rung();
    }

    /** How many times a ladder camera moved to another rung (0 for a single clip). Safe from any thread. */
    public long rungSwitches() {
        return player.rungSwitches();
    }

    /**
     * The setting a ladder camera was last asked for (initially its highest rung's; SET_BITRATE, SET_FPS,
     * SET_RESOLUTION and SET_PRESET change it); null for a single clip. Safe from any thread.
     */
    public Ladder.Request requested() {
        return player.requested();
    }

    /** VIDEO frames sent so far (all connections). */
    public long framesSent() {
        return framesSent;
    }

    /** Frames not sent because the socket was full (plus those skipped up to the next IDR). */
    public long framesDropped() {
        return framesDropped;
    }

    /** Number of successful connections to the gateway so far. */
    public long connections() {
        return connections;
    }

    /**
     * The CONTROL messages this camera received, over all connections, in arrival order: a snapshot copy, safe to
     * call from any thread (tests call it while the camera runs). Each is added before its ACK is sent, so once
     * the gateway has the ACK of a CONTROL, the CONTROL is in the list. Only the latest
     * {@value #MAX_CONTROLS_KEPT} are kept. CONTROLs with an op code unknown to v1 never reach the camera (the
     * transport answers them UNSUPPORTED itself) and are not listed.
     *
     * @return an immutable list, oldest first
     */
    public List<Control> controlsReceived() {
        synchronized (controls) {
            return List.copyOf(controls);
        }
    }

    /** Completes when the camera stops: end of clip without loop, or {@link #close()}. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    private void connectOnce() {
        if (closed) {
            return;
        }
        try {
            CameraClient c = options.serialPath() != null
                    ? CameraClient.serial(options.serialPath(), this::execute, options.faults().videoFault())
                    : CameraClient.tcp(options.host(), options.port(), loop);
            if (options.serialPath() != null && options.faults().reopenEverySec() > 0) {
                closeLaterAsAFault(c);
            }
            c.onControlAnswer(this::onControl);
            warnedConnect = false;
            execute(() -> onConnected(c));
        } catch (IOException | RuntimeException e) {
            if (!warnedConnect) {
                LOG.warn("device_id={} cannot reach gateway {} ({}); retrying every {} ms", options.deviceId(),
                        options.target(), e.getMessage(), RETRY_DELAY_MS);
                warnedConnect = true;
            }
            retryLater();
        }
    }

    /** SerialFaults.reopenEverySec: the port is closed after that long, and reopened like after a reset. */
    private void closeLaterAsAFault(CameraClient c) {
        try {
            connector.schedule(() -> {
                LOG.info("serial camera port {}: fault: closing the port (reopen follows)", options.serialPath());
                c.close();
            }, options.faults().reopenEverySec(), TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("device_id={} closed, no fault reopen", options.deviceId());
        }
    }

    private void retryLater() {
        try {
            connector.schedule(this::connectOnce, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("device_id={} closed, no reconnect", options.deviceId());
        }
    }

    private void onConnected(CameraClient c) {
        if (closed || ended) {
            closeLater(c);
            return;
        }
        client = c;
        Hello hello = player.hello();
        c.sendHello(hello);
        player.requestKeyframe();
        if (connections++ == 0) {
            player.startClock(System.nanoTime());
            tick();
        }
        c.closed().thenRun(() -> execute(() -> onDisconnected(c)));
        LOG.info("device_id={} connected to gateway {}, HELLO {} {}x{} {} fps", options.deviceId(),
                options.target(), hello.codec(), hello.width(), hello.height(), hello.fps());
    }

    private void onDisconnected(CameraClient c) {
        if (client != c) {
            return;
        }
        client = null;
        closeLater(c);
        if (!closed && !ended) {
            LOG.warn("device_id={} lost the gateway connection; reconnecting every {} ms", options.deviceId(),
                    RETRY_DELAY_MS);
            retryLater();
        }
    }

    /** CONTROL handler; runs on {@code loop} (the connection's event loop). Records and logs each CONTROL. */
    private ControlAnswer onControl(Control control) {
        synchronized (controls) {
            if (controls.size() >= MAX_CONTROLS_KEPT) {
                controls.removeFirst();
            }
            controls.addLast(control);
        }
        ControlAnswer answer = player.answer(control);
        LOG.info("device_id={} event=control op={} value={} stream_id={} status={}{}", options.deviceId(),
                control.op(), control.value(), control.streamId(), Ack.statusName(answer.status()),
                answer.appliedValue() == Ack.NO_VALUE ? "" : " applied_value=" + answer.appliedValue());
        return answer;
    }

    /** One frame interval; runs on {@code loop}. */
    private void tick() {
        if (closed || ended) {
            return;
        }
        long captureTimeUs = player.captureTimeUs();
        CameraClient c = client;
        sendMotionEvents(c, captureTimeUs);
        boolean sending = c != null && player.encoderRunning();
        if (sending && player.keyframeNeeded()) {
            if (!player.jumpToKeyframe(captureTimeUs)) {
                end("no IDR left in the clip");
                return;
            }
            dropUntilIdr = false;
        } else {
            player.switchAtGopBoundary(captureTimeUs);
        }
        if (sending) {
            sendFrame(c, captureTimeUs);
        }
        if (!player.advance()) {
            end(options.ladder() == null ? "end of clip" : "end of scene");
            return;
        }
        nextTick = loop.schedule(this::tick, player.dueNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** A ladder camera's new HELLO after a rung switch, for the connection to send on its next HELLO. */
    private void updateHello(Hello hello) {
        CameraClient c = client;
        if (c != null) {
            c.updateHello(hello);
        }
    }

    private void sendFrame(CameraClient c, long captureTimeUs) {
        boolean key = player.isKeyframe();
        if (dropUntilIdr && !key) {
            framesDropped++;
            return;
        }
        if (!c.isWritable()) {
            framesDropped++;
            dropUntilIdr = true;
            return;
        }
        dropUntilIdr = false;
        byte[] au = player.accessUnit();
        ByteBuf annexB = PooledByteBufAllocator.DEFAULT.buffer(au.length).writeBytes(au);
        c.sendVideo(0, captureTimeUs, key, annexB);
        framesSent++;
    }

    private void sendMotionEvents(CameraClient c, long nowUs) {
        for (Event e : motion.due(nowUs)) {
            if (c != null) {
                c.sendEvent(e);
                LOG.info("device_id={} sent {}", options.deviceId(),
                        e.eventType() == Event.MOTION_START ? "MOTION_START" : "MOTION_END");
            }
        }
    }

    private void end(String why) {
        ended = true;
        LOG.info("device_id={} stopped: {} ({} frames sent)", options.deviceId(), why, framesSent);
        CameraClient c = client;
        client = null;
        if (c != null) {
            closeLater(c);
        }
        try {
            connector.execute(() -> finished.complete(null));
        } catch (RejectedExecutionException e) {
            finished.complete(null);
        }
    }

    private void closeLater(CameraClient c) {
        try {
            connector.execute(c::close);
        } catch (RejectedExecutionException e) {
            LOG.debug("device_id={} connector stopped; connection closes with the event loop", options.deviceId());
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("device_id={} event loop stopped", options.deviceId());
        }
    }

    /** Stops pacing, closes the connection and stops the own event loop; idempotent; call off the event loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<CameraClient> current = new CompletableFuture<>();
        execute(() -> {
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            current.complete(client);
            client = null;
        });
        CameraClient c = current.completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        if (c != null) {
            c.close();
        }
        connector.shutdown();
        try {
            if (!connector.awaitTermination(5, TimeUnit.SECONDS)) {
                connector.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        finished.complete(null);
        LOG.info("device_id={} closed after {} frames sent, {} dropped", options.deviceId(), framesSent,
                framesDropped);
    }
}
