package io.edgepush.bridge.wire;

/** Frame type byte (header offset 3), PROTOCOL.md section 3. */
enum MessageType {
    /** Camera -> gateway: identity and capabilities; first frame of a link. */
    HELLO(0x01),
    /** Camera -> gateway: one H.264 access unit, Annex B; flags bit0 = keyframe. */
    VIDEO(0x02),
    /** Camera -> gateway: motion start/end, encoder state, error. */
    EVENT(0x03),
    /** Both directions: liveness. */
    HEARTBEAT(0x04),
    /** Gateway -> camera: encoder control, answered by ACK. */
    CONTROL(0x10),
    /** Camera -> gateway: answer to a CONTROL. */
    ACK(0x11);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type for a wire byte, or null when v1 does not define it (such frames are ignored). */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Index: the wire byte (0..255); built once, so a lookup allocates nothing (values() copies its array). */
    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }
}
