package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.List;

/**
 * One access unit (ISO/IEC 14496-10 3.1, 7.4.1.2.3): the NAL units of one primary coded picture plus the
 * non-VCL NAL units (AUD, SPS, PPS, SEI, end of sequence/stream, filler) that belong to it, in decoding order,
 * without start codes. The access unit OWNS its NAL unit buffers; {@link #release()} releases each exactly once.
 */
public final class AccessUnit {
    private final List<ByteBuf> nalUnits;
    private final SliceHeader firstSliceHeader;
    private final Sps sps;
    private boolean released;

    /**
     * An access unit without parsed slice header ({@link #firstSliceHeader()} and {@link #sps()} are null).
     *
     * @param nalUnits takes ownership of every buffer in the list; the list itself is kept (not copied), so the
     *     caller must not modify it afterwards
     */
    AccessUnit(List<ByteBuf> nalUnits) {
        this(nalUnits, null, null);
    }

    /**
     * @param nalUnits takes ownership of every buffer in the list (kept, not copied)
     * @param firstSliceHeader the slice header of the picture's first VCL NAL unit, or null if it did not parse
     * @param sps the SPS that slice refers to (through its PPS), or null with a null header
     */
    AccessUnit(List<ByteBuf> nalUnits, SliceHeader firstSliceHeader, Sps sps) {
        this.nalUnits = Collections.unmodifiableList(nalUnits);
        this.firstSliceHeader = firstSliceHeader;
        this.sps = sps;
    }

    /**
     * @return the parsed slice header (7.3.3, up to delta_pic_order_cnt) of the first slice of the picture, or
     *     null when it could not be parsed (e.g. its PPS or SPS was never received); usable after release
     */
    SliceHeader firstSliceHeader() {
        return firstSliceHeader;
    }

    /**
     * The coded video sequence's shape, from the SPS active for this picture (7.3.2.1.1, E.2.1).
     *
     * @param width  cropped frame width, pixels
     * @param height cropped frame height, pixels
     * @param fps    VUI frame rate, time_scale / (2 * num_units_in_tick), or 0 when the SPS carries no timing
     */
    public record Shape(int width, int height, double fps) {
    }

    /** @return the shape of this picture's sequence when its first slice header parsed, else null */
    public Shape shape() {
        return sps == null ? null : new Shape(sps.width(), sps.height(), sps.fps() == null ? 0 : sps.fps());
    }

    /** @return the SPS active for this picture when {@link #firstSliceHeader()} is not null, else null */
    Sps sps() {
        return sps;
    }

    /**
     * @return the NAL units in decoding order, each starting with its header byte; BORROWED: valid until
     *     {@link #release()}, do not release them individually (retain them to keep them longer)
     * @throws IllegalStateException after {@link #release()}
     */
    public List<ByteBuf> nalUnits() {
        checkNotReleased();
        return nalUnits;
    }

    /** @return true if the access unit contains an IDR slice (nal_unit_type 5) */
    public boolean isKeyframe() {
        return contains(NalUnitType.IDR);
    }

    /** @return true if the access unit contains an SPS or a PPS */
    public boolean hasParameterSets() {
        return contains(NalUnitType.SPS) || contains(NalUnitType.PPS);
    }

    /** @return the sum of the NAL unit sizes in bytes (without start codes or length prefixes) */
    public int sizeBytes() {
        checkNotReleased();
        int total = 0;
        for (int i = 0; i < nalUnits.size(); i++) {
            total += nalUnits.get(i).readableBytes();
        }
        return total;
    }

    /**
     * Releases every NAL unit buffer exactly once.
     *
     * @throws IllegalStateException if called twice
     */
    public void release() {
        checkNotReleased();
        released = true;
        for (int i = 0; i < nalUnits.size(); i++) {
            nalUnits.get(i).release();
        }
    }

    private boolean contains(int type) {
        checkNotReleased();
        for (int i = 0; i < nalUnits.size(); i++) { // indexed: an iterator per frame is garbage
            ByteBuf nal = nalUnits.get(i);
            if (nal.isReadable() && NalUnitType.of(nal) == type) {
                return true;
            }
        }
        return false;
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("access unit already released");
        }
    }

    @Override
    public String toString() {
        if (released) {
            return "AccessUnit[released]";
        }
        StringBuilder sb = new StringBuilder("AccessUnit[types=");
        for (int i = 0; i < nalUnits.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(NalUnitType.of(nalUnits.get(i)));
        }
        return sb.append(", bytes=").append(sizeBytes()).append(']').toString();
    }
}
