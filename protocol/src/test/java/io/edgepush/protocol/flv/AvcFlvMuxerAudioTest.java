package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The muxer followed by a {@link SilentAudioTrack}: onMetaData carries the audio keys, tags interleave by time. */
class AvcFlvMuxerAudioTest {

    @Test
    void muxerWithSilentTrackWritesMetadataThenBothHeadersThenInterleavedFrames() {
        List<String> order = new ArrayList<>();
        List<Object> metadata = new ArrayList<>();
        AvcFlvMuxer.TagSink recorder = (type, ts, body) -> {
            try {
                order.add(FlvTagType.name(type) + "@" + ts);
                if (type == FlvTagType.SCRIPT_DATA) {
                    metadata.addAll(Amf0.readAll(body));
                }
            } finally {
                body.release();
            }
        };
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        try (AvcFlvMuxer muxer = new AvcFlvMuxer(PooledByteBufAllocator.DEFAULT, track, false, 25, "ep")) {
            muxer.setAudio(track.metaData());
            write(muxer, 0, AvcFlvMuxerTest.SPS_320X240, AvcFlvMuxerTest.PPS, AvcFlvMuxerTest.IDR);
            write(muxer, 40, AvcFlvMuxerTest.P);
            write(muxer, 80, AvcFlvMuxerTest.P);
            muxer.writeEndOfSequence(80);
            track.finish(120);
        }
        assertEquals(List.of("script-data@0", "audio@0", "video@0", "video@0", // onMetaData, AAC hdr, AVC hdr, IDR
                "audio@0", "audio@23", "video@40",
                "audio@46", "audio@70", "video@80",
                "video@80",                                                       // end of sequence
                "audio@93", "audio@116"), order);
        Map<?, ?> props = (Map<?, ?>) metadata.get(1);
        assertEquals(10.0, props.get("audiocodecid"));
        assertEquals(44100.0, props.get("audiosamplerate"));
        assertEquals(16.0, props.get("audiosamplesize"));
        assertEquals(false, props.get("stereo"));
        assertEquals(7.0, props.get("videocodecid"));
    }

    private static void write(AvcFlvMuxer muxer, int timestampMs, String... nalUnits) {
        List<ByteBuf> nals = new ArrayList<>();
        try {
            for (String nal : nalUnits) {
                nals.add(HexBytes.buf(nal));
            }
            muxer.write(nals, timestampMs, 0);
        } finally {
            nals.forEach(ByteBuf::release);
        }
    }
}
