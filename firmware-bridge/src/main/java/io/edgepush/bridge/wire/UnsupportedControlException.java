package io.edgepush.bridge.wire;

/** A well-formed CONTROL whose op byte v1 does not define; the camera answers ACK UNSUPPORTED. */
final class UnsupportedControlException extends WireException {
    private final long controlId;
    private final int streamId;

    public UnsupportedControlException(long controlId, int opCode, int streamId) {
        super("CONTROL " + controlId + ": unknown op " + opCode);
        this.controlId = controlId;
        this.streamId = streamId;
    }

    /** The control id to answer. */
    public long controlId() {
        return controlId;
    }

    /** The stream id of the CONTROL frame. */
    public int streamId() {
        return streamId;
    }
}
