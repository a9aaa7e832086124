package io.edgepush.protocol.aac;

import io.netty.buffer.ByteBuf;

/**
 * Builds the AudioSpecificConfig of an AAC-LC stream (ISO/IEC 14496-3, 1.6.2.1 AudioSpecificConfig and 4.4.1
 * GASpecificConfig): the two bytes a decoder needs before the first raw AAC frame. In FLV/RTMP they are the body
 * of the AAC sequence header (FLV spec v10.1 E.4.2.2, AACPacketType 0).
 *
 * <p>Bit layout (16 bits, most significant first): audioObjectType UB[5] = 2 (AAC LC), samplingFrequencyIndex
 * UB[4] (table 1.18: 0 = 96000 ... 3 = 48000, 4 = 44100 ... 11 = 8000 Hz), channelConfiguration UB[4] (1 = mono,
 * 2 = stereo, ... 7), then GASpecificConfig: frameLengthFlag 0 (1024-sample frames), dependsOnCoreCoder 0,
 * extensionFlag 0. Example: 44100 Hz mono is {@code 0x12 0x08}.
 */
final class AudioSpecificConfig {

    /** audioObjectType 2: AAC LC (low complexity), table 1.17. */
    public static final int AOT_AAC_LC = 2;
    /** Encoded length of the AAC-LC AudioSpecificConfig in bytes. */
    public static final int LENGTH = 2;

    /** Sampling frequencies by samplingFrequencyIndex 0..12 (ISO/IEC 14496-3 table 1.18). */
    private static final int[] SAMPLING_FREQUENCIES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    private AudioSpecificConfig() {
    }

    /**
     * @param sampleRateHz one of the 13 rates of table 1.18 (96000 .. 7350)
     * @return its samplingFrequencyIndex, 0..12
     * @throws IllegalArgumentException for any other rate (the escape value 0xF with an explicit 24-bit rate is
     *                                  not produced: players of RTMP ingests do not expect it)
     */
    public static int samplingFrequencyIndex(int sampleRateHz) {
        for (int i = 0; i < SAMPLING_FREQUENCIES.length; i++) {
            if (SAMPLING_FREQUENCIES[i] == sampleRateHz) {
                return i;
            }
        }
        throw new IllegalArgumentException("AAC sampling frequency " + sampleRateHz
                + " Hz has no samplingFrequencyIndex (ISO/IEC 14496-3 table 1.18)");
    }

    /**
     * Appends the 2-byte AAC-LC AudioSpecificConfig to {@code out}. Borrows {@code out}.
     *
     * @param sampleRateHz          a rate of table 1.18, e.g. 44100 or 48000
     * @param channelConfiguration  1..7 (1 = mono, 2 = stereo; table 1.19)
     * @throws IllegalArgumentException on an unsupported rate or channel configuration ({@code out} unchanged)
     */
    public static void writeAacLc(ByteBuf out, int sampleRateHz, int channelConfiguration) {
        int frequencyIndex = samplingFrequencyIndex(sampleRateHz);
        if (channelConfiguration < 1 || channelConfiguration > 7) {
            throw new IllegalArgumentException("AAC channelConfiguration must be 1..7 (ISO/IEC 14496-3 table 1.19),"
                    + " got " + channelConfiguration);
        }
        // 5 + 4 + 4 bits, then the three GASpecificConfig flags (all 0) fill the low 3 bits.
        int bits = AOT_AAC_LC << 11 | frequencyIndex << 7 | channelConfiguration << 3;
        out.writeShort(bits);
    }
}
