package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps copies of the latest VPS, SPS and PPS NAL units of an HEVC stream (by id, ITU-T H.265 7.4.3), so a
 * publisher can build an HEVCDecoderConfigurationRecord and notice when a parameter set changes. OWNS its
 * copies; {@link #close()} releases them. Not thread-safe.
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
    public HevcSps sps() {
        return latestSps;
    }

    /**
     * @param type {@link HevcNalUnitType#VPS}, {@link HevcNalUnitType#SPS} or {@link HevcNalUnitType#PPS}
     * @return the most recently offered NAL unit of that type, or null; BORROWED from this object: valid until
     *     the next {@link #offer} or {@link #close()}, do not release
     */
    public ByteBuf latest(int type) {
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
