package io.edgepush.agent.quality;

/**
 * One reading of a stream's uplink, taken every {@link QualityControl#TICK_MS} ms while it streams: what a
 * {@link BitrateController} decides from.
 *
 * @param nowMs            monotonic time of the reading, milliseconds
 * @param backlogMs        media time queued on the way to the server, milliseconds: the backlog (sent and not yet
 *                         counted as arrived: our write queue and socket buffers and, through the server's
 *                         acknowledgements, beyond them) less its least over the last 30 s (at most 250 ms),
 *                         which is what the round trip keeps on its way, not a queue (a rising round trip shows)
 * @param deliveryRateBps  bits per second that reached the server: the lesser of the rates over the last 0.5 s
 *                         and 1 s ({@link DeliveryRateMeter}); when the uplink is the bottleneck this is its
 *                         capacity, when it is not it is only what the encoder produced
 * @param deliveredBytes   the running count of bytes that reached the server (the rate's source), for rates over
 *                         spans the controller chooses
 * @param floorBps         the least bitrate the controller may ask, bits per second
 * @param ceilingBps       the most it may ask: the preset's bitrate capped by the endpoint's {@code max_bitrate}
 */
public record LinkSample(long nowMs, long backlogMs, long deliveryRateBps, long deliveredBytes, long floorBps,
                         long ceilingBps) {

    /** {@code bps} clamped to [floor, ceiling]. */
    public long clamp(long bps) {
        return Math.max(floorBps, Math.min(ceilingBps, bps));
    }
}
