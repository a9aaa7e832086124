package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups HEVC NAL units in decoding order into access units (ITU-T H.265 7.4.2.4.4, base layer). After the
 * first VCL NAL unit of the access unit being built, a new access unit starts at the first of: an access unit
 * delimiter (35), a VPS, SPS or PPS (32..34), a prefix SEI (39), a NAL unit of type 41..44 or 48..55, or a VCL
 * NAL unit (0..31) whose first_slice_segment_in_pic_flag (the first bit of the slice segment header, 7.3.6.1)
 * is 1. Slice segments with the flag 0 stay in the picture; end of sequence/bitstream, filler data and suffix
 * SEI stay with the picture before them. NAL units with nuh_layer_id &gt; 0 never start an access unit. Not
 * thread-safe.
 */
public final class HevcAccessUnitAssembler {
    private final Consumer<HevcAccessUnit> sink;
    private List<ByteBuf> current = new ArrayList<>();
    private boolean currentHasVcl;

    /**
     * @param sink receives each complete access unit and TAKES OWNERSHIP of it (must call
     *     {@link HevcAccessUnit#release()} once)
     */
    public HevcAccessUnitAssembler(Consumer<HevcAccessUnit> sink) {
        this.sink = sink;
    }

    /**
     * Adds the next NAL unit in decoding order; may first emit the previous access unit to the sink.
     *
     * @param nal TAKES OWNERSHIP; one NAL unit without start code, starting with its 2-byte header
     * @throws H265Exception if the NAL unit header is invalid, or a VCL NAL unit has no slice segment header
     *     byte; the NAL unit has then been released and the access unit being built is unchanged
     */
    public void push(ByteBuf nal) {
        int type;
        int layer;
        try {
            type = HevcNalUnitType.of(nal);
            layer = HevcNalUnitType.layerId(nal);
            if (HevcNalUnitType.isVcl(type) && nal.readableBytes() < HevcNalUnitType.HEADER_BYTES + 1) {
                throw new H265Exception("HEVC slice segment NAL unit (type " + type
                        + ") has no first_slice_segment_in_pic_flag: only the 2-byte header");
            }
        } catch (H265Exception e) {
            nal.release();
            throw new H265Exception("HEVC access unit assembler: " + e.getMessage(), e);
        }
        if (currentHasVcl && layer == 0 && startsAccessUnit(nal, type)) {
            try {
                emit();
            } catch (RuntimeException e) {
                nal.release(); // the sink threw: the NAL unit was not taken into an access unit
                throw e;
            }
        }
        current.add(nal);
        currentHasVcl |= HevcNalUnitType.isVcl(type);
    }

    private static boolean startsAccessUnit(ByteBuf nal, int type) {
        if (HevcNalUnitType.isVcl(type)) {
            return (nal.getByte(nal.readerIndex() + HevcNalUnitType.HEADER_BYTES) & 0x80) != 0;
        }
        return (type >= HevcNalUnitType.VPS && type <= HevcNalUnitType.AUD) || type == HevcNalUnitType.PREFIX_SEI
                || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
    }

    /**
     * Emits the access unit being built, if it holds a picture. Non-VCL NAL units not followed by any picture
     * are not an access unit: they are released and dropped.
     */
    public void flush() {
        if (currentHasVcl) {
            emit();
        } else {
            current.forEach(ByteBuf::release);
            current.clear();
        }
    }

    /**
     * The caller knows the access unit being built is complete (one framed VIDEO message per access unit): emits
     * it now if it holds a picture. Non-VCL NAL units without a picture are kept for the next access unit.
     */
    public void endOfAccessUnit() {
        if (currentHasVcl) {
            emit();
        }
    }

    /** Releases the access unit being built without emitting it (its message turned out to be corrupt). */
    public void discardAccessUnit() {
        current.forEach(ByteBuf::release);
        current.clear();
        currentHasVcl = false;
    }

    private void emit() {
        HevcAccessUnit au = new HevcAccessUnit(current);
        current = new ArrayList<>();
        currentHasVcl = false;
        sink.accept(au);
    }
}
