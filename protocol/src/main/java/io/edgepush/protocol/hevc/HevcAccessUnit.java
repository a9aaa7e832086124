package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.List;

/**
 * One HEVC access unit (ITU-T H.265 3.1, 7.4.2.4.4): the NAL units of one coded picture plus the non-VCL NAL
 * units that belong to it, in decoding order, without start codes. It OWNS its NAL unit buffers;
 * {@link #release()} releases each exactly once.
 */
public final class HevcAccessUnit {
    private final List<ByteBuf> nalUnits;
    private final boolean keyframe;
    private boolean released;

    /**
     * @param nalUnits TAKES OWNERSHIP of every buffer; the list is kept (not copied), so the caller must not
     *     modify it afterwards; each NAL unit has a valid 2-byte header
     */
    public HevcAccessUnit(List<ByteBuf> nalUnits) {
        this.nalUnits = Collections.unmodifiableList(nalUnits);
        boolean irap = false;
        for (ByteBuf nal : nalUnits) {
            irap |= HevcNalUnitType.isKeyframe(HevcNalUnitType.of(nal));
        }
        this.keyframe = irap;
    }

    /**
     * @return the NAL units in decoding order, each starting with its 2-byte header; BORROWED: valid until
     *     {@link #release()}, do not release them individually
     * @throws IllegalStateException after {@link #release()}
     */
    public List<ByteBuf> nalUnits() {
        checkNotReleased();
        return nalUnits;
    }

    /** @return true if the picture is an IRAP picture (BLA, IDR or CRA, nal_unit_type 16..21); usable after release */
    public boolean isKeyframe() {
        return keyframe;
    }

    /**
     * Releases every NAL unit buffer exactly once.
     *
     * @throws IllegalStateException if called twice
     */
    public void release() {
        checkNotReleased();
        released = true;
        for (ByteBuf nal : nalUnits) {
            nal.release();
        }
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("HEVC access unit already released");
        }
    }

    @Override
    public String toString() {
        if (released) {
            return "HevcAccessUnit[released]";
        }
        StringBuilder sb = new StringBuilder("HevcAccessUnit[types=");
        for (int i = 0; i < nalUnits.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(HevcNalUnitType.of(nalUnits.get(i)));
        }
        return sb.append(']').toString();
    }
}
