package io.edgepush.simulator.camera;

import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.h264.Sps;
import io.edgepush.protocol.h264.SpsParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An H.264 Annex B clip (ISO/IEC 14496-10 Annex B) split into access units, held in memory so a simulated camera
 * can play, loop and jump to IDRs. Each access unit is kept as Annex B bytes (4-byte start codes). An IDR access
 * unit that does not carry SPS/PPS gets the latest SPS and PPS of the clip put in front of its slices (after an
 * AUD, if any), so playback may start at any IDR. Immutable once loaded; thread-safe.
 */
public final class Clip {
    /** Largest NAL unit accepted, bytes. */
    public static final int MAX_NAL_BYTES = 8 * 1024 * 1024;
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final String name;
    private final List<byte[]> accessUnits;
    private final boolean[] keyframe;
    private final int[] idrIndexes;
    private final Sps sps;
    private final long totalBytes;

    private Clip(String name, List<byte[]> accessUnits, boolean[] keyframe, Sps sps) {
        this.name = name;
        this.accessUnits = List.copyOf(accessUnits);
        this.keyframe = keyframe;
        this.idrIndexes = java.util.stream.IntStream.range(0, keyframe.length).filter(i -> keyframe[i]).toArray();
        this.sps = sps;
        this.totalBytes = accessUnits.stream().mapToLong(b -> b.length).sum();
    }

    /** Loads an Annex B file. @throws IOException if unreadable or not a playable H.264 stream (message names it) */
    public static Clip load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Loads a classpath resource, e.g. "/clips/demo.h264". @throws IOException if absent or not playable */
    public static Clip loadResource(String resource) throws IOException {
        try (InputStream in = Clip.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no clip resource " + resource + " on the classpath");
            }
            return read(in, "classpath:" + resource);
        }
    }

    /**
     * Reads an Annex B stream with {@link AnnexBReader} and {@link AccessUnitAssembler}.
     *
     * @param name used in error messages
     * @throws IOException on read errors, or if the stream is not Annex B, has no access unit, no SPS or no IDR
     */
    public static Clip read(InputStream in, String name) throws IOException {
        Loader loader = new Loader();
        AccessUnitAssembler assembler = new AccessUnitAssembler(loader::accept);
        AnnexBReader reader = new AnnexBReader(in, MAX_NAL_BYTES);
        try {
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                assembler.push(nal);
            }
            assembler.flush();
        } catch (H264Exception e) {
            assembler.flush();
            throw new IOException(name + " is not a playable H.264 Annex B stream: " + e.getMessage(), e);
        }
        if (loader.units.isEmpty()) {
            throw new IOException(name + " holds no H.264 access unit");
        }
        if (loader.sps == null) {
            throw new IOException(name + " has no SPS (sequence parameter set); cannot tell width/height");
        }
        boolean[] key = new boolean[loader.keyframes.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = loader.keyframes.get(i);
        }
        if (!loader.keyframes.contains(Boolean.TRUE)) {
            throw new IOException(name + " has no IDR access unit; a viewer could never start decoding it");
        }
        return new Clip(name, loader.units, key, loader.sps);
    }

    /** Where the clip came from (file path or classpath resource). */
    public String name() {
        return name;
    }

    /** Number of access units. */
    public int size() {
        return accessUnits.size();
    }

    /** Access unit {@code index} as Annex B bytes (shared array: do not modify). */
    public byte[] accessUnit(int index) {
        return accessUnits.get(index);
    }

    /** True if access unit {@code index} contains an IDR slice. */
    public boolean isKeyframe(int index) {
        return keyframe[index];
    }

    /** Index of the first IDR access unit at or after {@code index}, or -1 if there is none. */
    public int idrAtOrAfter(int index) {
        int i = Arrays.binarySearch(idrIndexes, index);
        int at = i >= 0 ? i : -i - 1;
        return at < idrIndexes.length ? idrIndexes[at] : -1;
    }

    /** Indexes of the IDR access units, ascending (a copy). */
    public int[] idrIndexes() {
        return idrIndexes.clone();
    }

    /** Width in pixels after cropping, from the first SPS. */
    public int width() {
        return sps.width();
    }

    /** Height in pixels after cropping, from the first SPS. */
    public int height() {
        return sps.height();
    }

    /** Frames per second from the SPS VUI timing, or null if the SPS has none. */
    public Double vuiFps() {
        return sps.fps();
    }

    /** Average bitrate in bits per second when played at {@code fps} frames per second. */
    public long averageBitrateBps(int fps) {
        return totalBytes * 8L * fps / accessUnits.size();
    }

    /** Collects access units as Annex B bytes, repeating parameter sets before IDRs that lack them. */
    private static final class Loader {
        final List<byte[]> units = new ArrayList<>();
        final List<Boolean> keyframes = new ArrayList<>();
        byte[] lastSps;
        byte[] lastPps;
        Sps sps;

        void accept(AccessUnit au) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(au.sizeBytes() + 64);
                boolean key = au.isKeyframe();
                boolean needParameterSets = key && !au.hasParameterSets();
                for (ByteBuf nal : au.nalUnits()) {
                    int type = NalUnitType.of(nal);
                    byte[] bytes = ByteBufUtil.getBytes(nal);
                    if (type == NalUnitType.SPS) {
                        lastSps = bytes;
                        if (sps == null) {
                            sps = SpsParser.parse(nal);
                        }
                    } else if (type == NalUnitType.PPS) {
                        lastPps = bytes;
                    }
                    if (needParameterSets && type != NalUnitType.AUD && lastSps != null && lastPps != null) {
                        writeNal(out, lastSps);
                        writeNal(out, lastPps);
                        needParameterSets = false;
                    }
                    writeNal(out, bytes);
                }
                units.add(out.toByteArray());
                keyframes.add(key);
            } finally {
                au.release();
            }
        }

        private static void writeNal(ByteArrayOutputStream out, byte[] nal) {
            out.write(START_CODE, 0, START_CODE.length);
            out.write(nal, 0, nal.length);
        }
    }
}
