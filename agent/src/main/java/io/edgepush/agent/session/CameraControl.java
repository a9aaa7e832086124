package io.edgepush.agent.session;

import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * What a session may ask of the camera's encoder over the firmware bridge (CONTROL messages,
 * firmware-bridge/PROTOCOL.md). Calls never block; a camera that is offline ignores them.
 */
public interface CameraControl {
    /** Asks the encoder for an IDR picture now, so a new publish starts without waiting a whole GOP. */
    void requestKeyframe();

    /**
     * Asks the encoder for {@code next}: SET_RESOLUTION, SET_FPS and SET_BITRATE for each asked field (non-zero)
     * that differs from {@code previous} (every asked field when {@code previous} is null) and that the camera
     * declared it can change (HELLO capabilities), then FORCE_IDR when the resolution changed (a new size needs new SPS/PPS, and the sooner the IDR, the sooner the old size stops
     * costing the uplink).
     *
     * @return completes with what the camera confirmed: each field from its ACK's applied value, the asked value
     *     when the ACK is OK without one, 0 where it refused, did not answer or was not asked; never fails
     */
    CompletableFuture<EncoderSettings> configure(EncoderSettings next, EncoderSettings previous);

    /** True when the camera declared it can change its bitrate (HELLO capability SET_BITRATE). */
    default boolean canSetBitrate() {
        return false;
    }

    /** The codec the camera announced in its HELLO (H.264 when it did not say). */
    default VideoCodec codec() {
        return VideoCodec.H264;
    }

    /**
     * The Netty event loop whose thread delivers this camera's access units, or null when none does (a serial link,
     * a camera that is offline). The session opens its RTMP publish on this loop, so a frame goes from the camera's
     * socket to the server's on one thread, with no hand-over and no wake-up of another thread per frame.
     */
    default EventLoop eventLoop() {
        return null;
    }

    /** A camera that is not connected: every request is dropped. */
    CameraControl OFFLINE = new CameraControl() {
        @Override
        public void requestKeyframe() {
        }

        @Override
        public CompletableFuture<EncoderSettings> configure(EncoderSettings next, EncoderSettings previous) {
            return CompletableFuture.completedFuture(EncoderSettings.NONE);
        }
    };
}
