package io.edgepush.bridge;

/**
 * Sequence-number loss of one stream of a camera link (PROTOCOL.md section 2: per-stream u32 sequence
 * numbers), since the link came up. Every frame type sent on the stream id counts (VIDEO, EVENT, HEARTBEAT...).
 *
 * @param sequenceGaps times a frame's sequence number was not the previous one + 1 (mod 2^32)
 * @param framesLost   frames missing according to the sequence numbers (sum of the gap sizes)
 */
public record StreamSequenceStats(long sequenceGaps, long framesLost) {
    /** No loss. */
    public static final StreamSequenceStats NONE = new StreamSequenceStats(0, 0);
}
