package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.amf0.Amf0Exception;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one RTMP connection, as a Netty handler: the door for RTMP servers built on this package (the
 * simulator's ingest, the test servers). Add one to each accepted channel's pipeline, after the TLS handler if any.
 *
 * <p>Receiving: it answers the handshake (Adobe RTMP specification 5.2, server side), reassembles chunks into
 * messages (5.3, honouring the peer's Set Chunk Size and Abort, 5.4.1, 5.4.2) and hands each message to its
 * {@link Listener}: first {@link Listener#onMessage} for every message as received, then one typed callback for
 * commands (type 20 AMF0, and type 17 whose body after the leading 0 byte is AMF0; 7.1.1), metadata (type 18
 * "@setDataFrame" / "onMetaData", 7.1.2), video (type 9) and audio (type 8). When asked to, it acknowledges the
 * bytes received each time the peer's Window Acknowledgement Size worth has arrived (5.4.3, 5.4.4).
 *
 * <p>Sending: commands on chunk stream 3, protocol control and User Control messages on chunk stream 2 (5.4, 7.1.7),
 * any other message, or raw bytes (for a test server that misbehaves on purpose).
 *
 * <p>Errors: a bad handshake or malformed chunks ({@link RtmpException}), or an exception thrown by the listener,
 * close the connection (logged at WARN); a command or data message that does not decode is logged and skipped.
 *
 * <p>Threads: listener callbacks run on the channel's event loop. The send methods may be called from any thread
 * (off the event loop they are queued to it, in call order). Buffers: payloads handed to the listener are
 * BORROWED for the duration of the call; the send methods that take a buffer TAKE OWNERSHIP of it.
 */
public final class RtmpServerConnection extends ByteToMessageDecoder {
    /** Largest message accepted by {@link #RtmpServerConnection(Listener)}: 16 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RtmpServerConnection.class);
    private static final int CSID_CONTROL = ChunkHeaders.CSID_CONTROL;
    private static final int CSID_COMMAND = 3;

    /** What one connection hands up, on its event loop. Every method has an empty default. */
    public interface Listener {
        /** The handshake is done: the peer is speaking RTMP and may now be sent messages. */
        default void onConnected(RtmpServerConnection connection) {
        }

        /**
         * Every message as received, before its typed callback (protocol control messages included; Set Chunk
         * Size and Abort have already been applied).
         *
         * @param typeId  the RTMP message type id (Adobe RTMP spec 5.4, 6.2, 7.1; audio 8, video 9 and data 18
         *                equal {@link io.edgepush.protocol.flv.FlvTagType}'s values)
         * @param payload BORROWED for the duration of the call
         */
        default void onMessage(RtmpServerConnection connection, int typeId, int messageStreamId, int timestampMs,
                               ByteBuf payload) {
        }

        /** A command (connect, createStream, publish, deleteStream, FCPublish, ...) on message stream msid. */
        default void onCommand(RtmpServerConnection connection, int messageStreamId, CommandMessage command) {
        }

        /**
         * Stream metadata: a data message "@setDataFrame" "onMetaData" {...} as a publisher sends it (or another
         * object set with "@setDataFrame"), or a bare "onMetaData" {...}.
         *
         * @param scriptTagBody the FLV SCRIPTDATA tag body: AMF0 "onMetaData" and the ECMA array, without the
         *                      "@setDataFrame" prefix (FLV spec E.4.4, E.5); BORROWED
         */
        default void onMetaData(RtmpServerConnection connection, int messageStreamId, ByteBuf scriptTagBody) {
        }

        /** A video message: {@code flvVideoTagBody} is an FLV VIDEODATA tag body (FLV spec E.4.3), BORROWED. */
        default void onVideo(RtmpServerConnection connection, int messageStreamId, int timestampMs,
                             ByteBuf flvVideoTagBody) {
        }

        /** An audio message: {@code flvAudioTagBody} is an FLV AUDIODATA tag body (FLV spec E.4.2), BORROWED. */
        default void onAudio(RtmpServerConnection connection, int messageStreamId, int timestampMs,
                             ByteBuf flvAudioTagBody) {
        }

        /** The connection has closed (either side); called once. */
        default void onClosed(RtmpServerConnection connection) {
        }
    }

    private final Listener listener;
    private final boolean acknowledge;
    private final Handshake handshake = Handshake.server();
    private final ChunkReader reader;
    private final ChunkWriter writer = new ChunkWriter();
    private ChannelHandlerContext ctx;
    private volatile long bytesReceived;
    private volatile long bytesWritten;
    private long acknowledgedAt;
    private long peerWindowBytes;
    private boolean closed;

    /** A connection accepting messages up to {@link #DEFAULT_MAX_MESSAGE_BYTES} that acknowledges received bytes. */
    public RtmpServerConnection(Listener listener) {
        this(listener, DEFAULT_MAX_MESSAGE_BYTES, true);
    }

    /**
     * @param maxMessageBytes largest message accepted; a longer one is a protocol error that closes the connection
     * @param acknowledge     true to send Acknowledgements at the peer's window (5.4.3) as servers do; false for a
     *                        test server that decides itself ({@link #sendAcknowledgement})
     */
    public RtmpServerConnection(Listener listener, int maxMessageBytes, boolean acknowledge) {
        this.listener = listener;
        this.acknowledge = acknowledge;
        this.reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, maxMessageBytes);
        handshake.start(PooledByteBufAllocator.DEFAULT, 0);
    }

    /** The channel (remote address, auto-read, close future); null before the handler was added. */
    public Channel channel() {
        ChannelHandlerContext c = ctx;
        return c == null ? null : c.channel();
    }

    /** Bytes received so far, handshake included. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Bytes handed to the channel so far, handshake included. */
    public long bytesWritten() {
        return bytesWritten;
    }

    // ---- sending ----

    /** Sends a command message (AMF0, type 20) on chunk stream 3. */
    public void sendCommand(int messageStreamId, CommandMessage command) {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer(256);
        try {
            command.encode(payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        send(CSID_COMMAND, MessageType.COMMAND_AMF0, messageStreamId, 0, payload);
    }

    /** Sends onStatus (7.2.2) with the info object {level, code, description}, transaction id 0. */
    public void sendOnStatus(int messageStreamId, String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        sendCommand(messageStreamId, new CommandMessage("onStatus", 0, null, List.of(info)));
    }

    /** Sends Window Acknowledgement Size (5.4.4): the peer should acknowledge every {@code windowBytes} bytes. */
    public void sendWindowAckSize(int windowBytes) {
        sendControl(ControlMessages.windowAckSize(PooledByteBufAllocator.DEFAULT, windowBytes));
    }

    /** Sends Set Peer Bandwidth (5.4.5) with limit type 2 (dynamic), as nginx-rtmp does. */
    public void sendSetPeerBandwidth(int windowBytes) {
        sendControl(ControlMessages.setPeerBandwidth(PooledByteBufAllocator.DEFAULT, windowBytes,
                ControlMessages.LIMIT_DYNAMIC));
    }

    /** Sends Set Chunk Size (5.4.1); the chunks sent after it use the new size. */
    public void sendSetChunkSize(int chunkSize) {
        sendControl(ControlMessages.setChunkSize(PooledByteBufAllocator.DEFAULT, chunkSize));
    }

    /** Sends an Acknowledgement (5.4.3) with the given sequence number (bytes received, mod 2^32). */
    public void sendAcknowledgement(long sequenceNumber) {
        sendControl(ControlMessages.acknowledgement(PooledByteBufAllocator.DEFAULT, sequenceNumber));
    }

    /** Sends the User Control event Stream Begin (7.1.7) for message stream {@code messageStreamId}. */
    public void sendStreamBegin(int messageStreamId) {
        sendControl(ControlMessages.userControl(PooledByteBufAllocator.DEFAULT, ControlMessages.UC_STREAM_BEGIN,
                messageStreamId));
    }

    /** Sends the User Control event Ping Request (7.1.7) with a timestamp the peer echoes in its Ping Response. */
    public void sendPingRequest(int timestamp) {
        sendControl(ControlMessages.userControl(PooledByteBufAllocator.DEFAULT, ControlMessages.UC_PING_REQUEST,
                timestamp));
    }

    /**
     * Sends any message on chunk stream {@code csid}, e.g. a deliberately malformed command.
     *
     * @param payload TAKES OWNERSHIP (released also when the connection is closed)
     */
    public void send(int csid, int typeId, int messageStreamId, int timestampMs, ByteBuf payload) {
        RtmpMessage message;
        try {
            message = new RtmpMessage(typeId, messageStreamId, timestampMs, payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        send(csid, message);
    }

    /** Sends raw bytes as they are (e.g. a malformed chunk). TAKES OWNERSHIP of {@code bytes}. */
    public void write(ByteBuf bytes) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            bytes.release();
            throw new IllegalStateException("not in a channel pipeline yet");
        }
        bytesWritten += bytes.readableBytes();
        c.writeAndFlush(bytes);
    }

    /** Closes the connection. */
    public void close() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.close();
        }
    }

    private void sendControl(RtmpMessage message) {
        send(CSID_CONTROL, message);
    }

    /** Chunks and writes one message; TAKES OWNERSHIP of it. On the event loop, or queued to it in call order. */
    private void send(int csid, RtmpMessage message) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            message.release();
            throw new IllegalStateException("not in a channel pipeline yet");
        }
        if (!c.executor().inEventLoop()) {
            try {
                c.executor().execute(() -> send(csid, message));
            } catch (RejectedExecutionException e) {
                message.release(); // the event loop is shutting down with the connection
            }
            return;
        }
        ByteBuf out = null;
        try {
            out = c.alloc().buffer(writer.maxEncodedLength(csid, message.payload().readableBytes()));
            writer.write(out, csid, message);
        } catch (RuntimeException e) {
            if (out != null) {
                out.release();
            }
            throw e;
        } finally {
            message.release();
        }
        write(out);
    }

    // ---- receiving ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesReceived += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        try {
            if (!handshake.isComplete()) {
                ByteBuf reply = handshake.read(ctx.alloc(), in, 0);
                if (reply != null) {
                    write(reply);
                }
                if (!handshake.isComplete()) {
                    return;
                }
                listener.onConnected(this);
            }
            reader.read(in, this::dispatch);
            acknowledgeIfDue();
        } catch (RtmpException e) {
            LOG.warn("rtmp server connection {}: {}; closing", ctx.channel().remoteAddress(), e.getMessage());
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }

    /** Hands one message to the listener; TAKES OWNERSHIP of it. */
    private void dispatch(RtmpMessage m) {
        try {
            ByteBuf payload = m.payload();
            listener.onMessage(this, m.typeId(), m.messageStreamId(), m.timestampMs(), payload);
            switch (m.typeId()) {
                case MessageType.WINDOW_ACK_SIZE -> {
                    if (payload.readableBytes() >= 4) {
                        peerWindowBytes = ControlMessages.readUInt32(m);
                    }
                }
                case MessageType.COMMAND_AMF0 -> onCommand(m, payload);
                case MessageType.COMMAND_AMF3 -> {
                    if (payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
                        onCommand(m, payload.slice(payload.readerIndex() + 1, payload.readableBytes() - 1));
                    }
                }
                case MessageType.DATA_AMF0 -> onData(m);
                case MessageType.VIDEO -> listener.onVideo(this, m.messageStreamId(), m.timestampMs(), payload);
                case MessageType.AUDIO -> listener.onAudio(this, m.messageStreamId(), m.timestampMs(), payload);
                default -> { }
            }
        } finally {
            m.release();
        }
    }

    private void onCommand(RtmpMessage m, ByteBuf amf0) {
        CommandMessage command;
        try {
            command = CommandMessage.decode(amf0);
        } catch (IllegalArgumentException e) {
            LOG.warn("rtmp server connection {}: ignoring malformed {}: {}", channel().remoteAddress(), m,
                    e.getMessage());
            return;
        }
        listener.onCommand(this, m.messageStreamId(), command);
    }

    /** "@setDataFrame" "onMetaData" {...}: the part after "@setDataFrame" is the FLV script tag body. */
    private void onData(RtmpMessage m) {
        ByteBuf body = m.payload().duplicate();
        Object first;
        try {
            first = Amf0.readValue(body.duplicate());
            if ("@setDataFrame".equals(first)) {
                Amf0.readValue(body);
            }
        } catch (Amf0Exception e) {
            LOG.warn("rtmp server connection {}: ignoring {}: not AMF0: {}", channel().remoteAddress(), m,
                    e.getMessage());
            return;
        }
        if ("@setDataFrame".equals(first) || "onMetaData".equals(first)) {
            listener.onMetaData(this, m.messageStreamId(), body);
        }
    }

    private void acknowledgeIfDue() {
        if (acknowledge && peerWindowBytes > 0 && bytesReceived - acknowledgedAt >= peerWindowBytes) {
            acknowledgedAt = bytesReceived;
            sendAcknowledgement(bytesReceived);
        }
    }

    /**
     * Does not ask for more input by itself when the channel's auto-read is off: whoever turned it off (a test
     * server that stalls on purpose) decides when to read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().config().isAutoRead()) {
            super.channelReadComplete(ctx);
        } else {
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        LOG.warn("rtmp server connection {}: {}; closing", ctx.channel().remoteAddress(), root.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        closed();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        reader.release();
        closed();
    }

    private void closed() {
        if (!closed) {
            closed = true;
            listener.onClosed(this);
        }
    }
}
