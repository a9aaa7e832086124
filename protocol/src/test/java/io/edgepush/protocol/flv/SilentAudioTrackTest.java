package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The silent track's tags, timestamps and interleaving; expected timestamps computed by hand. */
class SilentAudioTrackTest {

    private record Tag(int type, int timestampMs, String hex) {
    }

    private final List<Tag> tags = new ArrayList<>();
    private final AvcFlvMuxer.TagSink recorder = (type, ts, body) -> {
        tags.add(new Tag(type, ts, ByteBufUtil.hexDump(body)));
        body.release();
    };

    private static ByteBuf body(String hex) {
        byte[] b = ByteBufUtil.decodeHexDump(hex);
        return PooledByteBufAllocator.DEFAULT.buffer().writeBytes(b);
    }

    private static void video(SilentAudioTrack track, int timestampMs) {
        track.onTag(FlvTagType.VIDEO, timestampMs, body("2701000000"));
    }

    private List<Integer> audioTimestamps() {
        return tags.stream().filter(t -> t.type() == FlvTagType.AUDIO && t.hex().startsWith("af01"))
                .map(Tag::timestampMs).toList();
    }

    @Test
    void sequenceHeaderFirstThenFramesEvery1024SamplesBeforeEachVideoTag() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        track.onTag(FlvTagType.SCRIPT_DATA, 0, body("0200"));
        video(track, 0);
        for (int ts = 40; ts <= 1000; ts += 40) {
            video(track, ts);
        }
        track.finish(1040);

        assertEquals(FlvTagType.SCRIPT_DATA, tags.get(0).type(), "onMetaData passes first");
        assertEquals(new Tag(FlvTagType.AUDIO, 0, hex("AF 00 12 08")), tags.get(1), "AAC sequence header");
        assertEquals(FlvTagType.VIDEO, tags.get(2).type());
        // round(k * 1024 * 1000 / 44100) for k = 0..9: 0, 23.2, 46.4, 69.7, 92.9, 116.1, 139.3, 162.5, 185.8, 209.0
        assertEquals(List.of(0, 23, 46, 70, 93, 116, 139, 163, 186, 209), audioTimestamps().subList(0, 10));
        // finish(1040): frames below 1040; k = 44 is 1021.7, k = 45 is 1044.9
        assertEquals(45, audioTimestamps().size());
        assertEquals(1022, audioTimestamps().get(44));
        assertEquals(45, track.framesWritten());
        for (Tag t : tags) {
            if (t.type() == FlvTagType.AUDIO && t.timestampMs() > 0) {
                assertEquals(hex("AF 01 01 18 20 07"), t.hex(), "raw silent frame at " + t.timestampMs());
            }
        }
        for (int i = 1; i < tags.size(); i++) {
            assertTrue(tags.get(i).timestampMs() >= tags.get(i - 1).timestampMs(), "interleaved by time at " + i);
        }
        int videoAt40 = tags.indexOf(new Tag(FlvTagType.VIDEO, 40, "2701000000"));
        assertEquals(new Tag(FlvTagType.AUDIO, 23, hex("AF 01 01 18 20 07")), tags.get(videoAt40 - 1),
                "frames below 40 ms precede the video tag at 40 ms");
    }

    @Test
    void at48000HzTheConfigAndCadenceChange() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 48000, recorder);
        video(track, 0);
        video(track, 100);
        assertEquals(hex("AF 00 11 88"), tags.get(0).hex());
        // round(k * 1024 / 48): 0, 21.3, 42.7, 64, 85.3
        assertEquals(List.of(0, 21, 43, 64, 85), audioTimestamps());
    }

    @Test
    void runStartsAtTheFirstVideoTimestampAndRestartSendsANewHeader() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        video(track, 500);
        video(track, 540);
        assertEquals(List.of(500, 523), audioTimestamps());
        track.restart();
        tags.clear();
        video(track, 100);
        video(track, 140);
        assertEquals(new Tag(FlvTagType.AUDIO, 100, hex("AF 00 12 08")), tags.get(0));
        assertEquals(List.of(100, 123), audioTimestamps());
    }

    @Test
    void aVideoJumpBeyondOneSecondRestartsTheRunInsteadOfABurst() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        video(track, 0);
        video(track, 40);
        video(track, 900);      // 900 - 46 <= 1000: filled
        assertEquals(39, audioTimestamps().size(), "frames 0..38 (881.6 ms) below 900");
        video(track, 5000);     // away 4 s: restart at 5000
        video(track, 5040);
        assertEquals(1, track.gapsSkipped());
        List<Integer> ts = audioTimestamps();
        assertEquals(List.of(5000, 5023), ts.subList(ts.size() - 2, ts.size()));
        assertEquals(1, tags.stream().filter(t -> t.hex().startsWith("af00")).count(), "no second header");
    }

    @Test
    void timestampsAreUnsigned32Bit() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        video(track, 0x8000_0000);
        video(track, 0x8000_0028);
        assertEquals(List.of(0x8000_0000, 0x8000_0017), audioTimestamps());
    }

    @Test
    void finishBeforeAnyVideoWritesNothing() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        track.finish(1000);
        assertEquals(List.of(), tags);
    }

    @Test
    void metaDataDescribesSixteenBitMonoAtTheSilentDataRate() {
        FlvVideoMuxer.Audio audio = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder).metaData();
        assertEquals(new FlvVideoMuxer.Audio(44100, 16, false, 4 * 8 * 44100 / 1024.0 / 1000), audio);
    }

    @Test
    void rateWithoutAnIndexIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44000, recorder));
    }

    @Test
    void aFailingSinkReleasesTheVideoBodyAndPropagates() {
        AvcFlvMuxer.TagSink failing = (type, ts, b) -> {
            b.release();
            if (type == FlvTagType.AUDIO) {
                throw new IllegalStateException("disk full");
            }
        };
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, failing);
        ByteBuf videoBody = body("1701000000");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> track.onTag(FlvTagType.VIDEO, 0, videoBody));
        assertEquals("disk full", e.getMessage());
        assertEquals(0, videoBody.refCnt(), "the video body is released once");
    }

    @Test
    void scriptAndAudioTagsPassThroughWithoutAudioBeingAdded() {
        SilentAudioTrack track = new SilentAudioTrack(PooledByteBufAllocator.DEFAULT, 44100, recorder);
        track.onTag(FlvTagType.SCRIPT_DATA, 0, body("0200"));
        track.onTag(FlvTagType.AUDIO, 7, body("af01"));
        assertEquals(List.of(new Tag(FlvTagType.SCRIPT_DATA, 0, "0200"), new Tag(FlvTagType.AUDIO, 7, "af01")), tags);
    }
}
