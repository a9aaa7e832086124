package io.edgepush.agent.gateway;

import io.edgepush.agent.session.CameraControl;
import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.wire.Control;
import io.edgepush.bridge.wire.ControlOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CameraControl} over a connected camera's link: CONTROL messages answered by ACK
 * (firmware-bridge/PROTOCOL.md). A control that is not acknowledged is logged, never thrown.
 */
final class LinkCameraControl implements CameraControl {
    private static final Logger log = LoggerFactory.getLogger(LinkCameraControl.class);

    private final CameraLink link;
    private final int streamId;

    LinkCameraControl(CameraLink link, int streamId) {
        this.link = link;
        this.streamId = streamId;
    }

    @Override
    public void requestKeyframe() {
        send(ControlOp.FORCE_IDR, 0);
    }

    @Override
    public void applyPreset(int width, int height, int fps, long bitrateBps) {
        if (width > 0 && height > 0) {
            send(ControlOp.SET_RESOLUTION, Control.resolution(width, height));
        }
        if (fps > 0) {
            send(ControlOp.SET_FPS, fps);
        }
        if (bitrateBps > 0) {
            send(ControlOp.SET_BITRATE, bitrateBps);
        }
    }

    private void send(ControlOp op, long value) {
        link.sendControl(op, value, streamId).whenComplete((ack, err) -> {
            if (err != null) {
                log.warn("event=control_failed device_id={} stream_id={} op={} error=\"{}\"",
                        link.deviceId(), streamId, op, err.getMessage());
            } else if (!ack.ok()) {
                log.warn("event=control_refused device_id={} stream_id={} op={} status={}",
                        link.deviceId(), streamId, op, ack.status());
            }
        });
    }
}
