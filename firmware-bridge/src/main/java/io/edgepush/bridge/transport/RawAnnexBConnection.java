package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraLinkStats;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.h264.NalUnitSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway side of a camera that sends a raw H.264 elementary stream (ISO/IEC 14496-10 Annex B) with no
 * framing (DESIGN.md section 7): bytes -> {@link NalUnitSplitter} -> {@link AccessUnitReader} (the H.264 access
 * unit assembler; no start-code round trip) -> one {@link AccessUnit} per access unit on stream 0; the camera is
 * reported connected when its TCP connection opens ({@link #start()}). Access units are timed with the gateway's
 * monotonic clock at the arrival of their first picture NAL unit (milliseconds since the connection opened), at least
 * 1 ms after the previous one so access units that arrive in one burst still get increasing timestamps; pictures
 * with B-frames get presentation times from their picture order count at {@value #DEFAULT_FPS} fps. The link's HELLO is synthesized:
 * codec "h264", firmware "raw-annexb", no capabilities, size/fps/bitrate 0 (unknown). CONTROLs cannot reach such a
 * camera: every one is answered locally with ACK UNSUPPORTED, so a new publish waits for the camera's next IDR.
 *
 * <p>An access unit is known complete only when the next one begins, so frames leave about one frame interval
 * after they arrive. When the camera closes the connection the access unit in progress is delivered (a stream
 * ends on an access unit boundary); when the gateway closes it (timeout, shutdown) it is dropped. Called from
 * one transport thread; the {@link CameraLink} methods are thread-safe.
 */
final class RawAnnexBConnection implements CameraLink {
    /** The firmware_version of the synthesized HELLO. */
    static final String FIRMWARE = "raw-annexb";
    private static final Logger LOG = LoggerFactory.getLogger(RawAnnexBConnection.class);
    /** Frame spacing assumed for presentation times: a raw camera announces no frame rate. */
    static final double DEFAULT_FPS = 25;

    private final String peer;
    private final Hello hello;
    private final ByteOutput output;
    private final CameraListener listener;
    private final NalUnitSplitter splitter;
    private final AccessUnitReader reader = new AccessUnitReader(VideoCodec.H264, DEFAULT_FPS, this::onAccessUnit);
    private final LinkTroubleLog troubleLog;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong controlIds = new AtomicLong();
    private volatile CameraLinkStats stats = new CameraLinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    private volatile boolean connected;
    private volatile String closeReason;
    private long malformed;

    /**
     * @param peer        transport and address for logs, e.g. "raw-tcp:192.168.4.20:50412"
     * @param deviceId    the camera's device_id (from config or derived from the peer address)
     * @param maxNalBytes largest NAL unit accepted; longer ones are dropped and counted as oversize
     */
    RawAnnexBConnection(String peer, String deviceId, ByteOutput output, CameraListener listener, int maxNalBytes) {
        this.peer = peer;
        this.hello = new Hello(deviceId, FIRMWARE, Hello.CODEC_H264, 0, 0, 0, 0, 0);
        this.output = output;
        this.listener = listener;
        this.splitter = new NalUnitSplitter(output.alloc(), maxNalBytes);
        this.troubleLog = new LinkTroubleLog(peer, LinkTroubleLog.DEFAULT_INTERVAL_NANOS, LOG::warn);
    }

    /** Received bytes, in order; BORROWS {@code chunk}. Call from the transport thread. */
    void onBytes(ByteBuf chunk) {
        if (closed.get()) {
            return;
        }
        long arrivalUs = (System.nanoTime() - startNanos) / 1000;
        splitter.feed(chunk, arrivalUs, this::onNalUnit);
        updateStats();
    }

    /**
     * Reports the camera connected (a raw camera has no HELLO: its TCP connection is its presence, so an
     * always_on stream can start before the first access unit). Call once from the transport thread.
     */
    void start() {
        connected = true;
        LOG.info("camera {} connected via {}: raw Annex B H.264", hello.deviceId(), peer);
        safely("onCameraConnected", () -> listener.onCameraConnected(this));
    }

    private void onNalUnit(ByteBuf nal, long arrivalUs) {
        try {
            reader.push(nal, arrivalUs / 1000);
        } catch (H264Exception e) {
            malformed++;
            troubleLog.malformed(e.getMessage());
        }
    }

    private void onAccessUnit(AccessUnit au) {
        if (closed.get() && closeReason != null) {
            au.release();
            return;
        }
        safely("onAccessUnit", () -> listener.onAccessUnit(this, 0, au));
    }

    /** Transport ended; idempotent. Call from the transport thread. */
    void onTransportClosed(String reason) {
        String why = closeReason != null ? closeReason : reason;
        boolean byCamera = closeReason == null;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (byCamera && connected) {
            splitter.finish(this::onNalUnit);
            reader.flush();
        }
        splitter.close();
        reader.close(); // releases what is held (after a close by the gateway, emitted frames are dropped)
        updateStats();
        troubleLog.flush(hello.deviceId(), stats, System.nanoTime());
        if (!connected) {
            return;
        }
        LOG.info("camera {} disconnected ({}): {}", hello.deviceId(), peer, why);
        safely("onCameraDisconnected", () -> listener.onCameraDisconnected(this, why));
    }

    private void updateStats() {
        stats = new CameraLinkStats(reader.accessUnits(), splitter.bytesSkipped(), 0, splitter.oversizeNalUnits(),
                malformed, 0, 0, 0, 0);
        troubleLog.update(hello.deviceId(), stats, System.nanoTime());
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

    /** Answers ACK UNSUPPORTED at once: a raw Annex B camera has no downlink. */
    @Override
    public CompletableFuture<Ack> sendControl(Control control) {
        return CompletableFuture.completedFuture(new Ack(control.controlId(), Ack.UNSUPPORTED, control.streamId()));
    }

    /** As {@link #sendControl(Control)}; the timeout is irrelevant. */
    @Override
    public CompletableFuture<Ack> sendControl(Control control, Duration ackTimeout) {
        return sendControl(control);
    }

    @Override
    public long nextControlId() {
        return controlIds.incrementAndGet() & 0xFFFF_FFFFL;
    }

    @Override
    public String deviceId() {
        return hello.deviceId();
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

    private void safely(String callback, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("camera {}: listener {} threw", hello.deviceId(), callback, e);
        }
    }
}
