package io.edgepush.agent.session;

import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An H.264 fixture as plain byte arrays, one list of NAL units (header byte first, no start code) per access
 * unit, so tests can rebuild, cut or corrupt streams without holding buffers.
 */
public final class FixtureAccessUnits {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private FixtureAccessUnits() {
    }

    /** The access units of an Annex B file, in file order. */
    public static List<List<byte[]>> read(Path file) {
        List<List<byte[]>> units = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> units.add(copy(au)));
        try (InputStream in = Files.newInputStream(file);
             AnnexBReader reader = new AnnexBReader(in, 1 << 24)) {
            ByteBuf nal;
            while ((nal = reader.next(UnpooledByteBufAllocator.DEFAULT)) != null) {
                assembler.push(nal);
            }
            assembler.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return units;
    }

    /** Annex B bytes of NAL units: each preceded by the 4-byte start code 00 00 00 01. */
    public static byte[] annexB(List<byte[]> nalUnits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nalUnits) {
            out.writeBytes(START_CODE);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /**
     * An access unit as the bridge would hand it on: unpooled copies of the NAL units, keyframe/reference from their
     * types, presentation time = decode time (the caller owns it and hands it on).
     */
    public static io.edgepush.protocol.media.AccessUnit accessUnit(List<byte[]> nalUnits, long dtsMs) {
        List<ByteBuf> nals = new ArrayList<>(nalUnits.size());
        for (byte[] nal : nalUnits) {
            nals.add(Unpooled.copiedBuffer(nal));
        }
        return io.edgepush.protocol.media.AccessUnit.of(io.edgepush.protocol.media.VideoCodec.H264, nals, dtsMs,
                dtsMs);
    }

    /** An unpooled buffer of an access unit in Annex B form (caller owns it). */
    public static ByteBuf annexBBuffer(List<byte[]> nalUnits) {
        return Unpooled.wrappedBuffer(annexB(nalUnits));
    }

    /** nal_unit_type (ISO/IEC 14496-10 7.3.1): the low 5 bits of the header byte. */
    public static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /** True if the access unit holds an IDR slice (nal_unit_type 5). */
    public static boolean isKeyframe(List<byte[]> nalUnits) {
        return nalUnits.stream().anyMatch(n -> type(n) == 5);
    }

    /**
     * Size of the FLV AVC NALU payload of an access unit (FLV spec E.4.3.1 with ISO/IEC 14496-15 5.3.4.2
     * 4-byte lengths): 4 + length for every NAL unit except SPS (7), PPS (8), AUD (9) and filler (12), which
     * FLV carries in the sequence header or not at all.
     */
    public static int avccSize(List<byte[]> nalUnits) {
        int size = 0;
        for (byte[] nal : nalUnits) {
            int t = type(nal);
            if (t != 7 && t != 8 && t != 9 && t != 12) {
                size += 4 + nal.length;
            }
        }
        return size;
    }

    private static List<byte[]> copy(AccessUnit au) {
        try {
            List<byte[]> nals = new ArrayList<>();
            for (ByteBuf nal : au.nalUnits()) {
                nals.add(ByteBufUtil.getBytes(nal));
            }
            return nals;
        } finally {
            au.release();
        }
    }
}
