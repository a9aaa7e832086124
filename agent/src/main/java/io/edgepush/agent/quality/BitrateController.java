package io.edgepush.agent.quality;

import io.edgepush.agent.config.AgentConfig;

/**
 * Adaptive bitrate: decides, from readings of the uplink, the bitrate to ask of the camera's encoder. One per
 * stream, fed on the session's control thread; not thread safe.
 */
public interface BitrateController {
    /** A new controller of the configured kind. */
    static BitrateController create(AgentConfig.AbrController kind) {
        return kind == AgentConfig.AbrController.OBS ? new ObsDynamicBitrate() : new EdgeBitrateController();
    }

    /** A stream (re)starts: forget the past and start at {@code startBps} (the ceiling, normally). */
    void reset(long startBps);

    /**
     * One reading of the uplink.
     *
     * @return the bitrate to ask for from now, bits per second, within {@link LinkSample#floorBps()} and
     *     {@link LinkSample#ceilingBps()}
     */
    long onSample(LinkSample sample);
}
