package io.edgepush.bridge;

/**
 * Counters of one camera link since it came up (snapshot).
 *
 * @param framesDecoded     valid frames received
 * @param bytesSkipped      bytes discarded while resynchronising
 * @param crcErrors         header or frame CRC mismatches
 * @param oversizeFrames    frames refused because their length exceeded the maximum
 * @param malformedMessages frames with a valid CRC whose payload was malformed (dropped)
 * @param videoBeforeHello  VIDEO frames dropped because no HELLO had arrived yet
 * @param sequenceGaps      times a stream's sequence number was not previous + 1
 * @param framesLost        frames missing according to the sequence numbers
 * @param keyframeFlagMismatches VIDEO frames whose keyframe flag disagreed with their NAL unit types (the types
 *                          win: an IDR/IRAP picture is a keyframe whatever the flag says)
 */
public record CameraLinkStats(long framesDecoded, long bytesSkipped, long crcErrors, long oversizeFrames,
                              long malformedMessages, long videoBeforeHello, long sequenceGaps, long framesLost,
                              long keyframeFlagMismatches) {
}
