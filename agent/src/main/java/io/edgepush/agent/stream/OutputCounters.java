package io.edgepush.agent.stream;

/**
 * Where a {@link StreamOutput} counts what became of the frames offered to it. Called with the output's lock held:
 * implementations must be quick and must not call back into the output.
 */
public interface OutputCounters {
    /** Why a frame was not sent. */
    enum DropReason {
        /**
         * The uplink fell behind: above the target latency (or with the connection's write queue full) every
         * picture up to the next IDR is dropped.
         */
        UPLINK,
        /** The uplink fell behind by more than half the target latency: a non-reference picture was dropped. */
        UPLINK_NON_REFERENCE,
        /** A publish waited for a keyframe (nothing usable buffered, or the source restarted): not decodable. */
        WAITING_FOR_KEYFRAME,
        /** The frame could not be muxed (a bad NAL unit header or parameter set, no parameter sets yet). */
        CORRUPT,
        /**
         * The frame came while no publish was attached (an outage, before a start) and left the GOP buffer unsent, or
         * came before the keyframe a publish started at.
         */
        NOT_PUBLISHED;

        /** The name in JSON and logs, e.g. {@code uplink_non_reference}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One access unit went out as a coded frame tag. */
    void frameSent();

    /** FLV tag body bytes went out (video, audio, metadata). */
    void bytesSent(long bytes);

    /**
     * One frame's RTMP message was handed to the socket {@code addedLatencyNanos} after the frame entered the gateway
     * ({@link AddedLatency}). Called on the connection's event loop, without the output's lock: must be thread-safe.
     */
    default void frameWritten(long addedLatencyNanos) {
    }

    /** One access unit was dropped for {@code reason}. */
    void frameDropped(DropReason reason);

    /** {@code count} access units were dropped for {@code reason}. */
    default void framesDropped(DropReason reason, long count) {
        for (long i = 0; i < count; i++) {
            frameDropped(reason);
        }
    }

    /** One access unit was offered to the output ({@link FrameLedger}). */
    default void frameReceived() {
    }

    /**
     * {@code count} access units went out again: a new publish's start burst repeated frames already counted as sent
     * or dropped (they are in {@link #frameSent()} too).
     */
    default void framesResent(long count) {
    }

    /** A new run of counters began (a start): {@code carriedOver} buffered frames not yet sent count as received. */
    default void restartReceived(long carriedOver) {
    }
}
