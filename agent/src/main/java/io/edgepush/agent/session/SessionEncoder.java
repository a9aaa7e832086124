package io.edgepush.agent.session;

import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.quality.BitrateController;
import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.quality.QualityControl;
import io.edgepush.agent.stream.OutputState;
import io.edgepush.agent.stream.StreamOutput;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's camera end: the camera attached now and what its encoder is asked ({@link QualityControl}), sent as
 * CONTROL messages. A whole ask goes out on every attach, start and quality command; the fields that changed go out
 * when the bitrate controller or an endpoint cap moves the ask. Every send happens on the control thread, so two
 * asks never cross on the way (a newer one overtaken by an older one).
 */
final class SessionEncoder {
    private static final Logger log = LoggerFactory.getLogger(SessionEncoder.class);

    private final SessionSettings settings;
    private final ScheduledExecutorService control;
    private final SessionListener listener;
    private final StreamSession session;
    private final QualityControl quality;
    private volatile CameraControl camera = CameraControl.OFFLINE;

    /** @param preset the configured preset's wire name */
    SessionEncoder(SessionSettings settings, String preset, ScheduledExecutorService control,
                   SessionListener listener, StreamSession session) {
        this.settings = settings;
        this.control = control;
        this.listener = listener;
        this.session = session;
        this.quality = new QualityControl(settings.deviceId(), settings.streamName(),
                QualityPreset.fromWireName(preset), settings.custom(), settings.adaptiveBitrate(),
                BitrateController.create(settings.abrController()), this::askChanged);
    }

    /** The camera attached now ({@link CameraControl#OFFLINE} while none is). */
    CameraControl camera() {
        return camera;
    }

    /** What the encoder is asked and why. */
    QualityControl quality() {
        return quality;
    }

    /** {@code next} is attached (any thread): nothing it runs is confirmed yet; it is sent the whole ask. */
    void attach(CameraControl next) {
        camera = next;
        quality.cameraChanged();
        if (next != CameraControl.OFFLINE) {
            onControlThread(() -> {
                if (camera == next) {
                    askWhole();
                }
            });
        }
    }

    /** A quality command (any thread): the preset changes and the whole ask is sent. */
    void setPreset(QualityPreset preset) {
        onControlThread(() -> {
            quality.setPreset(preset);
            askWhole();
        });
    }

    /** Sends the whole ask (control thread). */
    void askWhole() {
        configure(quality.asked(), null);
    }

    /**
     * {@code supports_adaptive}: adaptive bitrate is on, the stream has a bitrate to adapt (not {@code custom}
     * without one), and the camera, when connected, declared it can change its bitrate.
     */
    boolean supportsAdaptive() {
        CameraControl c = camera;
        return settings.adaptiveBitrate() && quality.reading().ceilingBps() > 0
                && (c == CameraControl.OFFLINE || c.canSetBitrate());
    }

    /**
     * One reading of the uplink (control thread, every {@link QualityControl#TICK_MS}): to the bitrate controller
     * while frames flow live to a camera that can change its bitrate.
     */
    void onUplink(StreamOutput.Uplink u) {
        boolean live = u.state() == OutputState.LIVE || u.state() == OutputState.HANDOVER_PENDING
                || u.state() == OutputState.DROPPING_TO_KEYFRAME;
        quality.onUplink(StreamOutput.monotonicMs(), u.backlogMs(), u.deliveredBytes(),
                live && camera.canSetBitrate());
    }

    /**
     * Asks the camera for {@code next} (every field when {@code previous} is null) and notes what it confirmed
     * (unless another camera was attached meanwhile: its ACKs say nothing about the new one).
     */
    private void configure(EncoderSettings next, EncoderSettings previous) {
        CameraControl asked = camera;
        asked.configure(next, previous).thenAccept(settings -> {
            if (camera == asked) {
                quality.confirmed(settings);
            }
        });
    }

    /**
     * The quality control changed the ask: report quality_changed; tell the camera what changed when the uplink
     * or the endpoint moved it (a command's caller sends the whole ask itself).
     */
    private void askChanged(EncoderSettings previous, EncoderSettings next, QualityControl.Reason reason) {
        if (reason != QualityControl.Reason.COMMAND) {
            configure(next, previous);
        }
        listener.qualityChanged(session, previous, next, reason.label());
    }

    /** Runs {@code task} on the control thread; dropped once the agent has shut the thread down. */
    private void onControlThread(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("control thread gone, not sent: {}", e.getMessage());
        }
    }
}
