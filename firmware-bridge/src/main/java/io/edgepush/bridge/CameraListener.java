package io.edgepush.bridge;

import io.edgepush.bridge.wire.Event;
import io.edgepush.protocol.media.AccessUnit;

/**
 * Receives what connected cameras send. All callbacks for one link come from one transport
 * thread, in arrival order, and must not block. An exception thrown by a callback is logged
 * and does not affect the link.
 */
public interface CameraListener {
    /** A camera sent a valid HELLO; {@code link} is usable from now on. */
    default void onCameraConnected(CameraLink link) {
    }

    /**
     * One access unit of stream {@code streamId} (0..255), parsed once where it entered: NAL units, codec, keyframe
     * and reference flags, decode and presentation time in milliseconds on the camera's clock (framed cameras: the
     * capture time; raw Annex B cameras: the arrival time). The listener TAKES OWNERSHIP and must release it
     * exactly once ({@link AccessUnit#release()}), possibly later on another thread. The default releases it.
     */
    default void onAccessUnit(CameraLink link, int streamId, AccessUnit au) {
        au.release();
    }

    /** A camera event (motion start/end, encoder state, error). */
    default void onEvent(CameraLink link, Event event) {
    }

    /**
     * The link ended (transport closed, timeout, replaced by a newer connection, closed by us).
     * Called once, only for links that were reported connected.
     *
     * @param reason human-readable cause, e.g. "heartbeat timeout after 5000 ms"
     */
    default void onCameraDisconnected(CameraLink link, String reason) {
    }
}
