package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the RTMP chunk reader (Adobe RTMP specification 5.3) as fed by a server's bytes.
 *
 * <p>Input layout: byte 0 picks the size of the pieces the stream arrives in (0: all at once, else 1..255
 * bytes), byte 1 picks the reader's maxMessageBytes (2^(b % 25)), the rest is the chunk stream. Invariants:
 * only {@link RtmpException} with RTMP_PROTOCOL_ERROR escapes; the reader never asks its allocator for more
 * than maxMessageBytes; the messages and the error are the same whether the stream arrives at once or in
 * pieces; every decoded message, re-encoded with {@link ChunkWriter} and read again, comes back equal
 * (timestamps included, extended ones too); all buffers are released after {@link ChunkReader#release()}.
 */
class ChunkReaderFuzzTest {

    /** A decoded message with its payload copied out, comparable by value. */
    private record Decoded(int typeId, int messageStreamId, int timestampMs, String payloadHex) {
    }

    /** What a reader produced from a whole input: messages in order, then the error (or null). */
    private record Outcome(List<Decoded> messages, String error) {
    }

    @FuzzTest
    void read(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int pieceBytes = data[0] & 0xFF;
        int maxMessageBytes = 1 << ((data[1] & 0xFF) % 25);
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);

        Outcome whole = decode(stream, stream.length, maxMessageBytes);
        if (pieceBytes > 0 && pieceBytes < stream.length) {
            assertEquals(whole, decode(stream, pieceBytes, maxMessageBytes), "same result in pieces of " + pieceBytes);
        }
        assertReencodes(whole.messages());
    }

    private static Outcome decode(byte[] stream, int pieceBytes, int maxMessageBytes) {
        TrackingAllocator readerAlloc = new TrackingAllocator();
        TrackingAllocator inputAlloc = new TrackingAllocator();
        ChunkReader reader = new ChunkReader(readerAlloc, maxMessageBytes);
        List<Decoded> messages = new ArrayList<>();
        String error = null;
        ByteBuf cumulation = inputAlloc.buffer(Math.max(1, stream.length));
        try {
            for (int offset = 0; offset < stream.length; offset += pieceBytes) {
                cumulation.writeBytes(stream, offset, Math.min(pieceBytes, stream.length - offset));
                reader.read(cumulation, message -> {
                    try {
                        messages.add(new Decoded(message.typeId(), message.messageStreamId(), message.timestampMs(),
                                ByteBufUtil.hexDump(message.payload())));
                    } finally {
                        message.release();
                    }
                });
                cumulation.discardReadBytes();
            }
        } catch (RtmpException e) {
            assertEquals(RtmpErrorCode.RTMP_PROTOCOL_ERROR, e.code(), e.getMessage());
            error = e.getMessage();
        } finally {
            reader.release();
            cumulation.release();
        }
        assertTrue(readerAlloc.largestRequestBytes() <= maxMessageBytes, "reader asked for "
                + readerAlloc.largestRequestBytes() + " bytes with maxMessageBytes " + maxMessageBytes);
        readerAlloc.assertAllReleased("chunk reader release()");
        inputAlloc.assertAllReleased("input");
        return new Outcome(messages, error);
    }

    /** Writes the messages with a ChunkWriter (control on chunk stream 2, the rest on 3) and reads them back. */
    private static void assertReencodes(List<Decoded> messages) {
        if (messages.isEmpty()) {
            return;
        }
        TrackingAllocator alloc = new TrackingAllocator();
        ChunkWriter writer = new ChunkWriter();
        ByteBuf wire = alloc.buffer();
        int largest = 1;
        try {
            for (Decoded m : messages) {
                ByteBuf payload = alloc.buffer().writeBytes(ByteBufUtil.decodeHexDump(m.payloadHex()));
                try {
                    largest = Math.max(largest, payload.readableBytes());
                    int csid = m.typeId() >= 1 && m.typeId() <= 6 ? 2 : 3;
                    writer.write(wire, csid, m.typeId(), m.messageStreamId(), m.timestampMs(), payload);
                } finally {
                    payload.release();
                }
            }
            byte[] bytes = ByteBufUtil.getBytes(wire);
            Outcome again = decode(bytes, bytes.length, largest);
            assertEquals(new Outcome(messages, null), again, "ChunkWriter -> ChunkReader round trip");
        } finally {
            wire.release();
            alloc.assertAllReleased("re-encoding");
        }
    }

}
