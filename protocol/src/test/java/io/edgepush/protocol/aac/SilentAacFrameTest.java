package io.edgepush.protocol.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.HexBytes;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The silent raw_data_block: its bits against the ISO/IEC 14496-3 syntax, and a run of them decoded by FFmpeg
 * (the independent judge) without errors to all-zero samples.
 */
class SilentAacFrameTest {

    /** 1.6.2.1: audioObjectType 2 (00010), samplingFrequencyIndex 4 (0100), channelConfiguration 1 (0001), 000. */
    @Test
    void audioSpecificConfigIsAacLcMonoAtTheRate() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            SilentAacFrame.writeAudioSpecificConfig(out, 44100);
            assertEquals(SilentAacFrame.AUDIO_SPECIFIC_CONFIG_LENGTH, out.readableBytes());
            assertEquals("1208", ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    @Test
    void bitsAreAnEmptySingleChannelElementThenEnd() {
        long bits = 0;
        int n = 0;
        int[][] fields = {
            {0, 3},    // id_syn_ele ID_SCE (4.4.2.1, table 4.85)
            {0, 4},    // element_instance_tag
            {140, 8},  // global_gain (4.4.2.7)
            {0, 1},    // ics_reserved_bit (4.4.2.1 ics_info)
            {0, 2},    // window_sequence ONLY_LONG_SEQUENCE
            {1, 1},    // window_shape KBD
            {0, 6},    // max_sfb 0: no sections, scale factors or spectral data follow
            {0, 1},    // predictor_data_present
            {0, 1},    // pulse_data_present
            {0, 1},    // tns_data_present
            {0, 1},    // gain_control_data_present
            {7, 3},    // id_syn_ele ID_END
        };
        for (int[] f : fields) {
            bits = bits << f[1] | f[0];
            n += f[1];
        }
        assertEquals(32, n, "byte-aligned without padding");
        byte[] expected = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        assertArrayEquals(expected, SilentAacFrame.mono());
        assertArrayEquals(HexBytes.bytes("01 18 20 07"), SilentAacFrame.mono());
        assertEquals(4, SilentAacFrame.monoLength());
    }

    @Test
    void writeMonoAppendsTheBlockAndCopiesAreIndependent() {
        byte[] copy = SilentAacFrame.mono();
        copy[0] = 0x55;
        assertEquals(HexBytes.hex("AA 01 18 20 07"), HexBytes.written(out -> {
            out.writeByte(0xAA);
            SilentAacFrame.writeMono(out);
        }));
    }

    /**
     * 430 frames (10 s at 44.1 kHz) in ADTS (14496-3 1.A.2.2): syncword FFF, MPEG-4, layer 0, no CRC; profile 1
     * (LC), the rate's index, private 0, channel configuration 1, four 0 bits, frame_length 11 (7 + 4), buffer
     * fullness 0x7FF (VBR), one raw data block.
     */
    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"44100, FF F1 50 40 01 7F FC", "48000, FF F1 4C 40 01 7F FC"})
    void aRunOfFramesDecodesWithoutErrorsToSilence(int rateHz, String adtsHeader, @TempDir Path dir)
            throws IOException {
        Path ffmpeg = Peers.require("ffmpeg");
        Path ffprobe = Peers.require("ffprobe");
        int frames = 430;
        ByteArrayOutputStream adts = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            adts.writeBytes(HexBytes.bytes(adtsHeader));
            adts.writeBytes(SilentAacFrame.mono());
        }
        Path in = dir.resolve("silence.aac");
        Files.write(in, adts.toByteArray());
        Path pcm = dir.resolve("silence.s16");

        Processes.Result decode = Processes.run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-i",
                in.toString(), "-f", "s16le", pcm.toString()));
        assertEquals("", decode.stderr().strip(), "ffmpeg decode errors");
        assertEquals(0, decode.exitCode());
        byte[] samples = Files.readAllBytes(pcm);
        assertEquals(frames * SilentAacFrame.SAMPLES_PER_FRAME * 2, samples.length, "16-bit mono samples");
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] != 0) {
                throw new AssertionError("sample byte " + i + " is " + samples[i] + ", expected silence");
            }
        }
        String stream = Processes.run(List.of(ffprobe.toString(), "-v", "error", "-show_entries",
                "stream=codec_name,profile,sample_rate,channels", "-of", "default=nw=1", in.toString()))
                .requireSuccess().stdout();
        assertTrue(stream.contains("codec_name=aac") && stream.contains("profile=LC")
                && stream.contains("sample_rate=" + rateHz) && stream.contains("channels=1"), stream);
    }

    @Test
    void configAndFrameAgreeOnMono() {
        ByteBuf config = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            AudioSpecificConfig.writeAacLc(config, 44100, 1);
            // channelConfiguration (bits 9..12) = 1: the frame holds exactly one SCE
            assertEquals(1, (config.getUnsignedShort(0) >>> 3) & 0xF, ByteBufUtil.hexDump(config));
        } finally {
            config.release();
        }
    }
}
