package io.edgepush.simulator.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.NalUnitType;
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
