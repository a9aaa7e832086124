package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.testkit.Fixtures;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTest {
    private static List<Integer> nalTypes(byte[] annexB) {
        List<Integer> types = new ArrayList<>();
        AnnexBReader.forEachNalUnit(Unpooled.wrappedBuffer(annexB), nal -> types.add(NalUnitType.of(nal)));
        return types;
    }

    private static List<Integer> hevcNalTypes(byte[] annexB) {
        List<Integer> types = new ArrayList<>();
        AnnexBReader.forEachNalUnit(Unpooled.wrappedBuffer(annexB), nal -> types.add(HevcNalUnitType.of(nal)));
        return types;
    }

    private static List<byte[]> nalUnits(byte[] annexB) {
        List<byte[]> nals = new ArrayList<>();
        AnnexBReader.forEachNalUnit(Unpooled.wrappedBuffer(annexB), nal -> {
            byte[] b = new byte[nal.readableBytes()];
            nal.getBytes(nal.readerIndex(), b);
            nals.add(b);
        });
        return nals;
    }

    @Test
    void smallFixture() throws Exception {
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        assertEquals(50, clip.size());
        assertEquals(320, clip.width());
        assertEquals(240, clip.height());
        assertEquals(25.0, clip.vuiFps());
        assertArrayEquals(new int[] {0, 25}, clip.idrIndexes());
        assertEquals(25, clip.idrAtOrAfter(1));
        assertEquals(25, clip.idrAtOrAfter(25));
        assertEquals(-1, clip.idrAtOrAfter(26));
        assertEquals(List.of(NalUnitType.SPS, NalUnitType.PPS, NalUnitType.SEI, NalUnitType.IDR),
                nalTypes(clip.accessUnit(0)));
        assertEquals(List.of(NalUnitType.SPS, NalUnitType.PPS, NalUnitType.IDR), nalTypes(clip.accessUnit(25)));
        assertEquals(List.of(NalUnitType.SLICE), nalTypes(clip.accessUnit(1)));
        long bytes = 0;
        for (int i = 0; i < clip.size(); i++) {
            bytes += clip.accessUnit(i).length;
        }
        assertEquals(bytes * 8 * 25 / 50, clip.averageBitrateBps(25));
        assertEquals(ClipCodec.H264, clip.codec());
    }

    @Test
    void hevcFixtureIsSplitIntoAccessUnitsWithIrapKeyframes() throws Exception {
        // small.265 (fixtures/README.md): 50 pictures, 320x180 after the conformance window (coded 320x184),
        // IDR_N_LP at 0 and CRA at 25, each with VPS/SPS/PPS in front, 48 TRAIL_R pictures.
        Clip clip = Clip.load(Fixtures.repoFixture("small.265"));
        assertEquals(ClipCodec.H265, clip.codec());
        assertEquals(50, clip.size());
        assertEquals(320, clip.width());
        assertEquals(180, clip.height());
        assertNull(clip.vuiFps());
        assertArrayEquals(new int[] {0, 25}, clip.idrIndexes());
        assertTrue(clip.isKeyframe(25), "a CRA picture is a keyframe");
        assertEquals(25, clip.idrAtOrAfter(1));
        assertEquals(-1, clip.idrAtOrAfter(26));
        assertEquals(List.of(HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS,
                HevcNalUnitType.IDR_N_LP), hevcNalTypes(clip.accessUnit(0)));
        assertEquals(List.of(HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS,
                HevcNalUnitType.CRA_NUT), hevcNalTypes(clip.accessUnit(25)));
        for (int i = 0; i < clip.size(); i++) {
            if (i != 0 && i != 25) {
                assertEquals(List.of(HevcNalUnitType.TRAIL_R), hevcNalTypes(clip.accessUnit(i)), "access unit " + i);
            }
        }
        byte[] file = Files.readAllBytes(Fixtures.repoFixture("small.265"));
        long nalBytes = nalUnits(file).stream().mapToLong(b -> b.length).sum();
        long clipNalBytes = 0;
        for (int i = 0; i < clip.size(); i++) {
            clipNalBytes += nalUnits(clip.accessUnit(i)).stream().mapToLong(b -> b.length).sum();
        }
        assertEquals(nalBytes, clipNalBytes, "every NAL unit of the file is in exactly one access unit");
    }

    @Test
    void codecIsDetectedFromTheFirstNalUnitWhenTheNameSaysNothing() throws Exception {
        byte[] hevc = Files.readAllBytes(Fixtures.repoFixture("small.265"));
        byte[] avc = Files.readAllBytes(Fixtures.repoFixture("small.h264"));
        assertEquals(ClipCodec.H265, Clip.read(new ByteArrayInputStream(hevc), "camera.bin").codec());
        assertEquals(ClipCodec.H264, Clip.read(new ByteArrayInputStream(avc), "camera.bin").codec());
        Clip hevcInH264File = Clip.read(new ByteArrayInputStream(hevc), "camera.h264", ClipCodec.H265);
        assertEquals(ClipCodec.H265, hevcInH264File.codec(), "an explicit codec wins over the extension");
        assertEquals(180, hevcInH264File.height());
    }

    @Test
    void readingAStreamAsTheOtherCodecIsAnError() throws Exception {
        byte[] hevc = Files.readAllBytes(Fixtures.repoFixture("small.265"));
        // Read as H.264, none of small.265's NAL unit header bytes (0x40 0x42 0x44 0x28 0x2A 0x02) is type 7 (SPS).
        IOException asH264 = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(hevc), "small.265", ClipCodec.H264));
        assertEquals("small.265 has no SPS (sequence parameter set); cannot tell width/height", asH264.getMessage());
        IOException byName = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(hevc), "mislabelled.h264"));
        assertTrue(byName.getMessage().startsWith("mislabelled.h264 has no SPS"),
                "the extension decides before the content: " + byName.getMessage());
        byte[] avc = Files.readAllBytes(Fixtures.repoFixture("small.h264"));
        IOException asH265 = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(avc), "small.h264", ClipCodec.H265));
        assertTrue(asH265.getMessage().startsWith("small.h264 is not a playable H.265 Annex B stream: "),
                asH265.getMessage());
    }

    @Test
    void irapWithoutParameterSetsGetsTheLatestVpsSpsPpsAfterItsAud() throws Exception {
        // small.265 without the VPS/SPS/PPS in front of the CRA at 25, and with an AUD (pic_type 2) before every
        // picture: the CRA access unit must get the first VPS/SPS/PPS back, after its AUD.
        byte[] file = Files.readAllBytes(Fixtures.repoFixture("small.265"));
        byte[] aud = {(byte) (HevcNalUnitType.AUD << 1), 0x01, 0x50};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pictures = 0;
        boolean audWritten = false;
        for (byte[] nal : nalUnits(file)) {
            int type = (nal[0] >> 1) & 0x3F;
            if (!audWritten) {
                out.write(new byte[] {0, 0, 0, 1});
                out.write(aud);
                audWritten = true;
            }
            if (pictures == 25 && HevcNalUnitType.isParameterSet(type)) {
                continue;
            }
            out.write(new byte[] {0, 0, 1});
            out.write(nal);
            if (HevcNalUnitType.isVcl(type)) {
                pictures++;
                audWritten = false;
            }
        }
        Clip clip = Clip.read(new ByteArrayInputStream(out.toByteArray()), "rebuilt.265");
        assertEquals(50, clip.size());
        assertArrayEquals(new int[] {0, 25}, clip.idrIndexes());
        assertEquals(List.of(HevcNalUnitType.AUD, HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS,
                HevcNalUnitType.CRA_NUT), hevcNalTypes(clip.accessUnit(25)));
        assertEquals(List.of(HevcNalUnitType.AUD, HevcNalUnitType.TRAIL_R), hevcNalTypes(clip.accessUnit(26)));
        List<byte[]> first = nalUnits(clip.accessUnit(0));
        List<byte[]> repeated = nalUnits(clip.accessUnit(25));
        for (int i = 1; i <= 3; i++) {
            assertArrayEquals(first.get(i), repeated.get(i), "parameter set " + i + " repeated unchanged");
        }
    }

    @Test
    void hevcWithoutIrapIsRejected() throws Exception {
        // Keep the first VPS/SPS/PPS, drop both IRAP pictures: only TRAIL_R pictures remain.
        byte[] file = Files.readAllBytes(Fixtures.repoFixture("small.265"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nalUnits(file)) {
            if (!HevcNalUnitType.isKeyframe((nal[0] >> 1) & 0x3F)) {
                out.write(new byte[] {0, 0, 0, 1});
                out.write(nal);
            }
        }
        IOException e = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(out.toByteArray()), "no-irap.265"));
        assertEquals("no-irap.265 has no IRAP (IDR, CRA or BLA) access unit; a viewer could never start decoding it",
                e.getMessage());
    }

    @Test
    void demoClipOnTheClasspath() throws Exception {
        Clip clip = Clip.loadResource("/clips/demo.h264");
        assertEquals(250, clip.size());
        assertEquals(640, clip.width());
        assertEquals(360, clip.height());
        assertEquals(NalUnitType.AUD, nalTypes(clip.accessUnit(0)).get(0));
    }

    @Test
    void idrWithoutParameterSetsGetsTheLatestOnesAfterItsAud() throws Exception {
        // slices2.h264: AUD before every picture, SPS/PPS only before the first IDR; rebuild it with a second IDR
        // picture at the end by appending the first access unit minus its SPS/PPS.
        byte[] file = Files.readAllBytes(Fixtures.repoFixture("slices2.h264"));
        List<byte[]> nals = new ArrayList<>();
        AnnexBReader.forEachNalUnit(Unpooled.wrappedBuffer(file), nal -> {
            byte[] b = new byte[nal.readableBytes()];
            nal.getBytes(nal.readerIndex(), b);
            nals.add(b);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file);
        boolean inFirstAu = true;
        for (int i = 0; i < nals.size() && inFirstAu; i++) {
            int type = nals.get(i)[0] & 0x1f;
            if (i > 0 && type == NalUnitType.AUD) {
                inFirstAu = false;
            } else if (type != NalUnitType.SPS && type != NalUnitType.PPS) {
                out.write(new byte[] {0, 0, 0, 1});
                out.write(nals.get(i));
            }
        }
        Clip clip = Clip.read(new ByteArrayInputStream(out.toByteArray()), "rebuilt");
        assertEquals(26, clip.size());
        assertArrayEquals(new int[] {0, 25}, clip.idrIndexes());
        assertEquals(List.of(NalUnitType.AUD, NalUnitType.SPS, NalUnitType.PPS, NalUnitType.SEI, NalUnitType.IDR,
                NalUnitType.IDR), nalTypes(clip.accessUnit(25)));
    }

    @Test
    void notAnnexBIsAClearError() {
        IOException e = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream("hello world".getBytes()), "junk.bin"));
        assertTrue(e.getMessage().startsWith("junk.bin is not a playable H.264 Annex B stream"), e.getMessage());
    }

    @Test
    void emptyAndParameterSetOnlyStreamsAreRejected() throws Exception {
        IOException empty = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(new byte[0]), "empty.h264"));
        assertEquals("empty.h264 holds no H.264 access unit", empty.getMessage());
        byte[] file = Files.readAllBytes(Fixtures.repoFixture("small.h264"));
        List<byte[]> sliceOnly = new ArrayList<>();
        AnnexBReader.forEachNalUnit(Unpooled.wrappedBuffer(file), nal -> {
            if (NalUnitType.of(nal) == NalUnitType.SLICE) {
                byte[] b = new byte[nal.readableBytes()];
                nal.getBytes(nal.readerIndex(), b);
                sliceOnly.add(b);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : sliceOnly) {
            out.write(new byte[] {0, 0, 1});
            out.write(b);
        }
        IOException noSps = assertThrows(IOException.class,
                () -> Clip.read(new ByteArrayInputStream(out.toByteArray()), "p-only.h264"));
        assertTrue(noSps.getMessage().startsWith("p-only.h264 has no SPS"), noSps.getMessage());
    }

    @Test
    void missingResource() {
        IOException e = assertThrows(IOException.class, () -> Clip.loadResource("/clips/nope.h264"));
        assertEquals("no clip resource /clips/nope.h264 on the classpath", e.getMessage());
    }
}
