package io.edgepush.bridge.wire;

/** A frame or message that violates PROTOCOL.md; the message says what and where. */
class WireException extends RuntimeException {
    public WireException(String message) {
        super(message);
    }
}
