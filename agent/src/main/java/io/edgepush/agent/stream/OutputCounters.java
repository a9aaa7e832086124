package io.edgepush.agent.stream;

/**
 * Where a {@link StreamOutput} counts what became of the frames offered to it. Called with the output's lock held:
 * implementations must be quick and must not call back into the output.
 */
public interface OutputCounters {
    /** Why a frame was not sent. */
    enum DropReason {
        /** The uplink could not keep up (frame dropping up to the next keyframe). */
        UPLINK,
        /** The frame could not be muxed (a bad NAL unit header or parameter set, no parameter sets yet). */
        CORRUPT
    }

    /** One access unit went out as a coded frame tag. */
    void frameSent();

    /** FLV tag body bytes went out (video, audio, metadata). */
    void bytesSent(long bytes);

    /** One access unit was dropped for {@code reason}. */
    void frameDropped(DropReason reason);
}
