package io.edgepush.simulator.ingest;

import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.RtmpServerConnection;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * Server side of one RTMP connection (Adobe RTMP specification 7.2): protocol's {@link RtmpServerConnection} does the
 * handshake, chunks and acknowledgements; this listener runs the publish command exchange and hands video to a
 * {@link Recording}. Runs on one event loop.
 */
final class IngestConnection implements RtmpServerConnection.Listener {
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final int WINDOW_ACK_SIZE = 5_000_000;
    static final int OUT_CHUNK_SIZE = 4096;

    private final RtmpIngestServer server;
    private final Map<Integer, Recording> publishes = new HashMap<>();
    private final IngestCommands commands;

    private IngestConnection(RtmpIngestServer server) {
        this.server = server;
        this.commands = new IngestCommands(this, server);
    }

    /** The handler for one accepted channel. */
    static RtmpServerConnection newHandler(RtmpIngestServer server) {
        return new RtmpServerConnection(new IngestConnection(server), MAX_MESSAGE_BYTES, true);
    }

    @Override
    public void onCommand(RtmpServerConnection rtmp, int messageStreamId, CommandMessage command) {
        commands.onCommand(rtmp, messageStreamId, command);
    }

    /** "@setDataFrame" "onMetaData" {...}: the door hands on the FLV script tag body after "@setDataFrame". */
    @Override
    public void onMetaData(RtmpServerConnection rtmp, int messageStreamId, ByteBuf scriptTagBody) {
        Recording r = publishes.get(messageStreamId);
        if (r != null) {
            r.metaData(scriptTagBody);
        }
    }

    @Override
    public void onVideo(RtmpServerConnection rtmp, int messageStreamId, int timestampMs, ByteBuf p) {
        Recording r = publishes.get(messageStreamId);
        if (r == null || !p.isReadable()) {
            return;
        }
        boolean keyframe = (p.getUnsignedByte(p.readerIndex()) >> 4) == 1;
        boolean sequenceHeader = p.readableBytes() >= 2 && p.getByte(p.readerIndex() + 1) == 0;
        boolean picture = r.video(timestampMs, p);
        server.onVideo(r, timestampMs, keyframe, sequenceHeader, picture);
    }

    /** WindowAckSize, SetPeerBandwidth and SetChunkSize, as servers send before the connect _result. */
    void sendServerControls(RtmpServerConnection rtmp) {
        rtmp.sendWindowAckSize(WINDOW_ACK_SIZE);
        rtmp.sendSetPeerBandwidth(WINDOW_ACK_SIZE);
        rtmp.sendSetChunkSize(OUT_CHUNK_SIZE);
    }

    Map<Integer, Recording> publishes() {
        return publishes;
    }

    @Override
    public void onClosed(RtmpServerConnection rtmp) {
        endAll("connection closed");
    }

    void endAll(String why) {
        for (Recording r : publishes.values()) {
            server.endPublish(r, why);
        }
        publishes.clear();
    }
}
