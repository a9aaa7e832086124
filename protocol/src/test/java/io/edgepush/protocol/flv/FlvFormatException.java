package io.edgepush.protocol.flv;

import java.io.IOException;

/**
 * A malformed or truncated FLV file (Adobe FLV spec v10.1, annex E). The message names the problem and the byte
 * offset in the file; {@link #offset()} returns the same offset. Thrown by the test kit's {@link FlvFileReader} and
 * {@link EnhancedVideoTag}.
 */
public class FlvFormatException extends IOException {

    private final long offset;

    /**
     * @param message what is wrong, without the offset (it is appended)
     * @param offset  byte offset in the file where the problem was found
     */
    public FlvFormatException(String message, long offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /** @return byte offset in the file where the problem was found */
    public long offset() {
        return offset;
    }
}
