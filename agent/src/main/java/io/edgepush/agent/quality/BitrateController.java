package io.edgepush.agent.quality;

import java.util.Locale;

/**
 * Adaptive bitrate: decides, from readings of the uplink, the bitrate to ask of the camera's encoder. One per
 * stream, fed on the session's control thread; not thread safe.
 */
public interface BitrateController {
    /** The implementations, by their {@code streaming.abr_controller} config name. */
    enum Kind {
        /** {@link EdgeBitrateController}, the default. */
        EDGE,
        /** {@link ObsDynamicBitrate}, OBS Studio's dynamic bitrate as published, for comparison. */
        OBS;

        /** The config name: {@code edge} or {@code obs}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the valid values */
        public static Kind fromWireName(String name) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown abr_controller \"" + name + "\" (valid: edge, obs)");
        }

        /** A new controller of this kind. */
        public BitrateController create() {
            return this == EDGE ? new EdgeBitrateController() : new ObsDynamicBitrate();
        }
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
