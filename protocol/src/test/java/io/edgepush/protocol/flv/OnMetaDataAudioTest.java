package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** onMetaData (FLV spec E.5) with the audio keys of an AAC track; AMF0 bytes encoded by hand. */
class OnMetaDataAudioTest {

    @Test
    void audioKeysFollowVideocodecidAndPrecedeEncoder() {
        OnMetaData meta = new OnMetaData(1280, 720, 30.0, 2000.0, "ep", new FlvVideoMuxer.Audio(44100, 16, false, 2.0));
        String expected = "02 00 0A 6F 6E 4D 65 74 61 44 61 74 61"                        // "onMetaData"
                + " 08 00 00 00 0C"                                                          // ECMA array, 12
                + " 00 08 64 75 72 61 74 69 6F 6E 00 00 00 00 00 00 00 00 00"
                + " 00 05 77 69 64 74 68 00 40 94 00 00 00 00 00 00"
                + " 00 06 68 65 69 67 68 74 00 40 86 80 00 00 00 00 00"
                + " 00 0D 76 69 64 65 6F 64 61 74 61 72 61 74 65 00 40 9F 40 00 00 00 00 00"
                + " 00 09 66 72 61 6D 65 72 61 74 65 00 40 3E 00 00 00 00 00 00"
                + " 00 0C 76 69 64 65 6F 63 6F 64 65 63 69 64 00 40 1C 00 00 00 00 00 00"
                + " 00 0D 61 75 64 69 6F 64 61 74 61 72 61 74 65 00 40 00 00 00 00 00 00 00"       // 2.0
                + " 00 0F 61 75 64 69 6F 73 61 6D 70 6C 65 72 61 74 65 00 40 E5 88 80 00 00 00 00" // 44100.0
                + " 00 0F 61 75 64 69 6F 73 61 6D 70 6C 65 73 69 7A 65 00 40 30 00 00 00 00 00 00" // 16.0
                + " 00 06 73 74 65 72 65 6F 01 00"                                           // stereo false
                + " 00 0C 61 75 64 69 6F 63 6F 64 65 63 69 64 00 40 24 00 00 00 00 00 00"    // 10.0
                + " 00 07 65 6E 63 6F 64 65 72 02 00 02 65 70"
                + " 00 00 09";
        assertEquals(hex(expected), written(meta::writeFlvScriptTag));
    }

    @Test
    void videoOnlyConstructorHasNoAudio() {
        assertEquals(null, new OnMetaData(640, 480, 25, 0, "e").audio());
        assertEquals(7, new OnMetaData(640, 480, 25, 0, "e").properties().size());
    }

    @Test
    void invalidAudioFieldsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FlvVideoMuxer.Audio(0, 16, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new FlvVideoMuxer.Audio(44100, 12, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new FlvVideoMuxer.Audio(44100, 16, false, -1));
        assertThrows(IllegalArgumentException.class, () -> new FlvVideoMuxer.Audio(44100, 16, false, Double.NaN));
    }
}
