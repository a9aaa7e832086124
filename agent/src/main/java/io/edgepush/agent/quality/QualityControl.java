package io.edgepush.agent.quality;

import io.edgepush.agent.config.QualityPreset;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one stream asks of its camera's encoder, and why: the preset (from config, a {@code start} or a
 * {@code set_quality} command), the endpoint's caps ({@code max_bitrate}, {@code recommended_fps}) and, while it
 * streams with adaptive bitrate on, the {@link BitrateController}'s target, turned into {@link EncoderSettings} by
 * {@link QualityPlan}. Every change of the ask goes to the {@link Listener} with its {@link Reason} (the session
 * sends the CONTROL messages and reports {@code quality_changed}); the camera's confirmation comes back through
 * {@link #confirmed}.
 *
 * <p>Thread safety: every method is synchronized; the listener is called with the lock held: it may read (the lock
 * is reentrant) but must not block or change the preset or caps.
 */
public final class QualityControl {
    /** How often the uplink is read while streaming, milliseconds. */
    public static final long TICK_MS = 250;
    /**
     * The controller sees the backlog less its least over this long, milliseconds: what the round trip keeps on
     * its way (a tag counts as arrived only once the server has acknowledged it) is not a queue.
     */
    public static final long BASE_BACKLOG_WINDOW_MS = 30_000;
    /**
     * The most of the backlog taken as round trip, milliseconds, so a queue that stood from the first reading on
     * still shows (a round trip longer than this reads partly as queue).
     */
    public static final long MAX_BASE_BACKLOG_MS = 250;
    private static final int BASE_READINGS = (int) (BASE_BACKLOG_WINDOW_MS / TICK_MS);
    private static final Logger log = LoggerFactory.getLogger(QualityControl.class);

    /** Why the ask changed ({@code reason} of the {@code quality_changed} event). */
    public enum Reason {
        /** A start or set_quality command, or the configured preset at start. */
        COMMAND,
        /** The bitrate controller stepped down. */
        ABR_DOWN,
        /** The bitrate controller climbed. */
        ABR_UP,
        /** The endpoint's max_bitrate or recommended_fps capped the ask. */
        ENDPOINT_CAP;

        /** The JSON name, e.g. {@code abr_down}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Told every change of the ask; called with the control's lock held (may read, must not block). */
    public interface Listener {
        /**
         * @param previous what was asked before (null: nothing yet)
         * @param next     what to ask now
         */
        void askChanged(EncoderSettings previous, EncoderSettings next, Reason reason);
    }

    /**
     * A reading for {@code /status} and {@code stream_metrics}.
     *
     * @param preset       the preset's wire name
     * @param asked        what the encoder is asked
     * @param confirmed    what the camera confirmed (ACK applied values), or null before any confirmation
     * @param targetBps    the bitrate asked, bits per second
     * @param ceilingBps   the most that may be asked (preset capped by the endpoint), bits per second
     * @param adaptive     adaptive bitrate is on for the stream
     */
    public record Reading(String preset, EncoderSettings asked, EncoderSettings confirmed, long targetBps,
                          long ceilingBps, boolean adaptive) {
    }

    private final String deviceId;
    private final String streamName;
    private final boolean adaptive;
    private final BitrateController controller;
    private final EncoderSettings custom;
    private final Listener listener;
    private final DeliveryRateMeter meter = new DeliveryRateMeter(16);
    /** Backlog readings of the last {@link #BASE_BACKLOG_WINDOW_MS}, a ring. */
    private final long[] backlogs = new long[BASE_READINGS];
    private int backlogCount;
    private int backlogNext;
    private QualityPreset preset;
    private long endpointMaxBps;
    private int endpointFps;
    private long targetBps;
    private boolean streaming;
    private EncoderSettings asked;
    private EncoderSettings confirmed;

    /**
     * @param preset     the configured preset
     * @param custom     the configured values for {@link QualityPreset#CUSTOM} ({@link EncoderSettings#NONE} if none)
     * @param adaptive   run the bitrate controller while streaming ({@code streaming.enable_adaptive_bitrate})
     * @param controller the bitrate controller (used only when adaptive)
     */
    public QualityControl(String deviceId, String streamName, QualityPreset preset, EncoderSettings custom,
                          boolean adaptive, BitrateController controller, Listener listener) {
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.preset = preset;
        this.custom = custom == null ? EncoderSettings.NONE : custom;
        this.adaptive = adaptive;
        this.controller = controller;
        this.listener = listener;
    }

    /** The preset in use. */
    public synchronized QualityPreset preset() {
        return preset;
    }

    /** What the encoder is asked now (computed on first use; never null). */
    public synchronized EncoderSettings asked() {
        if (asked == null) {
            asked = plan();
        }
        return asked;
    }

    /** A new preset (config, start or set_quality): the bitrate controller starts over from its ceiling. */
    public synchronized void setPreset(QualityPreset next) {
        preset = next;
        targetBps = 0;
        if (streaming) {
            controller.reset(ceilingBps());
        }
        update(Reason.COMMAND);
    }

    /**
     * The endpoint's caps (0 = none): {@code max_bitrate} in bits per second and {@code recommended_fps}.
     * A cap that lowers the ask is reported with {@link Reason#ENDPOINT_CAP}.
     */
    public synchronized void setEndpointCaps(long maxBitrateBps, int recommendedFps) {
        endpointMaxBps = Math.max(0, maxBitrateBps);
        endpointFps = Math.max(0, recommendedFps);
        update(Reason.ENDPOINT_CAP);
    }

    /** The stream started: the bitrate controller starts at the ceiling. */
    public synchronized void started() {
        streaming = true;
        targetBps = 0;
        meter.reset();
        backlogCount = 0;
        backlogNext = 0;
        controller.reset(ceilingBps());
        update(Reason.COMMAND);
    }

    /** The stream stopped: no more readings until the next start (the ask stays; the next start restores it). */
    public synchronized void stopped() {
        streaming = false;
    }

    /**
     * The camera confirmed {@code settings} (its ACKs' applied values). A field of 0 was not confirmed by these
     * ACKs (not asked because it did not change, refused or unanswered: the camera keeps its own value), so the
     * value confirmed before stands; until a field is confirmed at all, nothing is ({@link Reading#confirmed()}
     * stays null while every field is 0).
     */
    public synchronized void confirmed(EncoderSettings settings) {
        EncoderSettings before = confirmed == null ? EncoderSettings.NONE : confirmed;
        boolean size = settings.width() > 0 && settings.height() > 0;
        EncoderSettings merged = new EncoderSettings(size ? settings.width() : before.width(),
                size ? settings.height() : before.height(), settings.fps() > 0 ? settings.fps() : before.fps(),
                settings.bitrateBps() > 0 ? settings.bitrateBps() : before.bitrateBps());
        confirmed = merged.equals(EncoderSettings.NONE) ? null : merged;
    }

    /** Another camera (or none) is attached: nothing it runs is confirmed until its ACKs say so. */
    public synchronized void cameraChanged() {
        confirmed = null;
    }

    /**
     * One reading of the uplink, every {@link #TICK_MS} ms while streaming. Only readings taken while frames flow
     * live (not while a publish catches up on a buffered burst or waits for a keyframe) reach the controller.
     *
     * @param nowMs          monotonic milliseconds
     * @param backlogMs      media time on its way to the server
     * @param deliveredBytes running count of bytes counted as arrived at the server
     * @param live           frames flow live (LIVE, HANDOVER_PENDING or DROPPING_TO_KEYFRAME)
     */
    public synchronized void onUplink(long nowMs, long backlogMs, long deliveredBytes, boolean live) {
        meter.add(nowMs, deliveredBytes);
        if (!adaptive || !streaming || !live) {
            return;
        }
        long rate = Math.min(meter.rateBps(500), meter.rateBps(1000));
        long ceiling = ceilingBps();
        if (ceiling <= 0) {
            return; // custom without a bitrate and no endpoint cap: nothing to adapt from
        }
        long proposedKbps = Math.round(controller.onSample(new LinkSample(nowMs, backlogMs - baseBacklogMs(backlogMs),
                rate, deliveredBytes, QualityPlan.floorBps(ceiling), ceiling)) / 1000.0);
        long current = targetBps <= 0 ? ceiling : targetBps;
        // The ask moves in whole kbit/s, the unit of quality_changed: a step under 1 kbit/s would tell the camera
        // about a change whose event shows the same number before and after.
        if (proposedKbps != Math.round(current / 1000.0)) {
            long next = Math.min(ceiling, proposedKbps * 1000);
            targetBps = next;
            update(next < current ? Reason.ABR_DOWN : Reason.ABR_UP);
        }
    }

    /**
     * Notes a live backlog reading; returns the least of the last {@link #BASE_BACKLOG_WINDOW_MS} (this one
     * included), at most {@link #MAX_BASE_BACKLOG_MS}.
     */
    private long baseBacklogMs(long backlogMs) {
        backlogs[backlogNext] = backlogMs;
        backlogNext = (backlogNext + 1) % backlogs.length;
        backlogCount = Math.min(backlogCount + 1, backlogs.length);
        long least = MAX_BASE_BACKLOG_MS;
        for (int i = 0; i < backlogCount; i++) {
            least = Math.min(least, backlogs[i]);
        }
        return Math.max(0, least);
    }

    /**
     * network_quality, 0..1 (README "Adaptive bitrate"): the share of the ceiling the uplink carries ({@code
     * target / ceiling}), times how far the backlog is from the target latency ({@code 1 - backlog / latency},
     * at least 0), times the share of frames sent rather than dropped.
     */
    public synchronized double networkQuality(long backlogMs, long targetLatencyMs, double sentShare) {
        long ceiling = ceilingBps();
        double carried = ceiling <= 0 || targetBps <= 0 ? 1.0 : Math.min(1.0, (double) targetBps / ceiling);
        double queue = Math.max(0.0, 1.0 - (double) backlogMs / Math.max(1, targetLatencyMs));
        double q = carried * queue * Math.max(0.0, Math.min(1.0, sentShare));
        return Math.round(q * 100) / 100.0;
    }

    /** A reading for status. */
    public synchronized Reading reading() {
        EncoderSettings a = asked();
        return new Reading(preset.wireName(), a, confirmed, a.bitrateBps(), ceilingBps(), adaptive);
    }

    private long ceilingBps() {
        return QualityPlan.ceilingBps(preset, custom, endpointMaxBps);
    }

    private EncoderSettings plan() {
        return QualityPlan.ask(preset, custom, endpointMaxBps, endpointFps, targetBps);
    }

    private void update(Reason reason) {
        EncoderSettings next = plan();
        if (next.equals(asked)) {
            return;
        }
        EncoderSettings previous = asked;
        asked = next;
        log.info("event=quality_changed device_id={} stream_name={} preset={} from={} to={} reason={}", deviceId,
                streamName, preset.wireName(), previous, next, reason.label());
        listener.askChanged(previous, next, reason);
    }
}
