package io.edgepush.simulator.camera;

import java.util.Random;
import java.util.function.UnaryOperator;

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

    /**
     * The VIDEO fault hook of one serial connection (for the bridge's serial camera client): garbage before every
     * encoded VIDEO frame and every Nth frame cut to half its bytes. Fresh state per connection; the same random
     * bytes every run.
     */
    UnaryOperator<byte[]> videoFault() {
        if (garbageBytes == 0 && cutEvery == 0) {
            return UnaryOperator.identity();
        }
        Random random = new Random(1);
        long[] videoFrames = {0};
        return frame -> {
            videoFrames[0]++;
            boolean cut = cutEvery > 0 && videoFrames[0] % cutEvery == 0;
            byte[] out = new byte[garbageBytes + (cut ? frame.length / 2 : frame.length)];
            byte[] garbage = new byte[garbageBytes];
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, out, 0, garbageBytes);
            System.arraycopy(frame, 0, out, garbageBytes, out.length - garbageBytes);
            return out;
        };
    }
}
