package io.edgepush.simulator.camera;

/**
 * Faults a simulated serial camera injects into its own link (issue 4 item 8), to exercise the gateway's
 * resynchronisation and hot-plug handling. All zero = a clean link.
 *
 * @param garbageBytes    random bytes written before every VIDEO frame (0 = none)
 * @param cutEvery        every Nth VIDEO frame is written only up to half its bytes (its sequence number is
 *                        used, so the gateway counts it lost); 0 = never
 * @param reopenEverySec  close the port every this many seconds (the camera reopens it like after a
 *                        reset); 0 = never
 */
public record SerialFaults(int garbageBytes, int cutEvery, int reopenEverySec) {
    /** No faults. */
    public static final SerialFaults NONE = new SerialFaults(0, 0, 0);

    public SerialFaults {
        if (garbageBytes < 0 || cutEvery < 0 || reopenEverySec < 0) {
            throw new IllegalArgumentException("fault settings must be >= 0, got garbage bytes " + garbageBytes
                    + ", cut every " + cutEvery + ", reopen every " + reopenEverySec + " s");
        }
    }
}
