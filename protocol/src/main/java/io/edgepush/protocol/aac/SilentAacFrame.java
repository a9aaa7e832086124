package io.edgepush.protocol.aac;

import io.netty.buffer.ByteBuf;

/**
 * One AAC-LC access unit (raw_data_block, ISO/IEC 14496-3 4.4.2.1) that decodes to 1024 samples of silence on
 * one channel (channelConfiguration 1), at any sampling frequency, and the AudioSpecificConfig a decoder needs
 * before it: the aac package's door for a silent track (the AudioSpecificConfig builder is package-private).
 *
 * <p>Where the bytes come from: {@code ffmpeg -f lavfi -i anullsrc=r=44100:cl=mono -c:a aac -b:a 32k -f adts}
 * (FFmpeg 5.1 native AAC encoder) writes, after its first frame (which carries an encoder-name fill element),
 * ADTS frames {@code FF F1 50 40 01 7F FC 01 18 20 07}: a 7-byte ADTS header (protection_absent = 1,
 * frame_length 11) and the 4-byte raw_data_block {@code 01 18 20 07} kept here. A run of them, re-wrapped in
 * ADTS, decodes with FFmpeg without a single error to all-zero PCM at 44100 and 48000 Hz (see SilentAacFrameTest).
 *
 * <p>Checked by hand against the syntax of 14496-3 (4.4.2.1 raw_data_block, 4.4.2.2 single_channel_element,
 * 4.4.2.7 individual_channel_stream, 4.4.2.1 ics_info), bits in order:
 * <pre>
 * 000        id_syn_ele = ID_SCE (single channel element)
 * 0000       element_instance_tag = 0
 * 10001100   global_gain = 140 (irrelevant: no scale factor band carries a coefficient)
 * 0          ics_reserved_bit
 * 00         window_sequence = ONLY_LONG_SEQUENCE
 * 1          window_shape = KBD
 * 000000     max_sfb = 0: no section_data, no scale_factor_data, no spectral_data
 * 0          predictor_data_present (must be 0 for AAC LC)
 * 0 0 0      pulse_data_present, tns_data_present, gain_control_data_present
 * 111        id_syn_ele = ID_END
 * </pre>
 * 32 bits, so the block ends byte-aligned with no padding bits.
 */
public final class SilentAacFrame {

    /** Audio samples per channel in one AAC-LC frame (frameLengthFlag 0). */
    public static final int SAMPLES_PER_FRAME = 1024;

    private static final byte[] MONO = {0x01, 0x18, 0x20, 0x07};

    private SilentAacFrame() {
    }

    /** Length of the AudioSpecificConfig these frames need ({@link #writeAudioSpecificConfig}): 2 bytes. */
    public static final int AUDIO_SPECIFIC_CONFIG_LENGTH = AudioSpecificConfig.LENGTH;

    /**
     * Appends the AudioSpecificConfig (1.6.2.1) a decoder needs before these frames: AAC-LC, one channel
     * (channelConfiguration 1), at {@code sampleRateHz}; e.g. {@code 0x12 0x08} at 44100 Hz. Borrows {@code out}.
     *
     * @param sampleRateHz a rate of table 1.18, e.g. 44100 or 48000
     * @throws IllegalArgumentException for a rate without a samplingFrequencyIndex ({@code out} unchanged)
     */
    public static void writeAudioSpecificConfig(ByteBuf out, int sampleRateHz) {
        AudioSpecificConfig.writeAacLc(out, sampleRateHz, 1);
    }

    /** @return the length of the mono raw_data_block in bytes (4) */
    public static int monoLength() {
        return MONO.length;
    }

    /** @return a new copy of the mono raw_data_block bytes */
    public static byte[] mono() {
        return MONO.clone();
    }

    /** Appends the mono raw_data_block to {@code out}. Borrows {@code out}. */
    public static void writeMono(ByteBuf out) {
        out.writeBytes(MONO);
    }
}
