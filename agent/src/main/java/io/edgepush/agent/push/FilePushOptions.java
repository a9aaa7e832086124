package io.edgepush.agent.push;

import io.edgepush.protocol.media.VideoCodec;
import java.nio.file.Path;

/**
 * Settings of one {@link FileSource} (the {@code agent push} command). Start from {@link #of} and add what the
 * push needs with the {@code with...} copies.
 *
 * @param fps              frame rate used for timestamps and real-time pacing, frames per second, in (0, 1000]
 * @param fast             true to send as fast as the connection takes instead of in real time
 * @param recordFile       where to write a local .flv copy of the stream (created or truncated), or null for none
 * @param codec            the codec of the input file (not null)
 * @param silentAudio      true to add a silent AAC-LC audio track (for ingests that require audio)
 * @param firstTimestampMs TEST SEAM, not a production option (no CLI flag): the stream clock starts at this value
 *                         (unsigned 32 bit, milliseconds) instead of 0, so a test can push across the 24-bit
 *                         timestamp boundary (0xFFFFFF ms = 4 h 39 min, Adobe RTMP spec 5.3.1.3 extended
 *                         timestamps) or the 32-bit wrap without streaming for hours. Every tag's timestamp is
 *                         {@code firstTimestampMs + dts} modulo 2^32; pacing still starts at 0.
 */
record FilePushOptions(double fps, boolean fast, Path recordFile, VideoCodec codec, boolean silentAudio,
                              int firstTimestampMs) {

    /**
     * Validates fps and codec.
     *
     * @throws IllegalArgumentException if fps is not in (0, 1000] or codec is null
     */
    public FilePushOptions {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
    }

    /** H.264, no recording, no audio, clock from 0. */
    public static FilePushOptions of(double fps, boolean fast) {
        return new FilePushOptions(fps, fast, null, VideoCodec.H264, false, 0);
    }

    /** A copy that also writes the stream to {@code file} (null: no recording). */
    public FilePushOptions withRecordFile(Path file) {
        return new FilePushOptions(fps, fast, file, codec, silentAudio, firstTimestampMs);
    }

    /** A copy for input of another codec. */
    public FilePushOptions withCodec(VideoCodec videoCodec) {
        return new FilePushOptions(fps, fast, recordFile, videoCodec, silentAudio, firstTimestampMs);
    }

    /** A copy with the silent AAC-LC track on or off. */
    public FilePushOptions withSilentAudio(boolean on) {
        return new FilePushOptions(fps, fast, recordFile, codec, on, firstTimestampMs);
    }

    /** TEST SEAM: a copy whose stream clock starts at {@code timestampMs} (see {@link #firstTimestampMs}). */
    public FilePushOptions withFirstTimestampMs(int timestampMs) {
        return new FilePushOptions(fps, fast, recordFile, codec, silentAudio, timestampMs);
    }
}
