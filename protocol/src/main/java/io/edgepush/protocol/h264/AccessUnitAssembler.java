package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups NAL units in decoding order into access units (ISO/IEC 14496-10 7.4.1.2.3). A new access unit starts
 * at an access unit delimiter, at an SPS, PPS, SEI or NAL unit of type 14..18 that follows a VCL NAL unit of the
 * current access unit, and at a VCL NAL unit that begins a new primary coded picture: first_mb_in_slice == 0,
 * or (when its SPS and PPS have been seen) a slice header differing per 7.4.1.2.4 (frame_num, pps id,
 * field/bottom flags, nal_ref_idc zero-ness, POC fields, IdrPicFlag, idr_pic_id). The slices of a multi-slice
 * picture stay in one access unit. Each access unit carries its first slice header and the SPS in use, for
 * picture order count ({@link PicOrderCounter}). Not thread-safe.
 */
public final class AccessUnitAssembler {
    private static final Logger LOG = LoggerFactory.getLogger(AccessUnitAssembler.class);

    private final Consumer<AccessUnit> sink;
    private final Map<Integer, Sps> spsById = new HashMap<>();
    private final Map<Integer, Pps> ppsById = new HashMap<>();
    /** The lookups the slice header parser takes, made once (a method reference per slice would be garbage). */
    private final java.util.function.IntFunction<Pps> ppsLookup = ppsById::get;
    private final java.util.function.IntFunction<Sps> spsLookup = spsById::get;
    private List<ByteBuf> current = new ArrayList<>();
    private boolean currentHasVcl;
    private SliceHeader lastSlice;
    private SliceHeader firstSlice;
    private Sps firstSliceSps;

    /**
     * @param sink receives each complete access unit and takes ownership of it (must call
     *     {@link AccessUnit#release()} once)
     */
    public AccessUnitAssembler(Consumer<AccessUnit> sink) {
        this.sink = sink;
    }

    /**
     * Adds the next NAL unit in decoding order; may first emit the previous access unit to the sink.
     *
     * @param nal TAKES OWNERSHIP; one NAL unit without start code, starting with its header byte
     * @throws H264Exception if the NAL unit is empty or is a slice too short to hold first_mb_in_slice; the
     *     NAL unit has then been released and the access unit being built is unchanged
     */
    public void push(ByteBuf nal) {
        int type;
        try {
            type = NalUnitType.of(nal);
        } catch (H264Exception e) {
            nal.release();
            throw new H264Exception("access unit assembler: " + e.getMessage(), e);
        }
        if (type == NalUnitType.AUD) {
            emitBefore(nal);
        } else if (type == NalUnitType.SPS || type == NalUnitType.PPS || type == NalUnitType.SEI
                || (type >= 14 && type <= 18)) {
            emitBefore(nal);
            rememberParameterSet(type, nal);
        } else if (type == NalUnitType.SLICE || type == NalUnitType.DPA || type == NalUnitType.IDR) {
            pushSlice(nal);
            return;
        } else if (NalUnitType.isVcl(type)) {
            currentHasVcl = true;
        }
        current.add(nal);
    }

    /**
     * Emits the access unit being built, if it holds a picture. Non-VCL NAL units not followed by any picture
     * (e.g. a trailing SPS at the end of a stream) are not an access unit: they are released and dropped.
     */
    public void flush() {
        if (currentHasVcl) {
            emit();
        } else {
            for (ByteBuf nal : current) {
                nal.release();
            }
            current.clear();
        }
    }

    /**
     * The caller knows the access unit being built is complete (e.g. one framed VIDEO message per access unit):
     * emits it now if it holds a picture, instead of waiting for the next access unit to begin. Non-VCL NAL units
     * without a picture (an SPS and PPS sent on their own) are kept for the next access unit.
     */
    public void endOfAccessUnit() {
        emitIfHasVcl();
    }

    /** Releases the access unit being built without emitting it (its message turned out to be corrupt). */
    public void discardAccessUnit() {
        for (ByteBuf nal : current) {
            nal.release();
        }
        current.clear();
        currentHasVcl = false;
        lastSlice = null;
        firstSlice = null;
        firstSliceSps = null;
    }

    private void pushSlice(ByteBuf nal) {
        SliceHeader header = null;
        int firstMb;
        try {
            header = SliceHeader.parse(nal, ppsLookup, spsLookup);
            firstMb = header.firstMbInSlice();
        } catch (H264Exception e) {
            LOG.debug("slice header not fully parsed, using first_mb_in_slice only: {}", e.getMessage());
            try {
                firstMb = SliceHeader.readFirstMbInSlice(nal);
            } catch (H264Exception e2) {
                nal.release();
                throw new H264Exception("access unit assembler: " + e2.getMessage(), e2);
            }
        }
        if (currentHasVcl) {
            boolean newPicture = firstMb == 0
                    || (header != null && lastSlice != null && lastSlice.belongsToDifferentPicture(header));
            if (newPicture) {
                emitBefore(nal);
            }
        }
        if (!currentHasVcl) {
            firstSlice = header;
            firstSliceSps = header == null ? null : spsById.get(ppsById.get(header.ppsId()).spsId());
        }
        current.add(nal);
        currentHasVcl = true;
        lastSlice = header;
    }

    private void rememberParameterSet(int type, ByteBuf nal) {
        try {
            if (type == NalUnitType.SPS) {
                Sps sps = SpsParser.parse(nal);
                spsById.put(sps.spsId(), sps);
            } else if (type == NalUnitType.PPS) {
                Pps pps = PpsParser.parse(nal);
                ppsById.put(pps.ppsId(), pps);
            }
        } catch (H264Exception e) {
            LOG.warn("parameter set kept in the stream but not used for access unit detection: {}", e.getMessage());
        }
    }

    /** Emits the access unit being built (if it has a picture) before {@code nal}, released if the sink throws. */
    private void emitBefore(ByteBuf nal) {
        try {
            emitIfHasVcl();
        } catch (RuntimeException e) {
            nal.release();
            throw e;
        }
    }

    private void emitIfHasVcl() {
        if (currentHasVcl) {
            emit();
        }
    }

    private void emit() {
        AccessUnit au = new AccessUnit(current, firstSlice, firstSliceSps);
        current = new ArrayList<>();
        currentHasVcl = false;
        lastSlice = null;
        firstSlice = null;
        firstSliceSps = null;
        sink.accept(au);
    }
}
