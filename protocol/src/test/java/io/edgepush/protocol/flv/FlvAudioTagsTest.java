package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.buf;
import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** AUDIODATA / AACAUDIODATA bodies, FLV spec v10.1 E.4.2.1 and E.4.2.2; expected bytes written by hand. */
class FlvAudioTagsTest {

    @Test
    void headerByteIsAacAt44kHz16BitStereo() {
        // SoundFormat 1010 | SoundRate 11 | SoundSize 1 | SoundType 1 = 1010 1111
        assertEquals(0xAF, FlvAudioTags.AAC_HEADER_BYTE);
    }

    @Test
    void sequenceHeaderIsAf00ThenTheAudioSpecificConfig() {
        ByteBuf config = buf("12 08");
        try {
            assertEquals(hex("AF 00 12 08"), written(out -> FlvAudioTags.writeAacSequenceHeader(out, config)));
            assertEquals(0, config.readerIndex(), "config is borrowed, reader index unchanged");
        } finally {
            config.release();
        }
    }

    @Test
    void rawFrameIsAf01ThenTheFrame() {
        ByteBuf frame = buf("01 18 20 07");
        try {
            assertEquals(hex("AF 01 01 18 20 07"), written(out -> FlvAudioTags.writeAacRaw(out, frame)));
            assertEquals(0, frame.readerIndex(), "frame is borrowed, reader index unchanged");
        } finally {
            frame.release();
        }
    }

    @Test
    void emptyConfigOrFrameIsRejectedAndNothingIsWritten() {
        ByteBuf empty = buf("");
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> FlvAudioTags.writeAacSequenceHeader(out, empty));
            assertThrows(IllegalArgumentException.class, () -> FlvAudioTags.writeAacRaw(out, empty));
            assertEquals(0, out.writerIndex());
        } finally {
            empty.release();
            out.release();
        }
    }
}
