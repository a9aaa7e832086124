package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps copies of the latest SPS and PPS NAL units (by id, ISO/IEC 14496-10 7.4.1.2.1) seen in a stream, so a
 * publisher can notice when the parameter sets change (e.g. after a resolution change), read the picture size and
 * frame rate of the latest SPS and build the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) of the FLV
 * sequence header. This is what the h264 package offers containers; the SPS parser and the record builder behind it
 * are package-private. The tracker OWNS its copies; {@link #close()} releases them. Not thread-safe.
 */
public final class ParameterSetTracker implements AutoCloseable {
    private final ByteBufAllocator allocator;
    private final Map<Integer, ByteBuf> spsBytesById = new HashMap<>();
    private final Map<Integer, Sps> spsById = new HashMap<>();
    private final Map<Integer, ByteBuf> ppsBytesById = new HashMap<>();
    private int latestSpsId = -1;
    private int latestPpsId = -1;

    /** Uses {@link PooledByteBufAllocator#DEFAULT} for the copies. */
    public ParameterSetTracker() {
        this(PooledByteBufAllocator.DEFAULT);
    }

    /** @param allocator allocator for the kept copies */
    public ParameterSetTracker(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Looks at one NAL unit; SPS and PPS NAL units are copied and kept, others are ignored.
     *
     * @param nal BORROWED; one NAL unit starting with its header byte; not modified
     * @return true if it is an SPS or PPS whose bytes differ from the one kept for its id (or it is new)
     * @throws H264Exception if it is an SPS or PPS that does not parse; the tracker is then unchanged
     */
    public boolean offer(ByteBuf nal) {
        if (!nal.isReadable()) {
            return false;
        }
        int type = NalUnitType.of(nal);
        if (type == NalUnitType.SPS) {
            Sps sps = SpsParser.parse(nal);
            latestSpsId = sps.spsId();
            spsById.put(sps.spsId(), sps);
            return keep(spsBytesById, sps.spsId(), nal);
        }
        if (type == NalUnitType.PPS) {
            Pps pps = PpsParser.parse(nal);
            latestPpsId = pps.ppsId();
            return keep(ppsBytesById, pps.ppsId(), nal);
        }
        return false;
    }

    private boolean keep(Map<Integer, ByteBuf> map, int id, ByteBuf nal) {
        ByteBuf old = map.get(id);
        if (old != null && ByteBufUtil.equals(old, nal)) {
            return false;
        }
        ByteBuf copy = allocator.buffer(nal.readableBytes());
        copy.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        map.put(id, copy);
        if (old != null) {
            old.release();
        }
        return true;
    }

    /** @return true once at least one SPS and one PPS have been seen */
    public boolean ready() {
        return latestSpsId >= 0 && latestPpsId >= 0;
    }

    /** @return the most recently offered SPS, parsed, or null if none yet */
    Sps sps() {
        return latestSpsId < 0 ? null : spsById.get(latestSpsId);
    }

    /** @return picture width in pixels after cropping, from the most recently offered SPS (7.4.2.1.1) */
    public int width() {
        return requireSps().width();
    }

    /** @return picture height in pixels after cropping, from the most recently offered SPS */
    public int height() {
        return requireSps().height();
    }

    /** @return frames per second from the most recently offered SPS's VUI timing (E.2.1), or null without one */
    public Double fps() {
        return requireSps().fps();
    }

    private Sps requireSps() {
        Sps sps = sps();
        if (sps == null) {
            throw new IllegalStateException("no SPS offered yet");
        }
        return sps;
    }

    /**
     * Builds the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) of the most recently offered SPS and PPS:
     * the body of an FLV AVC sequence header after its 5-byte tag header.
     *
     * @return the record; the CALLER OWNS it and must release it once
     * @throws IllegalStateException unless {@link #ready()}
     */
    public ByteBuf decoderConfigurationRecord(ByteBufAllocator alloc) {
        if (!ready()) {
            throw new IllegalStateException("an SPS and a PPS are needed for an AVCDecoderConfigurationRecord");
        }
        return AvcDecoderConfigurationRecord.build(alloc, List.of(spsBytes()), List.of(ppsBytes()));
    }

    /**
     * @return the most recently offered SPS NAL unit (header byte included), or null; BORROWED from the tracker:
     *     valid until the next {@link #offer} or {@link #close()}, do not release
     */
    ByteBuf spsBytes() {
        return latestSpsId < 0 ? null : spsBytesById.get(latestSpsId);
    }

    /**
     * @return the most recently offered PPS NAL unit (header byte included), or null; BORROWED from the tracker:
     *     valid until the next {@link #offer} or {@link #close()}, do not release
     */
    ByteBuf ppsBytes() {
        return latestPpsId < 0 ? null : ppsBytesById.get(latestPpsId);
    }

    /** Releases the kept copies; the tracker is empty afterwards and may be reused. */
    @Override
    public void close() {
        spsBytesById.values().forEach(ByteBuf::release);
        ppsBytesById.values().forEach(ByteBuf::release);
        spsBytesById.clear();
        ppsBytesById.clear();
        spsById.clear();
        latestSpsId = -1;
        latestPpsId = -1;
    }
}
