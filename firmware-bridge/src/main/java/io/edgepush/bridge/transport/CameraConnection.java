package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraLinkStats;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.StreamSequenceStats;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.WireCodec;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway side of one camera over any byte transport (PROTOCOL.md section 4): the transport
 * feeds received bytes to {@link #onBytes} and reports its end with {@link #onTransportClosed},
 * both from one thread; this class decodes frames, handles HELLO/timeouts/heartbeats/ACKs and
 * calls the {@link CameraListener}. TCP and USB-serial transports share it.
 */
final class CameraConnection implements CameraLink {
    private static final Logger LOG = LoggerFactory.getLogger(CameraConnection.class);

    private final String peer;
    private final ByteOutput output;
    private final ScheduledExecutorService scheduler;
    private final CameraListener listener;
    private final BridgeOptions options;
    private final Map<String, CameraConnection> registry;
    private final WireCodec codec;
    private final long startNanos = System.nanoTime();
    private final long[] lastSequence = new long[256];
    private final AtomicLongArray gapsByStream = new AtomicLongArray(256);
    private final AtomicLongArray lostByStream = new AtomicLongArray(256);
    private final LinkTroubleLog troubleLog;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong controlIds = new AtomicLong();
    private volatile Hello hello;
    private volatile PendingControls pending;
    private volatile String closeReason;
    private volatile CameraLinkStats stats = new CameraLinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    private long malformed;
    private long videoBeforeHello;
    private long gaps;
    private long lost;
    private long lastFrameNanos = startNanos;
    private long lastHeartbeatNanos;
    private ScheduledFuture<?> ticker;
    private final AccessUnitReader[] readers = new AccessUnitReader[256];
    private final java.util.function.Consumer<ByteBuf> nalToReader = this::pushNal;
    private AccessUnitReader nalTarget;
    private long nalDtsMs;
    private long keyframeFlagMismatches;
    /** Frame rate for presentation times when the HELLO announces none. */
    private static final double DEFAULT_FPS = 25;

    /**
     * @param peer      transport and address for logs, e.g. "tcp:127.0.0.1:50412"
     * @param scheduler runs timers; for Netty the channel's event loop (the same thread as onBytes)
     * @param registry  device_id -> connection shared by a transport's links, so a newer HELLO
     *                  with the same device_id replaces the older link
     */
    CameraConnection(String peer, ByteOutput output, ScheduledExecutorService scheduler,
                            CameraListener listener, BridgeOptions options, Map<String, CameraConnection> registry) {
        this.peer = peer;
        this.output = output;
        this.scheduler = scheduler;
        this.listener = listener;
        this.options = options;
        this.registry = registry;
        this.codec = new WireCodec(output.alloc(), options.maxPayloadBytes());
        this.troubleLog = new LinkTroubleLog(peer, LinkTroubleLog.DEFAULT_INTERVAL_NANOS, LOG::warn);
        Arrays.fill(lastSequence, -1);
    }

    /** Sends the first gateway HEARTBEAT (sequence 0) and starts the timeout/heartbeat timer. */
    void start() {
        sendHeartbeat();
        long tickNanos = Math.min(options.heartbeatInterval().toNanos(),
                Math.min(options.helloTimeout().toNanos(), options.idleTimeout().toNanos())) / 4;
        ticker = scheduler.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Received bytes, in order; BORROWS {@code chunk}. Call from the transport thread. Input trouble (resync,
     * CRC, oversize, malformed, sequence gaps) is counted in {@link #stats()} and logged rate-limited
     * ({@link LinkTroubleLog}); it never closes the link, except a malformed HELLO.
     */
    void onBytes(ByteBuf chunk) {
        codec.feed(chunk, receiver);
        stats = new CameraLinkStats(codec.framesDecoded(), codec.bytesSkipped(), codec.crcErrors(),
                codec.oversizeFrames(), malformed, videoBeforeHello, gaps, lost, keyframeFlagMismatches);
        troubleLog.update(logId(), stats, System.nanoTime());
    }

    /** What the codec decodes goes to the methods below (private: a listener cannot feed a link). */
    private final WireCodec.Receiver receiver = new WireCodec.Receiver() {
        @Override
        public void onFrame(int streamId, long sequence) {
            frameArrived(streamId, sequence);
        }

        @Override
        public void onHello(Hello h) {
            helloArrived(h);
        }

        @Override
        public void onVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
            videoArrived(streamId, captureTimeUs, keyframe, annexB);
        }

        @Override
        public void onEvent(Event e) {
            if (hello != null) {
                safely("onEvent", () -> listener.onEvent(CameraConnection.this, e));
            }
        }

        @Override
        public void onAck(Ack a) {
            if (pending != null && !pending.complete(a)) {
                LOG.debug("camera {}: ACK for unknown or timed-out control {}", deviceIdOrPeer(), a.controlId());
            }
        }

        @Override
        public void onMalformed(boolean isHello, String reason) {
            malformedArrived(isHello, reason);
        }
    };

    private void frameArrived(int streamId, long sequence) {
        lastFrameNanos = System.nanoTime();
        trackSequence(streamId, sequence);
    }

    private void malformedArrived(boolean isHello, String reason) {
        malformed++;
        troubleLog.malformed(reason);
        if (hello == null && isHello) {
            close("malformed HELLO: " + reason);
        }
    }

    private void helloArrived(Hello h) {
        if (hello != null) {
            LOG.debug("camera {}: second HELLO ignored", hello.deviceId());
            return;
        }
        pending = new PendingControls(scheduler, h.deviceId());
        hello = h;
        LOG.info("camera {} connected via {}: firmware {} codec {} {}x{} {} fps {} bps", h.deviceId(), peer,
                h.firmwareVersion(), h.codec(), h.width(), h.height(), h.fps(), h.bitrateBps());
        CameraConnection old = registry.put(h.deviceId(), this);
        if (old != null && old != this) {
            old.close("replaced by a new connection from " + peer);
        }
        safely("onCameraConnected", () -> listener.onCameraConnected(this));
    }

    private void trackSequence(int streamId, long sequence) {
        long last = lastSequence[streamId];
        if (last >= 0 && sequence != ((last + 1) & 0xFFFF_FFFFL)) {
            long missing = (sequence - last - 1) & 0xFFFF_FFFFL;
            gaps++;
            lost += missing;
            gapsByStream.incrementAndGet(streamId);
            lostByStream.addAndGet(streamId, missing);
        }
        lastSequence[streamId] = sequence;
    }

    private void tick() {
        long now = System.nanoTime();
        troubleLog.update(logId(), stats, now);
        if (hello == null && now - startNanos > options.helloTimeout().toNanos()) {
            close("no HELLO within " + options.helloTimeout().toMillis() + " ms");
        } else if (now - lastFrameNanos > options.idleTimeout().toNanos()) {
            close("heartbeat timeout: nothing received for " + options.idleTimeout().toMillis() + " ms");
        } else if (now - lastHeartbeatNanos >= options.heartbeatInterval().toNanos()) {
            sendHeartbeat();
        }
    }

    private synchronized void sendHeartbeat() {
        lastHeartbeatNanos = System.nanoTime();
        output.write(codec.heartbeat((lastHeartbeatNanos - startNanos) / 1_000_000_000L, 0, nowUs()));
    }

    private synchronized void send(Control control) {
        output.write(codec.encode(control, nowUs()));
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    /**
     * One VIDEO message = one access unit (PROTOCOL.md 3.2): its NAL units become retained slices of the payload (no
     * copy), the stream's {@link AccessUnitReader} classifies and times it (decode time = capture time) and the
     * listener gets it. The wire's keyframe flag is checked against the NAL unit types; a disagreement is counted.
     * A payload that is not Annex B, or holds a NAL unit the reader refuses (a bad header, a slice too short for its
     * header), is counted malformed and its whole access unit is dropped; nothing else is lost (except an SPS/PPS-only
     * message waiting to join that picture).
     */
    private void videoArrived(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        if (hello == null) {
            videoBeforeHello++;
            annexB.release();
            return;
        }
        if (closed.get()) {
            annexB.release();
            return;
        }
        AccessUnitReader reader = readers[streamId];
        if (reader == null) {
            reader = new AccessUnitReader(codecOf(hello), hello.fps() > 0 ? hello.fps() : DEFAULT_FPS,
                    au -> safely("onAccessUnit", () -> listener.onAccessUnit(this, streamId, au)));
            readers[streamId] = reader;
        }
        long dtsMs = captureTimeUs / 1000;
        try {
            nalTarget = reader;
            nalDtsMs = dtsMs;
            AnnexBReader.forEachNalUnitRetained(annexB, nalToReader); // retained slices: no copy, no garbage
        } catch (H264Exception e) {
            malformed++;
            troubleLog.malformed("VIDEO stream " + streamId + ": " + e.getMessage());
            reader.discardAccessUnit(); // the whole access unit goes: a truncated picture only decodes to artifacts
            return;
        } finally {
            nalTarget = null;
            annexB.release();
        }
        if (!reader.endOfAccessUnit(keyframe)) {
            keyframeFlagMismatches++;
            if (keyframeFlagMismatches == 1) {
                LOG.warn("camera {}: VIDEO keyframe flag {} disagrees with the NAL unit types (they win; counted in"
                        + " keyframe_flag_mismatches)", deviceIdOrPeer(), keyframe);
            }
        }
    }

    private void pushNal(ByteBuf nal) {
        nalTarget.push(nal, nalDtsMs); // takes the retained slice
    }

    /** The codec a HELLO announces: "h265" (or "hevc") is H.265, anything else H.264. */
    static VideoCodec codecOf(Hello h) {
        String codec = h.codec() == null ? "" : h.codec().toLowerCase(java.util.Locale.ROOT);
        return codec.equals("h265") || codec.equals("hevc") ? VideoCodec.H265 : VideoCodec.H264;
    }

    /** Transport ended (or was closed); idempotent. Call from the transport thread. */
    void onTransportClosed(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String why = closeReason != null ? closeReason : reason;
        if (ticker != null) {
            ticker.cancel(false);
        }
        codec.close();
        for (AccessUnitReader reader : readers) {
            if (reader != null) {
                reader.flush(); // pictures held for their presentation time still go out
                reader.close();
            }
        }
        troubleLog.flush(logId(), stats, System.nanoTime());
        Hello h = hello;
        if (h == null) {
            LOG.info("connection {} ended before HELLO: {}", peer, why);
            return;
        }
        registry.remove(h.deviceId(), this);
        pending.failAll(why);
        LOG.info("camera {} disconnected ({}): {}", h.deviceId(), peer, why);
        safely("onCameraDisconnected", () -> listener.onCameraDisconnected(this, why));
    }

    /** Closes with a reason that {@link CameraListener#onCameraDisconnected} will report. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        output.close();
    }

    @Override
    public void close() {
        close("closed by gateway");
    }

    @Override
    public CompletableFuture<Ack> sendControl(Control control) {
        return sendControl(control, options.controlTimeout());
    }

    @Override
    public CompletableFuture<Ack> sendControl(Control control, Duration ackTimeout) {
        PendingControls p = pending;
        if (p == null || closed.get()) {
            return CompletableFuture.failedFuture(new java.io.IOException("camera link " + peer
                    + (p == null ? " has no HELLO yet" : " is closed")));
        }
        CompletableFuture<Ack> future = p.register(control.controlId(), ackTimeout);
        if (!future.isDone()) {
            try {
                send(control);
            } catch (RuntimeException e) {
                p.fail(control.controlId(), e);
            }
            LOG.debug("camera {}: sent CONTROL {} {} {}", deviceId(), control.controlId(), control.op(),
                    control.value());
        }
        return future;
    }

    @Override
    public long nextControlId() {
        return controlIds.incrementAndGet() & 0xFFFF_FFFFL;
    }

    @Override
    public String deviceId() {
        Hello h = hello;
        return h == null ? null : h.deviceId();
    }

    private String deviceIdOrPeer() {
        Hello h = hello;
        return h == null ? peer : h.deviceId();
    }

    @Override
    public Hello hello() {
        return hello;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public EventLoop eventLoop() {
        return output.eventLoop();
    }

    @Override
    public CameraLinkStats stats() {
        return stats;
    }

    @Override
    public StreamSequenceStats streamStats(int streamId) {
        return new StreamSequenceStats(gapsByStream.get(streamId), lostByStream.get(streamId));
    }

    private String logId() {
        Hello h = hello;
        return h == null ? "-" : h.deviceId();
    }

    private void safely(String callback, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("camera {}: listener {} threw", deviceIdOrPeer(), callback, e);
        }
    }
}
