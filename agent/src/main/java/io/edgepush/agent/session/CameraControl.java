package io.edgepush.agent.session;

import io.edgepush.protocol.media.VideoCodec;

/**
 * What a session may ask of the camera's encoder over the firmware bridge (CONTROL messages,
 * firmware-bridge/PROTOCOL.md). Calls never block; a camera that is offline ignores them.
 */
public interface CameraControl {
    /** Asks the encoder for an IDR picture now, so a new publish starts without waiting a whole GOP. */
    void requestKeyframe();

    /**
     * Asks the encoder for a preset's resolution, frame rate and bitrate (DESIGN.md section 4).
     *
     * @param width pixels
     * @param height pixels
     * @param fps frames per second
     * @param bitrateBps bits per second
     */
    void applyPreset(int width, int height, int fps, long bitrateBps);

    /** The codec the camera announced in its HELLO (H.264 when it did not say). */
    default VideoCodec codec() {
        return VideoCodec.H264;
    }

    /** A camera that is not connected: every request is dropped. */
    CameraControl OFFLINE = new CameraControl() {
        @Override
        public void requestKeyframe() {
        }

        @Override
        public void applyPreset(int width, int height, int fps, long bitrateBps) {
        }
    };
}
