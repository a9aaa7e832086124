package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * PROTOCOL.md v1 framing for one end of one link over a byte stream (TCP socket, serial port): the door to this
 * package's frame encoder and decoder, for the gateway side and the camera side alike.
 *
 * <p>Encoding gives every message the next sequence number of its stream in this direction (section 2.2: one
 * u32 counter per stream id, whatever the type). Encode and write under one lock, so that sequence order is
 * write order; the encoding methods are not thread-safe on their own.
 *
 * <p>Decoding ({@link #feed}) skips garbage and resynchronises after CRC errors, unknown versions and oversize
 * lengths (section 2.4), and hands every valid frame's message to a {@link Receiver}. One thread feeds. Decoding
 * and encoding share no state: one thread may feed while another encodes.
 */
public final class WireCodec implements AutoCloseable {
    /** Protocol maximum payload, 2 MiB; a receiver may configure lower. */
    public static final int MAX_PAYLOAD_BYTES = Frame.MAX_PAYLOAD_BYTES;

    /**
     * What {@link #feed} found, in arrival order, on the feeding thread. Every method has a default that ignores
     * the message (and releases what it owns).
     */
    public interface Receiver {
        /** Every valid (CRC-checked) frame, before its message: its stream id and u32 sequence number. */
        default void onFrame(int streamId, long sequence) {
        }

        /** HELLO (section 3.1). */
        default void onHello(Hello hello) {
        }

        /**
         * VIDEO (section 3.2): one access unit, Annex B, with the frame's capture time and keyframe flag. TAKES
         * OWNERSHIP of {@code annexB} (release it exactly once); the default releases it.
         */
        default void onVideo(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
            annexB.release();
        }

        /** EVENT (section 3.3). */
        default void onEvent(Event event) {
        }

        /**
         * HEARTBEAT (section 3.4).
         *
         * @param sequence the frame's sequence number: 0 means the sender (re)started its side of the link (section 4)
         */
        default void onHeartbeat(long sequence, long uptimeSec, long droppedFrames) {
        }

        /** CONTROL (section 3.5). */
        default void onControl(Control control) {
        }

        /** ACK (section 3.6). */
        default void onAck(Ack ack) {
        }

        /**
         * A well-formed CONTROL whose op v1 does not define: a camera answers ACK UNSUPPORTED. The default treats it
         * as {@link #onMalformed malformed}.
         */
        default void onUnknownControl(long controlId, int streamId, String reason) {
            onMalformed(false, reason);
        }

        /**
         * A valid frame whose payload is malformed for its type; the frame is dropped.
         *
         * @param hello  the frame was a HELLO
         * @param reason what is wrong and where
         */
        default void onMalformed(boolean hello, String reason) {
        }
    }

    private final ByteBufAllocator alloc;
    private final FrameDecoder decoder;
    private final long[] sequence = new long[256];

    /**
     * @param alloc           allocator for encoded frames, the decoder's buffer and decoded payloads
     * @param maxPayloadBytes largest payload accepted when decoding, 0..{@link #MAX_PAYLOAD_BYTES}
     */
    public WireCodec(ByteBufAllocator alloc, int maxPayloadBytes) {
        this.alloc = alloc;
        this.decoder = new FrameDecoder(alloc, maxPayloadBytes);
    }

    /** HELLO as the next frame of stream 0. The caller owns the result. */
    public ByteBuf encode(Hello hello, long timestampUs) {
        return frame(hello, timestampUs);
    }

    /** EVENT stamped with {@link Event#timestampUs()}. The caller owns the result. */
    public ByteBuf encode(Event event) {
        return frame(event, event.timestampUs());
    }

    /** CONTROL. The caller owns the result. */
    public ByteBuf encode(Control control, long timestampUs) {
        return frame(control, timestampUs);
    }

    /** ACK. The caller owns the result. */
    public ByteBuf encode(Ack ack, long timestampUs) {
        return frame(ack, timestampUs);
    }

    /**
     * HEARTBEAT (stream 0). The caller owns the result.
     *
     * @param uptimeSec     seconds since the sender started, u32
     * @param droppedFrames access units the camera dropped before sending since connecting, u32 (gateway: 0)
     */
    public ByteBuf heartbeat(long uptimeSec, long droppedFrames, long timestampUs) {
        return frame(new Heartbeat(uptimeSec, droppedFrames), timestampUs);
    }

    /**
     * VIDEO: one access unit of stream {@code streamId} (0..255), timestamped with its capture time. BORROWS
     * {@code annexB} (copied, not released). The caller owns the result.
     *
     * @throws IllegalArgumentException if the stream id is out of range or the payload exceeds
     *                                  {@link #MAX_PAYLOAD_BYTES}
     */
    public ByteBuf video(int streamId, long captureTimeUs, boolean keyframe, ByteBuf annexB) {
        return frame(new VideoFrame(streamId, 0, captureTimeUs, keyframe, annexB), captureTimeUs);
    }

    private ByteBuf frame(WireMessage m, long timestampUs) {
        int stream = m.streamId();
        long seq = sequence[stream];
        ByteBuf encoded = FrameEncoder.encode(alloc, m, seq, timestampUs);
        sequence[stream] = (seq + 1) & 0xFFFF_FFFFL;
        return encoded;
    }

    /**
     * Appends the readable bytes of {@code chunk} (BORROWED: not released, reader index unchanged) and hands every
     * frame now complete to {@code receiver}. Frames of types v1 does not define are counted and ignored. After
     * {@link #close()} input is ignored.
     */
    public void feed(ByteBuf chunk, Receiver receiver) {
        feeding = receiver;
        try {
            decoder.feed(chunk, dispatchToFeeding);
        } finally {
            feeding = null;
        }
    }

    /** The receiver of the {@link #feed} in progress; one consumer made once, as a lambda per feed is garbage. */
    private Receiver feeding;
    private final java.util.function.Consumer<Frame> dispatchToFeeding = frame -> dispatch(frame, feeding);

    private static void dispatch(Frame frame, Receiver r) {
        r.onFrame(frame.streamId(), frame.sequence());
        boolean hello = frame.typeCode() == MessageType.HELLO.code();
        long sequence = frame.sequence();
        WireMessage m;
        try {
            m = Messages.decode(frame);
        } catch (UnsupportedControlException e) {
            r.onUnknownControl(e.controlId(), e.streamId(), e.getMessage());
            return;
        } catch (WireException e) {
            r.onMalformed(hello, e.getMessage());
            return;
        }
        if (m instanceof Hello h) {
            r.onHello(h);
        } else if (m instanceof VideoFrame v) {
            r.onVideo(v.streamId(), v.captureTimeUs(), v.keyframe(), v.annexB());
        } else if (m instanceof Event e) {
            r.onEvent(e);
        } else if (m instanceof Heartbeat h) {
            r.onHeartbeat(sequence, h.uptimeSec(), h.droppedFrames());
        } else if (m instanceof Control c) {
            r.onControl(c);
        } else if (m instanceof Ack a) {
            r.onAck(a);
        }
    }

    /** Valid frames decoded so far. */
    public long framesDecoded() {
        return decoder.framesDecoded();
    }

    /** Bytes discarded while resynchronising. */
    public long bytesSkipped() {
        return decoder.bytesSkipped();
    }

    /** Header or frame CRC mismatches. */
    public long crcErrors() {
        return decoder.crcErrors();
    }

    /** Frames refused because their length exceeded the maximum. */
    public long oversizeFrames() {
        return decoder.oversizeFrames();
    }

    /** Releases the decoder's buffer; later input is ignored. Idempotent. */
    @Override
    public void close() {
        decoder.close();
    }
}
