package io.edgepush.bridge.transport;

import io.edgepush.bridge.wire.WireCodec;
import java.time.Duration;

/**
 * Gateway-side link settings (PROTOCOL.md sections 2.1 and 4). The transports' public constructors use
 * {@link #defaults()}; tests in this package pass shorter timeouts.
 *
 * @param maxPayloadBytes   largest accepted payload, at most 2 MiB
 * @param helloTimeout      close a link that sends no HELLO within this (TCP)
 * @param idleTimeout       close a link that sends no valid frame within this
 * @param heartbeatInterval gateway HEARTBEAT period
 * @param controlTimeout    default wait for an ACK
 */
record BridgeOptions(int maxPayloadBytes, Duration helloTimeout, Duration idleTimeout,
                     Duration heartbeatInterval, Duration controlTimeout) {
    public BridgeOptions {
        if (maxPayloadBytes < 1 || maxPayloadBytes > WireCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes must be 1.." + WireCodec.MAX_PAYLOAD_BYTES);
        }
        for (Duration d : new Duration[] {helloTimeout, idleTimeout, heartbeatInterval, controlTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    /** 2 MiB, HELLO within 5 s, 5 s idle, heartbeat every 2 s, ACK within 2 s. */
    static BridgeOptions defaults() {
        return new BridgeOptions(WireCodec.MAX_PAYLOAD_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    /** A copy with another default ACK timeout. */
    BridgeOptions withControlTimeout(Duration timeout) {
        return new BridgeOptions(maxPayloadBytes, helloTimeout, idleTimeout, heartbeatInterval, timeout);
    }
}
