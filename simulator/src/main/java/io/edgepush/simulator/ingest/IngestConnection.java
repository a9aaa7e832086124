package io.edgepush.simulator.ingest;

import io.edgepush.protocol.amf0.Amf0Exception;
import io.edgepush.protocol.amf0.Amf0Reader;
import io.edgepush.protocol.rtmp.Handshake;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.chunk.ChunkReader;
import io.edgepush.protocol.rtmp.chunk.ChunkWriter;
import io.edgepush.protocol.rtmp.message.CommandMessage;
import io.edgepush.protocol.rtmp.message.ControlMessages;
import io.edgepush.protocol.rtmp.message.MessageType;
import io.edgepush.protocol.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of one RTMP connection (Adobe RTMP specification 5.2, 5.3, 5.4, 7.2): handshake, chunk decoding,
 * then the publish command exchange, handing video to a {@link Recording}. Runs on one event loop.
 */
final class IngestConnection extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(IngestConnection.class);
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final int WINDOW_ACK_SIZE = 5_000_000;
    static final int OUT_CHUNK_SIZE = 4096;
    private static final int CSID_CONTROL = 2;
    private static final int CSID_COMMAND = 3;

    private final RtmpIngestServer server;
    private final Handshake handshake = Handshake.server();
    private final ChunkReader reader = new ChunkReader(io.netty.buffer.PooledByteBufAllocator.DEFAULT,
            MAX_MESSAGE_BYTES);
    private final ChunkWriter writer = new ChunkWriter();
    private final Map<Integer, Recording> publishes = new HashMap<>();
    private final IngestCommands commands;
    private long bytesIn;
    private long lastAckAt;
    private long peerWindowBytes;

    IngestConnection(RtmpIngestServer server) {
        this.server = server;
        this.commands = new IngestCommands(this, server);
        handshake.start(io.netty.buffer.PooledByteBufAllocator.DEFAULT, 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesIn += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            if (!handshake.isComplete()) {
                ByteBuf reply = handshake.read(ctx.alloc(), in, 0);
                if (reply != null) {
                    ctx.writeAndFlush(reply);
                }
                if (!handshake.isComplete()) {
                    return;
                }
            }
            reader.read(in, message -> onMessage(ctx, message));
            acknowledgeIfDue(ctx);
        } catch (RtmpException e) {
            LOG.warn("rtmp ingest {}: {}; closing", ctx.channel().remoteAddress(), e.getMessage());
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }

    private void onMessage(ChannelHandlerContext ctx, RtmpMessage m) {
        try {
            switch (m.typeId()) {
                case MessageType.WINDOW_ACK_SIZE -> peerWindowBytes = ControlMessages.readUInt32(m);
                case MessageType.COMMAND_AMF0 -> commands.onCommand(ctx, m.messageStreamId(),
                        CommandMessage.decode(m.payload()));
                case MessageType.COMMAND_AMF3 -> commands.onCommand(ctx, m.messageStreamId(),
                        CommandMessage.decode(m.payload().slice(m.payload().readerIndex() + 1,
                                m.payload().readableBytes() - 1)));
                case MessageType.DATA_AMF0 -> onData(m);
                case MessageType.VIDEO -> onVideo(m);
                default -> LOG.trace("rtmp ingest ignoring {}", m);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("rtmp ingest {}: ignoring malformed {}: {}", ctx.channel().remoteAddress(), m, e.getMessage());
        } finally {
            m.release();
        }
    }

    /** "@setDataFrame" "onMetaData" {...}: the part after "@setDataFrame" is the FLV script tag body. */
    private void onData(RtmpMessage m) {
        Recording r = publishes.get(m.messageStreamId());
        if (r == null) {
            return;
        }
        ByteBuf body = m.payload().duplicate();
        Object first;
        try {
            first = Amf0Reader.readValue(body.duplicate());
            if ("@setDataFrame".equals(first)) {
                Amf0Reader.readValue(body);
            }
        } catch (Amf0Exception e) {
            throw new IllegalArgumentException("data message is not AMF0: " + e.getMessage(), e);
        }
        if ("@setDataFrame".equals(first) || "onMetaData".equals(first)) {
            r.metaData(body);
        }
    }

    private void onVideo(RtmpMessage m) {
        Recording r = publishes.get(m.messageStreamId());
        if (r == null || !m.payload().isReadable()) {
            return;
        }
        ByteBuf p = m.payload();
        boolean keyframe = (p.getUnsignedByte(p.readerIndex()) >> 4) == 1;
        boolean sequenceHeader = p.readableBytes() >= 2 && p.getByte(p.readerIndex() + 1) == 0;
        boolean picture = r.video(m.timestampMs(), p);
        server.onVideo(r, m.timestampMs(), keyframe, sequenceHeader, picture);
    }

    private void acknowledgeIfDue(ChannelHandlerContext ctx) {
        if (peerWindowBytes > 0 && bytesIn - lastAckAt >= peerWindowBytes) {
            lastAckAt = bytesIn;
            send(ctx, CSID_CONTROL, ControlMessages.acknowledgement(ctx.alloc(), bytesIn));
        }
    }

    /** Encodes and writes one message; TAKES OWNERSHIP of {@code m}. */
    void send(ChannelHandlerContext ctx, int csid, RtmpMessage m) {
        try {
            ByteBuf out = ctx.alloc().buffer(writer.maxEncodedLength(csid, m.payload().readableBytes()));
            writer.write(out, csid, m);
            ctx.writeAndFlush(out);
        } finally {
            m.release();
        }
    }

    /** Sends an AMF0 command on the command chunk stream. */
    void sendCommand(ChannelHandlerContext ctx, int messageStreamId, CommandMessage command) {
        ByteBuf payload = ctx.alloc().buffer();
        command.encode(payload);
        send(ctx, CSID_COMMAND, new RtmpMessage(MessageType.COMMAND_AMF0, messageStreamId, 0, payload));
    }

    /** WindowAckSize, SetPeerBandwidth and SetChunkSize, as servers send before the connect _result. */
    void sendServerControls(ChannelHandlerContext ctx) {
        send(ctx, CSID_CONTROL, ControlMessages.windowAckSize(ctx.alloc(), WINDOW_ACK_SIZE));
        send(ctx, CSID_CONTROL, ControlMessages.setPeerBandwidth(ctx.alloc(), WINDOW_ACK_SIZE,
                ControlMessages.LIMIT_DYNAMIC));
        send(ctx, CSID_CONTROL, ControlMessages.setChunkSize(ctx.alloc(), OUT_CHUNK_SIZE));
    }

    void sendStreamBegin(ChannelHandlerContext ctx, int streamId) {
        send(ctx, CSID_CONTROL, ControlMessages.userControl(ctx.alloc(), ControlMessages.UC_STREAM_BEGIN, streamId));
    }

    Map<Integer, Recording> publishes() {
        return publishes;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        endAll("connection closed");
        reader.release();
    }

    void endAll(String why) {
        for (Recording r : publishes.values()) {
            server.endPublish(r, why);
        }
        publishes.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("rtmp ingest {}: {}; closing", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
