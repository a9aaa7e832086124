package io.edgepush.bridge.wire;

/** CONTROL operation byte, PROTOCOL.md section 3.5. The value's meaning is per op. */
public enum ControlOp {
    /** value = target bitrate, bits per second. */
    SET_BITRATE(1),
    /** value = frames per second. */
    SET_FPS(2),
    /** value = (width << 16) | height, see {@link Control#resolution(int, int)}. */
    SET_RESOLUTION(3),
    /** value = 0 low, 1 medium, 2 high, 3 ultra (DESIGN.md section 4). */
    SET_PRESET(4),
    /** value = 0; the next access unit is an IDR with SPS/PPS. */
    FORCE_IDR(5),
    /** value = 0. */
    START_ENCODER(6),
    /** value = 0. */
    STOP_ENCODER(7);

    private final int code;

    ControlOp(int code) {
        this.code = code;
    }

    /** The op byte on the wire. */
    public int code() {
        return code;
    }

    /** The op for a wire byte, or null if v1 does not define it. */
    public static ControlOp fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Index: the wire byte (0..255); built once, so a lookup allocates nothing (values() copies its array). */
    private static final ControlOp[] BY_CODE = new ControlOp[256];

    static {
        for (ControlOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }
}
