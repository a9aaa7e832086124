package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps copies of the latest VPS, SPS and PPS NAL units of an HEVC stream (by id, ITU-T H.265 7.4.3), so a
 * publisher can notice when a parameter set changes, read the picture size of the latest SPS and build the
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) of the Enhanced RTMP sequence start. This is what the
 * hevc package offers containers; the parameter set parsers and the record builder behind it are package-private.
 * OWNS its copies; {@link #close()} releases them. Not thread-safe.
 */
public final class HevcParameterSets implements AutoCloseable {
    private final ByteBufAllocator allocator;
    private final Map<Integer, ByteBuf> byKey = new HashMap<>();
    private final Map<Integer, Integer> latestKeyByType = new HashMap<>();
    private HevcSps latestSps;

    /** @param allocator allocator for the kept copies (use the pooled allocator) */
    public HevcParameterSets(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Looks at one NAL unit; VPS, SPS and PPS NAL units are copied and kept, others are ignored.
     *
     * @param nal BORROWED; one NAL unit with its 2-byte header; not modified
     * @return true if it is a parameter set whose bytes differ from the one kept for its type and id (or is new)
     * @throws H265Exception if the header is bad, or it is a parameter set that does not parse; nothing changes
     */
    public boolean offer(ByteBuf nal) {
        int type = HevcNalUnitType.of(nal);
        int id;
        HevcSps sps = null;
        switch (type) {
            case HevcNalUnitType.VPS -> id = HevcVps.parse(nal).vpsId();
            case HevcNalUnitType.SPS -> {
                sps = HevcSps.parse(nal);
                id = sps.spsId();
            }
            case HevcNalUnitType.PPS -> id = HevcPps.parse(nal).ppsId();
            default -> {
                return false;
            }
        }
        int key = type << 8 | id;
        latestKeyByType.put(type, key);
        if (sps != null) {
            latestSps = sps;
        }
        ByteBuf old = byKey.get(key);
        if (old != null && ByteBufUtil.equals(old, nal)) {
            return false;
        }
        ByteBuf copy = allocator.buffer(nal.readableBytes());
        copy.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        byKey.put(key, copy);
        if (old != null) {
            old.release();
        }
        return true;
    }

    /** @return true once a VPS, an SPS and a PPS have been seen */
    public boolean ready() {
        return latestKeyByType.size() == 3;
    }

    /** @return the most recently offered SPS, parsed, or null */
    HevcSps sps() {
        return latestSps;
    }

    /** @return picture width in pixels inside the conformance window, from the most recently offered SPS */
    public int width() {
        return requireSps().width();
    }

    /** @return picture height in pixels inside the conformance window, from the most recently offered SPS */
    public int height() {
        return requireSps().height();
    }

    private HevcSps requireSps() {
        if (latestSps == null) {
            throw new IllegalStateException("no HEVC SPS offered yet");
        }
        return latestSps;
    }

    /**
     * Builds the HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) of the most recently offered VPS, SPS and
     * PPS: the body of an Enhanced RTMP SequenceStart after its ExVideoTagHeader.
     *
     * @return the record; the CALLER OWNS it and must release it once
     * @throws IllegalStateException unless {@link #ready()}
     */
    public ByteBuf decoderConfigurationRecord(ByteBufAllocator alloc) {
        if (!ready()) {
            throw new IllegalStateException("a VPS, an SPS and a PPS are needed for an HEVCDecoderConfigurationRecord");
        }
        return HevcDecoderConfigurationRecordWriter.build(alloc, latest(HevcNalUnitType.VPS),
                latest(HevcNalUnitType.SPS), latest(HevcNalUnitType.PPS));
    }

    /**
     * @param type {@link HevcNalUnitType#VPS}, {@link HevcNalUnitType#SPS} or {@link HevcNalUnitType#PPS}
     * @return the most recently offered NAL unit of that type, or null; BORROWED from this object: valid until
     *     the next {@link #offer} or {@link #close()}, do not release
     */
    ByteBuf latest(int type) {
        Integer key = latestKeyByType.get(type);
        return key == null ? null : byKey.get(key);
    }

    /** Releases the kept copies; empty afterwards and reusable. */
    @Override
    public void close() {
        byKey.values().forEach(ByteBuf::release);
        byKey.clear();
        latestKeyByType.clear();
        latestSps = null;
    }
}
