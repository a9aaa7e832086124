package io.edgepush.protocol.aac;

import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** ISO/IEC 14496-3 1.6.2.1 AudioSpecificConfig + 4.4.1 GASpecificConfig; expected bits assembled by hand. */
class AudioSpecificConfigTest {

    @Test
    void aacLc44100MonoIs1208() {
        // 00010 (AOT 2) | 0100 (index 4 = 44100) | 0001 (mono) | 0 0 0 -> 0001 0010 0000 1000
        assertEquals(hex("12 08"), written(out -> AudioSpecificConfig.writeAacLc(out, 44100, 1)));
    }

    @Test
    void aacLc48000MonoIs1188() {
        // 00010 | 0011 (index 3 = 48000) | 0001 | 000 -> 0001 0001 1000 1000
        assertEquals(hex("11 88"), written(out -> AudioSpecificConfig.writeAacLc(out, 48000, 1)));
    }

    @Test
    void aacLc44100StereoIs1210() {
        // 00010 | 0100 | 0010 (stereo) | 000 -> 0001 0010 0001 0000
        assertEquals(hex("12 10"), written(out -> AudioSpecificConfig.writeAacLc(out, 44100, 2)));
    }

    @Test
    void samplingFrequencyIndexFollowsTable118() {
        assertEquals(0, AudioSpecificConfig.samplingFrequencyIndex(96000));
        assertEquals(3, AudioSpecificConfig.samplingFrequencyIndex(48000));
        assertEquals(4, AudioSpecificConfig.samplingFrequencyIndex(44100));
        assertEquals(11, AudioSpecificConfig.samplingFrequencyIndex(8000));
        assertEquals(12, AudioSpecificConfig.samplingFrequencyIndex(7350));
    }

    @Test
    void rateOutsideTheTableIsRejectedAndNothingIsWritten() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AudioSpecificConfig.writeAacLc(out, 44000, 1));
            assertTrue(e.getMessage().contains("44000 Hz"), e.getMessage());
            assertEquals(0, out.writerIndex());
        } finally {
            out.release();
        }
    }

    @Test
    void channelConfigurationOutsideOneToSevenIsRejectedAndNothingIsWritten() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            for (int channels : new int[] {0, 8, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> AudioSpecificConfig.writeAacLc(out, 44100, channels));
                assertTrue(e.getMessage().contains("channelConfiguration"), e.getMessage());
            }
            assertEquals(0, out.writerIndex());
        } finally {
            out.release();
        }
    }
}
