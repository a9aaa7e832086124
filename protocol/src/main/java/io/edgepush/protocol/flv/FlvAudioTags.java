package io.edgepush.protocol.flv;

import io.netty.buffer.ByteBuf;

/**
 * Builds FLV AUDIODATA bodies for AAC (Adobe FLV spec v10.1, E.4.2.1 AUDIODATA and E.4.2.2 AACAUDIODATA).
 *
 * <p>Layout: one byte SoundFormat (UB[4], 10 = AAC) | SoundRate (UB[2], 3 = 44 kHz) | SoundSize (UB[1],
 * 1 = 16 bit) | SoundType (UB[1], 1 = stereo), then AACPacketType (0 = sequence header holding the
 * AudioSpecificConfig, 1 = one raw AAC frame), then the data. The spec says SoundRate and SoundType are always
 * 3 and 1 for AAC: the decoder takes the real rate and channels from the AudioSpecificConfig. So every AAC body
 * starts with {@code 0xAF}. The same body is an RTMP audio message payload (Adobe RTMP spec 7.1.4, type 8).
 *
 * <p>All methods append to {@code out} and <b>borrow</b> it and every input buffer: the caller keeps ownership,
 * and the input buffers' reader indexes are not moved.
 */
final class FlvAudioTags {

    /** SoundFormat 10 = AAC (E.4.2.1). */
    public static final int SOUND_FORMAT_AAC = 10;
    /** First byte of every AAC AUDIODATA: SoundFormat 10, SoundRate 3, SoundSize 1, SoundType 1. */
    public static final int AAC_HEADER_BYTE = SOUND_FORMAT_AAC << 4 | 3 << 2 | 1 << 1 | 1;
    /** AACPacketType 0: AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). */
    public static final int AAC_SEQUENCE_HEADER = 0;
    /** AACPacketType 1: one raw AAC frame (raw_data_block). */
    public static final int AAC_RAW = 1;

    private FlvAudioTags() {
    }

    /**
     * Writes 0xAF 0x00 followed by the AudioSpecificConfig as is. Borrows {@code out} and
     * {@code audioSpecificConfig} (its readable bytes are copied).
     *
     * @throws IllegalArgumentException if the config has no readable bytes ({@code out} unchanged)
     */
    public static void writeAacSequenceHeader(ByteBuf out, ByteBuf audioSpecificConfig) {
        write(out, AAC_SEQUENCE_HEADER, audioSpecificConfig, "AudioSpecificConfig");
    }

    /**
     * Writes 0xAF 0x01 followed by one raw AAC frame (a raw_data_block, no ADTS header). Borrows {@code out} and
     * {@code rawFrame} (its readable bytes are copied).
     *
     * @throws IllegalArgumentException if the frame has no readable bytes ({@code out} unchanged)
     */
    public static void writeAacRaw(ByteBuf out, ByteBuf rawFrame) {
        write(out, AAC_RAW, rawFrame, "raw AAC frame");
    }

    private static void write(ByteBuf out, int aacPacketType, ByteBuf data, String what) {
        int length = data.readableBytes();
        if (length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        out.ensureWritable(2 + length);
        out.writeByte(AAC_HEADER_BYTE);
        out.writeByte(aacPacketType);
        out.writeBytes(data, data.readerIndex(), length);
    }
}
