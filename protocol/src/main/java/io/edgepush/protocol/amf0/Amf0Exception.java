package io.edgepush.protocol.amf0;

/**
 * Malformed, truncated, unsupported or too deeply nested AMF0 data (Adobe AMF0 spec, section 2).
 *
 * <p>The message says what was expected and where: the byte offset is the {@code ByteBuf} index (as seen by
 * the buffer passed to {@link Amf0#readValue}) at which the problem was found. {@link #offset()} returns the same
 * offset, or -1 when the error is not tied to input bytes (for example a value the writer cannot encode).
 */
public class Amf0Exception extends RuntimeException {

    private final int offset;

    /**
     * @param message what went wrong, without the offset (it is appended)
     * @param offset  buffer index of the offending byte, or -1 if not applicable
     */
    public Amf0Exception(String message, int offset) {
        super(offset >= 0 ? message + " at offset " + offset : message);
        this.offset = offset;
    }

    /** @return buffer index where the problem was found, or -1 if the error is not about input bytes */
    public int offset() {
        return offset;
    }
}
