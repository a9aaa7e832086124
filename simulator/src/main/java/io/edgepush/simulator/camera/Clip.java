package io.edgepush.simulator.camera;

import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.h264.ParameterSetTracker;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.hevc.HevcParameterSets;
import io.edgepush.protocol.media.AccessUnitReader;
import io.edgepush.protocol.media.VideoCodec;
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
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An H.264 (ISO/IEC 14496-10 Annex B) or H.265/HEVC (ITU-T H.265 Annex B) clip split into access units, held in
 * memory so a simulated camera can play, loop and jump to keyframes. The {@link ClipCodec} is given or detected
 * ({@link ClipCodec#AUTO}: by file name extension, else by the first NAL unit). H.264 is split with
 * {@link AccessUnitAssembler} and its keyframes are IDR access units; H.265 is split with
 * {@link HevcAccessUnitAssembler} and its keyframes are IRAP access units (BLA, IDR, CRA). Everything else is
 * the same for both: each access unit is kept as Annex B bytes (4-byte start codes), and a keyframe access unit
 * that carries no parameter set gets the latest ones of the clip (H.264 SPS, PPS; H.265 VPS, SPS, PPS) put in
 * front of its other NAL units (after an AUD, if any), so playback may start at any keyframe. Immutable once
 * loaded; thread-safe.
 */
public final class Clip {
    /** Largest NAL unit accepted, bytes. */
    public static final int MAX_NAL_BYTES = 8 * 1024 * 1024;
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final String name;
    private final ClipCodec codec;
    private final List<byte[]> accessUnits;
    private final boolean[] keyframe;
    private final int[] idrIndexes;
    private final int width;
    private final int height;
    private final Double vuiFps;
    private final long totalBytes;

    private Clip(String name, Loader loader, boolean[] keyframe) {
        this.name = name;
        this.codec = loader.codec;
        this.accessUnits = List.copyOf(loader.units);
        this.keyframe = keyframe;
        this.idrIndexes = java.util.stream.IntStream.range(0, keyframe.length).filter(i -> keyframe[i]).toArray();
        this.width = loader.width;
        this.height = loader.height;
        this.vuiFps = loader.vuiFps;
        this.totalBytes = accessUnits.stream().mapToLong(b -> b.length).sum();
    }

    /**
     * Loads an Annex B file, detecting its codec ({@link ClipCodec#AUTO}).
     *
     * @throws IOException if unreadable or not a playable H.264/H.265 stream (message names it)
     */
    public static Clip load(Path file) throws IOException {
        return load(file, ClipCodec.AUTO);
    }

    /**
     * Loads an Annex B file as {@code codec}.
     *
     * @param codec {@link ClipCodec#AUTO} to detect it (extension, else first NAL unit)
     * @throws IOException if unreadable or not a playable stream of that codec (message names it)
     */
    public static Clip load(Path file, ClipCodec codec) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), codec);
        }
    }

    /**
     * Loads a classpath resource, e.g. "/clips/demo.h264", detecting its codec.
     *
     * @throws IOException if absent or not playable
     */
    public static Clip loadResource(String resource) throws IOException {
        try (InputStream in = Clip.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no clip resource " + resource + " on the classpath");
            }
            return read(in, "classpath:" + resource);
        }
    }

    /**
     * Reads an Annex B stream, detecting its codec ({@link ClipCodec#AUTO}: {@code name}'s extension, else the
     * first NAL unit). As {@link #read(InputStream, String, ClipCodec)}.
     */
    public static Clip read(InputStream in, String name) throws IOException {
        return read(in, name, ClipCodec.AUTO);
    }

    /**
     * Reads an Annex B stream with {@link AnnexBReader}, split into access units by {@link AccessUnitAssembler}
     * (H.264) or {@link HevcAccessUnitAssembler} (H.265).
     *
     * @param name used in error messages, and for {@link ClipCodec#AUTO} its extension (see
     *     {@link ClipCodec#fromFileName(String)})
     * @param codec the codec to read the stream as, or {@link ClipCodec#AUTO}: by {@code name}'s extension, else
     *     H.265 if the first NAL unit looks like an HEVC one ({@link ClipCodec#looksLikeHevc}), else H.264
     * @throws IOException on read errors, or if the stream is not Annex B of that codec, has no access unit, no
     *     SPS or no keyframe (IDR; H.265: IRAP)
     */
    public static Clip read(InputStream in, String name, ClipCodec codec) throws IOException {
        Objects.requireNonNull(codec, "codec");
        ClipCodec chosen = codec == ClipCodec.AUTO ? ClipCodec.fromFileName(name) : codec;
        AnnexBReader reader = new AnnexBReader(in, MAX_NAL_BYTES);
        Loader loader = null;
        try {
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                if (loader == null) {
                    if (chosen == ClipCodec.AUTO) {
                        chosen = ClipCodec.looksLikeHevc(nal) ? ClipCodec.H265 : ClipCodec.H264;
                    }
                    loader = new Loader(chosen);
                }
                loader.push(nal);
            }
            if (loader != null) {
                loader.flush();
            }
        } catch (H264Exception e) {
            if (loader != null) {
                loader.discard();
            }
            ClipCodec said = chosen == ClipCodec.AUTO ? ClipCodec.H264 : chosen;
            throw new IOException(name + " is not a playable " + said.displayName() + " Annex B stream: "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (loader != null) {
                loader.discard();
            }
            throw e;
        }
        if (loader == null || loader.units.isEmpty()) {
            ClipCodec said = chosen == ClipCodec.AUTO ? ClipCodec.H264 : chosen;
            throw new IOException(name + " holds no " + said.displayName() + " access unit");
        }
        if (!loader.sawSps) {
            throw new IOException(name + " has no SPS (sequence parameter set); cannot tell width/height");
        }
        boolean[] key = new boolean[loader.keyframes.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = loader.keyframes.get(i);
        }
        if (!loader.keyframes.contains(Boolean.TRUE)) {
            throw new IOException(name + " has no " + (chosen == ClipCodec.H265 ? "IRAP (IDR, CRA or BLA)" : "IDR")
                    + " access unit; a viewer could never start decoding it");
        }
        return new Clip(name, loader, key);
    }

    /** Where the clip came from (file path or classpath resource). */
    public String name() {
        return name;
    }

    /** The clip's codec, {@link ClipCodec#H264} or {@link ClipCodec#H265} (never {@link ClipCodec#AUTO}). */
    public ClipCodec codec() {
        return codec;
    }

    /** Number of access units. */
    public int size() {
        return accessUnits.size();
    }

    /** Access unit {@code index} as Annex B bytes (shared array: do not modify). */
    public byte[] accessUnit(int index) {
        return accessUnits.get(index);
    }

    /** True if access unit {@code index} is a keyframe: H.264 an IDR slice, H.265 an IRAP picture. */
    public boolean isKeyframe(int index) {
        return keyframe[index];
    }

    /**
     * Index of the first keyframe access unit (H.264 IDR, H.265 IRAP) at or after {@code index}, or -1 if there
     * is none.
     */
    public int idrAtOrAfter(int index) {
        int i = Arrays.binarySearch(idrIndexes, index);
        int at = i >= 0 ? i : -i - 1;
        return at < idrIndexes.length ? idrIndexes[at] : -1;
    }

    /** Indexes of the keyframe access units (H.264 IDR, H.265 IRAP), ascending (a copy). */
    public int[] idrIndexes() {
        return idrIndexes.clone();
    }

    /** Width in pixels after cropping (H.265: the conformance window), from the first SPS. */
    public int width() {
        return width;
    }

    /** Height in pixels after cropping (H.265: the conformance window), from the first SPS. */
    public int height() {
        return height;
    }

    /** Frames per second from the H.264 SPS VUI timing, or null if it has none; always null for H.265. */
    public Double vuiFps() {
        return vuiFps;
    }

    /** Average bitrate in bits per second when played at {@code fps} frames per second. */
    public long averageBitrateBps(int fps) {
        return totalBytes * 8L * fps / accessUnits.size();
    }

    /**
     * Splits NAL units into access units with the codec's assembler and collects them as Annex B bytes,
     * repeating parameter sets before keyframes that lack them. The codec decides only the assembler, the NAL
     * unit type field, which types are parameter sets and the SPS parser.
     */
    private static final class Loader {
        final ClipCodec codec;
        final List<byte[]> units = new ArrayList<>();
        final List<Boolean> keyframes = new ArrayList<>();
        /** Parameter set NAL unit types in the order they are repeated: [SPS, PPS] or [VPS, SPS, PPS]. */
        private final int[] parameterSetTypes;
        private final int audType;
        private final int spsType;
        private final byte[][] lastParameterSets;
        private final Consumer<ByteBuf> pushToAssembler;
        private final Runnable flushAssembler;
        private H264Exception failure;
        boolean sawSps;
        int width;
        int height;
        Double vuiFps;

        Loader(ClipCodec codec) {
            this.codec = codec;
            if (codec == ClipCodec.H265) {
                parameterSetTypes = new int[] {HevcNalUnitType.VPS, HevcNalUnitType.SPS, HevcNalUnitType.PPS};
                audType = HevcNalUnitType.AUD;
                spsType = HevcNalUnitType.SPS;
            } else {
                parameterSetTypes = new int[] {NalUnitType.SPS, NalUnitType.PPS};
                audType = NalUnitType.AUD;
                spsType = NalUnitType.SPS;
            }
            // The gateway's own reader: the same access units and keyframe decision as a camera stream gets.
            AccessUnitReader reader = AccessUnitReader.atFrameRate(
                    codec == ClipCodec.H265 ? VideoCodec.H265 : VideoCodec.H264, 25, au -> {
                        try {
                            accept(au.nalUnits(), au.keyframe());
                        } catch (H264Exception e) {
                            failure = failure != null ? failure : e;
                        } finally {
                            au.release();
                        }
                    });
            pushToAssembler = nal -> reader.push(nal, 0);
            flushAssembler = () -> {
                reader.flush();
                reader.close();
            };
            lastParameterSets = new byte[parameterSetTypes.length][];
        }

        /**
         * Adds one NAL unit.
         *
         * @param nal TAKES OWNERSHIP
         * @throws H264Exception (H.265: its subclass) if the NAL unit or an access unit it completed is invalid;
         *     call {@link #flush()} then, to release what the assembler holds
         */
        void push(ByteBuf nal) {
            pushToAssembler.accept(nal);
            throwFailure();
        }

        /** Emits the last access unit. @throws H264Exception as {@link #push} */
        void flush() {
            flushAssembler.run();
            throwFailure();
        }

        /** After an error: releases what the assembler still holds, ignoring further errors. */
        void discard() {
            flushAssembler.run();
            failure = null;
        }

        /** An error from an access unit is kept until the assembler has taken its NAL unit, so nothing leaks. */
        private void throwFailure() {
            H264Exception e = failure;
            failure = null;
            if (e != null) {
                throw e;
            }
        }

        private int type(ByteBuf nal) {
            return codec == ClipCodec.H265 ? HevcNalUnitType.of(nal) : NalUnitType.of(nal);
        }

        private int parameterSetSlot(int type) {
            for (int i = 0; i < parameterSetTypes.length; i++) {
                if (parameterSetTypes[i] == type) {
                    return i;
                }
            }
            return -1;
        }

        private void readSps(ByteBuf nal) {
            if (codec == ClipCodec.H265) {
                try (HevcParameterSets sps = new HevcParameterSets(PooledByteBufAllocator.DEFAULT)) {
                    sps.offer(nal);
                    width = sps.width();
                    height = sps.height();
                    vuiFps = null;
                }
            } else {
                try (ParameterSetTracker sps = new ParameterSetTracker()) {
                    sps.offer(nal);
                    width = sps.width();
                    height = sps.height();
                    vuiFps = sps.fps();
                }
            }
            sawSps = true;
        }

        /** @param nalUnits borrowed, in decoding order */
        private void accept(List<ByteBuf> nalUnits, boolean key) {
            int size = 64;
            boolean hasParameterSet = false;
            for (ByteBuf nal : nalUnits) {
                size += nal.readableBytes() + START_CODE.length;
                hasParameterSet |= parameterSetSlot(type(nal)) >= 0;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(size);
            boolean needParameterSets = key && !hasParameterSet;
            for (ByteBuf nal : nalUnits) {
                int type = type(nal);
                byte[] bytes = ByteBufUtil.getBytes(nal);
                int slot = parameterSetSlot(type);
                if (slot >= 0) {
                    lastParameterSets[slot] = bytes;
                    if (type == spsType && !sawSps) {
                        readSps(nal);
                    }
                }
                if (needParameterSets && type != audType && haveAllParameterSets()) {
                    for (byte[] parameterSet : lastParameterSets) {
                        writeNal(out, parameterSet);
                    }
                    needParameterSets = false;
                }
                writeNal(out, bytes);
            }
            units.add(out.toByteArray());
            keyframes.add(key);
        }

        private boolean haveAllParameterSets() {
            for (byte[] parameterSet : lastParameterSets) {
                if (parameterSet == null) {
                    return false;
                }
            }
            return true;
        }

        private static void writeNal(ByteArrayOutputStream out, byte[] nal) {
            out.write(START_CODE, 0, START_CODE.length);
            out.write(nal, 0, nal.length);
        }
    }
}
