package io.edgepush.bridge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for the firmware-bridge frame reader ({@link FrameDecoder}, PROTOCOL.md section 2.4) and the
 * message decoder behind it ({@link Messages#decode}, section 3).
 *
 * <p>Input layout: byte 0 sets maxPayloadBytes (16 * b), byte 1 the size of the pieces the stream arrives in
 * (1..256), then operations, each a selector byte (low 2 bits) and its operands: 0 raw bytes (length byte, then
 * the bytes), 1 a valid frame, 2 a valid frame cut after n bytes, 3 a valid frame with one byte changed. A
 * frame is type, flags, stream id, 4 sequence and 8 timestamp bytes, a length byte and the payload; its CRCs
 * are computed here with java.util.zip.CRC32 (CRC-32/ISO-HDLC, as PROTOCOL.md specifies). After the stream the
 * target feeds one maximal frame of zero bytes so nothing valid stays waiting behind a cut header.
 *
 * <p>Invariants: feeding never throws; after each piece, bytesSkipped + bytes of emitted frames +
 * bufferedBytes = bytes fed, fewer than one maximal frame is buffered and the internal buffer stays bounded;
 * no buffer larger than maxPayloadBytes (or the 4 KiB initial cumulation / one piece) is requested; each
 * emitted frame is exactly the bytes at its stream offset (bytesSkipped + bytes of earlier frames); every frame
 * built valid with a payload within the limit is emitted at its offset unless an emitted frame overlaps it (the
 * bytes around it may really form another valid frame: a cut frame whose missing CRC byte equals the next
 * frame's first byte was the first finding); {@link Messages#decode} returns null only for undefined types and
 * throws only {@link WireException}; each decoded message re-encoded with {@link FrameEncoder} decodes to an
 * equal message; every buffer is released after {@link FrameDecoder#close()}.
 */
class FrameDecoderFuzzTest {
    private static final int INITIAL_CUMULATION_BYTES = 4096;

    /** A frame's header fields and payload, comparable by value. */
    private record Fields(int typeCode, int flags, int streamId, long sequence, long timestampUs, String payloadHex) {
        static Fields of(Frame f) {
            return new Fields(f.typeCode(), f.flags(), f.streamId(), f.sequence(), f.timestampUs(),
                    ByteBufUtil.hexDump(f.payload()));
        }

        byte[] encode() {
            byte[] payload = ByteBufUtil.decodeHexDump(payloadHex);
            ByteBuf out = Unpooled.buffer();
            out.writeByte(Frame.MAGIC_0).writeByte(Frame.MAGIC_1).writeByte(Frame.VERSION).writeByte(typeCode)
                    .writeByte(flags).writeByte(streamId).writeInt((int) sequence).writeLong(timestampUs)
                    .writeInt(payload.length);
            out.writeInt(crc(out, 0, Frame.HEADER_CRC_OFFSET));
            out.writeBytes(payload);
            out.writeInt(crc(out, 0, out.writerIndex()));
            return ByteBufUtil.getBytes(out);
        }
    }

    /** A frame and its byte offset in the stream. */
    private record Placed(long offset, Fields fields) {
        long end() {
            return offset + Frame.HEADER_LENGTH + payloadBytes() + Frame.TRAILER_LENGTH;
        }

        int payloadBytes() {
            return fields.payloadHex().length() / 2;
        }
    }

    /** Reads operands; past the end every read yields 0. */
    private static final class Cursor {
        private final byte[] data;
        private int at;

        Cursor(byte[] data, int at) {
            this.data = data;
            this.at = at;
        }

        boolean more() {
            return at < data.length;
        }

        int u8() {
            return at < data.length ? data[at++] & 0xFF : 0;
        }

        long bytesAsLong(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | u8();
            }
            return v;
        }

        byte[] take(int n) {
            int k = Math.max(0, Math.min(n, data.length - at));
            byte[] out = Arrays.copyOfRange(data, at, at + k);
            at += k;
            return out;
        }
    }

    @FuzzTest
    void feed(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int maxPayloadBytes = 16 * (data[0] & 0xFF);
        int pieceBytes = 1 + (data[1] & 0xFF);
        ByteBuf stream = Unpooled.buffer();
        List<Placed> expected = new ArrayList<>();
        Cursor c = new Cursor(data, 2);
        while (c.more()) {
            int op = c.u8() & 3;
            if (op == 0) {
                stream.writeBytes(c.take(c.u8()));
                continue;
            }
            Fields f = new Fields(c.u8(), c.u8(), c.u8(), c.bytesAsLong(4), c.bytesAsLong(8),
                    ByteBufUtil.hexDump(c.take(c.u8())));
            byte[] bytes = f.encode();
            if (op == 1) {
                if (bytes.length - Frame.HEADER_LENGTH - Frame.TRAILER_LENGTH <= maxPayloadBytes) {
                    expected.add(new Placed(stream.writerIndex(), f));
                }
                stream.writeBytes(bytes);
            } else if (op == 2) {
                stream.writeBytes(bytes, 0, c.u8() % bytes.length);
            } else {
                bytes[c.u8() % bytes.length] ^= (byte) (c.u8() | 1);
                stream.writeBytes(bytes);
            }
        }
        stream.writeZero(Frame.HEADER_LENGTH + maxPayloadBytes + Frame.TRAILER_LENGTH);
        byte[] input = ByteBufUtil.getBytes(stream);

        List<Placed> emitted = decodeAll(input, maxPayloadBytes, pieceBytes);
        for (Placed want : expected) {
            Placed at = emitted.stream().filter(e -> e.offset() == want.offset()).findFirst().orElse(null);
            if (at != null) {
                assertEquals(want.fields(), at.fields(), "frame at offset " + want.offset());
            } else {
                assertTrue(emitted.stream().anyMatch(e -> e.offset() < want.end() && want.offset() < e.end()),
                        "valid frame at offset " + want.offset() + " neither emitted nor overlapped: " + want);
            }
        }
    }

    private static List<Placed> decodeAll(byte[] input, int maxPayloadBytes, int pieceBytes) {
        TrackingAllocator alloc = new TrackingAllocator();
        List<Placed> emitted = new ArrayList<>();
        long[] emittedBytes = {0};
        FrameDecoder decoder = new FrameDecoder(alloc, maxPayloadBytes);
        try {
            for (int offset = 0; offset < input.length; offset += pieceBytes) {
                int n = Math.min(pieceBytes, input.length - offset);
                ByteBuf piece = Unpooled.wrappedBuffer(input, offset, n);
                decoder.feed(piece, frame -> {
                    Fields f = Fields.of(frame);
                    long at = decoder.bytesSkipped() + emittedBytes[0];
                    emitted.add(new Placed(at, f));
                    byte[] bytes = f.encode();
                    emittedBytes[0] += bytes.length;
                    assertTrue(frame.payload().readableBytes() <= maxPayloadBytes, "payload over the limit");
                    assertTrue(at + bytes.length <= input.length && Arrays.equals(bytes, Arrays.copyOfRange(
                            input, (int) at, (int) at + bytes.length)), "emitted frame " + f
                            + " is not the input bytes at offset " + at);
                    decodeMessage(frame);
                });
                assertEquals(0, piece.readerIndex(), "feed borrows the piece");
                long fed = offset + n;
                assertEquals(fed, decoder.bytesSkipped() + emittedBytes[0] + decoder.bufferedBytes(),
                        "skipped + emitted + buffered = fed");
                assertTrue(decoder.bufferedBytes() < Frame.HEADER_LENGTH + maxPayloadBytes + Frame.TRAILER_LENGTH,
                        "buffers " + decoder.bufferedBytes() + " bytes");
                int bound = 4 * (Frame.HEADER_LENGTH + Frame.TRAILER_LENGTH
                        + Math.max(INITIAL_CUMULATION_BYTES, maxPayloadBytes) + pieceBytes);
                assertTrue(alloc.largestLiveCapacity() <= bound, "internal buffer grew to "
                        + alloc.largestLiveCapacity() + " bytes");
            }
            assertEquals(emitted.size(), decoder.framesDecoded(), "framesDecoded counts emitted frames");
            assertTrue(alloc.largestRequestBytes() <= Math.max(Math.max(INITIAL_CUMULATION_BYTES, pieceBytes),
                    maxPayloadBytes), "requested " + alloc.largestRequestBytes() + " bytes");
        } finally {
            decoder.close();
            alloc.assertAllReleased("FrameDecoder.close()");
        }
        return emitted;
    }

    /** Messages.decode takes ownership of the frame; checks its contract and the FrameEncoder round trip. */
    private static void decodeMessage(Frame frame) {
        MessageType type = frame.type();
        Fields fields = Fields.of(frame);
        WireMessage message;
        try {
            message = Messages.decode(frame);
        } catch (WireException e) {
            assertTrue(released(frame.payload()), "payload released on " + e.getMessage());
            return;
        }
        if (type == null) {
            assertNull(message, "undefined type " + fields.typeCode() + " decodes to null");
            assertTrue(released(frame.payload()), "payload of an undefined type released");
            return;
        }
        assertNotNull(message, "defined type " + type + " decoded to null");
        if (message instanceof VideoFrame video) {
            try {
                assertEquals(fields.streamId(), video.streamId());
                assertEquals(fields.sequence(), video.sequence());
                assertEquals(fields.timestampUs(), video.captureTimeUs());
                assertEquals((fields.flags() & Frame.FLAG_KEYFRAME) != 0, video.keyframe());
                assertEquals(fields.payloadHex(), ByteBufUtil.hexDump(video.annexB()));
            } finally {
                video.annexB().release();
            }
            return;
        }
        assertTrue(released(frame.payload()), "payload of a " + type + " released");
        assertEquals(message, roundTrip(message, fields), "FrameEncoder -> FrameDecoder -> Messages round trip");
    }

    private static WireMessage roundTrip(WireMessage message, Fields fields) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf wire = FrameEncoder.encode(alloc, message, fields.sequence(), fields.timestampUs());
        List<WireMessage> out = new ArrayList<>();
        try (FrameDecoder decoder = new FrameDecoder(alloc, Frame.MAX_PAYLOAD_BYTES)) {
            decoder.feed(wire, frame -> out.add(Messages.decode(frame)));
        } finally {
            wire.release();
            alloc.assertAllReleased("round trip of " + message);
        }
        assertEquals(1, out.size(), "one frame back from FrameEncoder");
        return out.get(0);
    }

    /** Released, or Netty's shared empty buffer (an empty payload), whose refCnt() never drops. */
    private static boolean released(ByteBuf payload) {
        return payload.refCnt() == 0 || payload.maxCapacity() == 0;
    }

    private static int crc(ByteBuf buf, int index, int length) {
        CRC32 crc = new CRC32();
        crc.update(buf.nioBuffer(index, length));
        return (int) crc.getValue();
    }
}
