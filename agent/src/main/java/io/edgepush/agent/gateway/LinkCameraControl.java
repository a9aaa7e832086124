package io.edgepush.agent.gateway;

import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.session.CameraControl;
import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.ControlSender;
import io.edgepush.bridge.wire.Ack;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CameraControl} over a connected camera's link: CONTROL messages answered by ACK
 * (firmware-bridge/PROTOCOL.md), sent through a {@link ControlSender} so a missing ACK is retried with the same
 * control id ({@link ControlSender#DEFAULT_MAX_ATTEMPTS} sends, the link's ACK timeout each). A control never
 * acknowledged is a log line {@code event=control_failed} and a {@code control_failed} status event
 * ({@link ControlFailures}); a refusal (ACK status other than OK) is a log line. Nothing is ever thrown.
 */
final class LinkCameraControl implements CameraControl {
    private static final Logger log = LoggerFactory.getLogger(LinkCameraControl.class);

    /** Told about controls that were never acknowledged. */
    @FunctionalInterface
    interface ControlFailures {
        ControlFailures LOG_ONLY = (deviceId, streamName, outcome) -> {
        };

        void controlFailed(String deviceId, String streamName, ControlSender.Outcome outcome);
    }

    private final ControlSender sender;
    private final int streamId;
    private final String streamName;
    private final ControlFailures failures;
    /** The latest value asked per op (guarded by itself). */
    private final java.util.EnumMap<ControlOp, Long> latest = new java.util.EnumMap<>(ControlOp.class);

    LinkCameraControl(ControlSender sender, int streamId, String streamName, ControlFailures failures) {
        this.sender = sender;
        this.streamId = streamId;
        this.streamName = streamName;
        this.failures = failures;
    }

    /** Default retry policy, failures logged only. */
    LinkCameraControl(CameraLink link, int streamId) {
        this(new ControlSender(link), streamId, null, ControlFailures.LOG_ONLY);
    }

    /** The camera link the controls go to (also the source of its bridge counters). */
    CameraLink link() {
        return sender.link();
    }

    /** The stream id controls address. */
    int streamId() {
        return streamId;
    }

    @Override
    public VideoCodec codec() {
        String codec = link().hello() == null ? null : link().hello().codec();
        return "h265".equalsIgnoreCase(codec) || "hevc".equalsIgnoreCase(codec) ? VideoCodec.H265 : VideoCodec.H264;
    }

    @Override
    public EventLoop eventLoop() {
        return link().eventLoop();
    }

    @Override
    public void requestKeyframe() {
        send(ControlOp.FORCE_IDR);
    }

    @Override
    public boolean canSetBitrate() {
        return declared(Hello.CAP_SET_BITRATE);
    }

    /** True when the camera's HELLO declared {@code capability} (PROTOCOL.md 3.1): only declared ops are sent. */
    private boolean declared(long capability) {
        return link().hello() != null && (link().hello().capabilities() & capability) != 0;
    }

    @Override
    public CompletableFuture<EncoderSettings> configure(EncoderSettings next, EncoderSettings previous) {
        boolean all = previous == null;
        CompletableFuture<Long> resolution = CompletableFuture.completedFuture(0L);
        CompletableFuture<Long> fps = CompletableFuture.completedFuture(0L);
        CompletableFuture<Long> bitrate = CompletableFuture.completedFuture(0L);
        boolean newSize = next.hasResolution() && declared(Hello.CAP_SET_RESOLUTION)
                && (all || next.width() != previous.width() || next.height() != previous.height());
        if (newSize) {
            resolution = send(ControlOp.SET_RESOLUTION, Control.resolution(next.width(), next.height()));
        }
        if (next.fps() > 0 && declared(Hello.CAP_SET_FPS) && (all || next.fps() != previous.fps())) {
            fps = send(ControlOp.SET_FPS, next.fps());
        }
        if (next.bitrateBps() > 0 && declared(Hello.CAP_SET_BITRATE)
                && (all || next.bitrateBps() != previous.bitrateBps())) {
            bitrate = send(ControlOp.SET_BITRATE, next.bitrateBps());
        }
        if (newSize && !all && declared(Hello.CAP_FORCE_IDR)) {
            requestKeyframe();
        }
        CompletableFuture<Long> r = resolution;
        CompletableFuture<Long> f = fps;
        CompletableFuture<Long> b = bitrate;
        return CompletableFuture.allOf(r, f, b).thenApply(v -> {
            long size = r.join();
            return new EncoderSettings((int) (size >>> 16), (int) (size & 0xFFFF), f.join().intValue(), b.join());
        });
    }

    /**
     * Sends one control; completes with the value the camera took (0 when refused, unanswered or overtaken), never
     * fails. A retried control can be applied after a newer one of the same op (its ACK was late): when an ACK
     * confirms a value that is no longer the latest asked, the latest is sent again, so the camera ends on it.
     */
    private CompletableFuture<Long> send(ControlOp op, long value) {
        String deviceId = sender.link().deviceId();
        synchronized (latest) {
            latest.put(op, value);
        }
        return sender.send(op, value, streamId).handle((o, err) -> {
            if (err != null) {
                log.warn("event=control_failed device_id={} stream_id={} op={} error=\"{}\"", deviceId, streamId, op,
                        err.getMessage());
                return 0L;
            }
            report(deviceId, op, o);
            Long newest;
            synchronized (latest) {
                newest = latest.get(op);
            }
            if (newest != null && newest != value) {
                if (o.ok()) {
                    log.info("event=control_overtaken device_id={} stream_id={} op={} value={} latest={}", deviceId,
                            streamId, op, value, newest);
                    send(op, newest);
                }
                return 0L;
            }
            return o.ok() ? (o.ack().hasAppliedValue() ? o.ack().appliedValue() : value) : 0L;
        });
    }

    private void send(ControlOp op) {
        String deviceId = sender.link().deviceId();
        sender.send(op, 0, streamId).thenAccept(o -> report(deviceId, op, o));
    }

    /** Logs what became of a control; one never acknowledged or refused also goes to the failures. */
    private void report(String deviceId, ControlOp op, ControlSender.Outcome o) {
        if (o.unacknowledged()) {
            log.warn("event=control_failed device_id={} stream_id={} op={} control_id={} attempts={} error=\"{}\"",
                    deviceId, streamId, op, o.control().controlId(), o.attempts(),
                    o.failure() == null ? "" : o.failure().getMessage());
            failures.controlFailed(deviceId, streamName, o);
        } else if (o.ack().status() == Ack.UNSUPPORTED) {
            log.info("event=control_unsupported device_id={} stream_id={} op={}", deviceId, streamId, op);
        } else if (!o.ok()) {
            log.warn("event=control_refused device_id={} stream_id={} op={} status={}",
                    deviceId, streamId, op, o.ack().status());
            failures.controlFailed(deviceId, streamName, o);
        }
    }
}
