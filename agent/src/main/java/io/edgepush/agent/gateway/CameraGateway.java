package io.edgepush.agent.gateway;

import io.edgepush.agent.session.CameraControl;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.Triggers;
import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.ControlSender;
import io.edgepush.bridge.wire.Event;
import io.edgepush.protocol.media.AccessUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where cameras meet sessions: a camera that says HELLO gets its sessions (and {@link Triggers} hears of it:
 * always_on streams start), its access units go to the session of their stream id (through the stream's bitstream
 * motion detector when it has one), its motion EVENTs go to the triggers, and its presence is published. A camera
 * that goes away (USB unplugged, TCP dropped) is published offline and its sessions are paused, not stopped: they keep
 * their state and publish, and continue at the camera's next keyframe when it says HELLO again. One
 * camera's bad frames or disconnect never touch another camera's sessions.
 */
final class CameraGateway implements CameraListener {
    private static final Logger log = LoggerFactory.getLogger(CameraGateway.class);

    /** Publishes {@code devices/{device_id}/status} (DESIGN.md section 3, Presence). */
    interface Presence {
        /**
         * @return completes when the broker acknowledged the retained message; fails (the publisher logs it) when it
         *         could not be sent
         */
        CompletableFuture<Void> deviceOnline(String deviceId, boolean online);
    }

    private final SessionRegistry sessions;
    private final Presence presence;
    private final LinkCameraControl.ControlFailures controlFailures;
    private final Map<String, CameraLink> links = new ConcurrentHashMap<>();
    private final Triggers triggers;
    private final Map<String, Route[]> routes = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /** Where one stream id's access units go: the motion detector's look first (null: none), then the session. */
    private record Route(Triggers.MotionTap tap, StreamSession session) {
    }

    /**
     * @param triggers        told about HELLOs, disconnects and motion EVENTs
     * @param controlFailures told about CONTROLs a camera never acknowledged (control_failed events)
     */
    CameraGateway(SessionRegistry sessions, Presence presence, Triggers triggers,
                  LinkCameraControl.ControlFailures controlFailures) {
        this.sessions = sessions;
        this.presence = presence;
        this.triggers = triggers;
        this.controlFailures = controlFailures;
    }

    @Override
    public void onCameraConnected(CameraLink link) {
        String deviceId = link.deviceId();
        if (closing) {
            log.info("event=camera_refused device_id={} reason=\"the agent is shutting down\"", deviceId);
            link.close();
            return;
        }
        List<SessionRegistry.Entry> entries = sessions.forDevice(deviceId);
        if (entries.isEmpty()) {
            log.warn("event=camera_refused device_id={} reason=\"not in config and accept_unknown_cameras is false\"",
                    deviceId);
            link.close();
            return;
        }
        CameraLink previous = links.put(deviceId, link);
        if (previous != null && previous != link) {
            log.warn("event=camera_replaced device_id={} reason=\"a new connection said HELLO\"", deviceId);
            previous.close(); // its disconnect is ignored (the device has a newer link): end its motion here
            triggers.cameraDisconnected(deviceId);
        }
        Route[] byStreamId = new Route[256];
        for (SessionRegistry.Entry e : entries) {
            Triggers.MotionTap tap = triggers.tap(e.session());
            if (tap != null) {
                tap.reset();
            }
            byStreamId[e.stream().streamId()] = new Route(tap, e.session());
            e.session().attachCamera(new LinkCameraControl(new ControlSender(link), e.stream().streamId(),
                    e.stream().streamName(), controlFailures));
        }
        routes.put(deviceId, byStreamId);
        log.info("event=camera_online device_id={} firmware={} codec={}", deviceId,
                link.hello().firmwareVersion(), link.hello().codec());
        presence.deviceOnline(deviceId, true);
        triggers.cameraConnected(deviceId);
    }

    @Override
    public void onAccessUnit(CameraLink link, int streamId, AccessUnit au) {
        Route[] byStreamId = links.get(link.deviceId()) == link ? routes.get(link.deviceId()) : null;
        Route route = byStreamId == null ? null : byStreamId[streamId];
        if (route == null) {
            au.release();
            return;
        }
        if (route.tap() != null) {
            try {
                route.tap().onAccessUnit(au);
            } catch (RuntimeException e) { // the detector's look must never cost the stream a frame
                log.warn("event=motion_detector_failed device_id={} stream_name={} error=\"{}\"", link.deviceId(),
                        route.session().streamName(), e.toString());
            }
        }
        route.session().onAccessUnit(au);
    }

    @Override
    public void onEvent(CameraLink link, Event event) {
        log.info("event=camera_event device_id={} camera_event={}", link.deviceId(), event);
        if (links.get(link.deviceId()) == link
                && (event.eventType() == Event.MOTION_START || event.eventType() == Event.MOTION_END)) {
            triggers.cameraMotion(link.deviceId(), event.eventType() == Event.MOTION_START,
                    event.timestampUs() / 1000);
        }
    }

    @Override
    public void onCameraDisconnected(CameraLink link, String reason) {
        String deviceId = link.deviceId();
        if (deviceId == null || !links.remove(deviceId, link)) {
            return;
        }
        markOffline(deviceId, reason);
    }

    /** After {@code deviceId}'s link was removed: pauses its sessions and publishes it offline. */
    private CompletableFuture<Void> markOffline(String deviceId, String reason) {
        routes.remove(deviceId);
        for (SessionRegistry.Entry e : sessions.forDevice(deviceId)) {
            e.session().attachCamera(CameraControl.OFFLINE);
        }
        triggers.cameraDisconnected(deviceId);
        log.info("event=camera_offline device_id={} sessions=paused reason=\"{}\"", deviceId, reason);
        return presence.deviceOnline(deviceId, false);
    }

    /** Cameras whose link to the gateway is up now (any thread). */
    int camerasOnline() {
        return links.size();
    }

    /** Publishes online presence again for every connected camera (after an MQTT (re)connect). */
    void republishPresence() {
        links.keySet().forEach(deviceId -> presence.deviceOnline(deviceId, true));
    }

    /**
     * Shutdown (DESIGN.md section 6): refuses cameras from now on, publishes the retained offline presence of every
     * connected camera and closes its link.
     *
     * @return the presence publishes, each completing when the broker acknowledged it (or it failed)
     */
    List<CompletableFuture<Void>> closeAll() {
        closing = true;
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (Map.Entry<String, CameraLink> e : links.entrySet()) {
            if (links.remove(e.getKey(), e.getValue())) {
                published.add(markOffline(e.getKey(), "agent shutting down"));
                e.getValue().close();
            }
        }
        return published;
    }
}
