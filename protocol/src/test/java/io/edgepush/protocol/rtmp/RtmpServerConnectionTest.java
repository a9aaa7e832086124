package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server door on an embedded channel, driven by a client side {@link Handshake} and {@link ChunkWriter}: what the
 * listener gets (Adobe RTMP spec 5.2, 5.3, 7.1), what the door acknowledges (5.3.4, 5.4.4) and what it sends.
 */
class RtmpServerConnectionTest {
    private final List<String> events = new ArrayList<>();
    private final ChunkWriter client = new ChunkWriter();
    private final List<RtmpMessage> answers = new ArrayList<>();
    private EmbeddedChannel channel;

    private final RtmpServerConnection.Listener recorder = new RtmpServerConnection.Listener() {
        @Override
        public void onConnected(RtmpServerConnection c) {
            events.add("connected");
        }

        @Override
        public void onMessage(RtmpServerConnection c, int typeId, int msid, int ts, ByteBuf payload) {
            events.add("message " + typeId + " msid=" + msid + " ts=" + ts + " len=" + payload.readableBytes());
        }

        @Override
        public void onCommand(RtmpServerConnection c, int msid, CommandMessage command) {
            events.add("command " + command.name() + " tid=" + (long) command.transactionId() + " msid=" + msid
                    + " args=" + command.arguments());
        }

        @Override
        public void onMetaData(RtmpServerConnection c, int msid, ByteBuf scriptTagBody) {
            events.add("metadata " + Amf0.readAll(scriptTagBody.duplicate()));
        }

        @Override
        public void onVideo(RtmpServerConnection c, int msid, int ts, ByteBuf body) {
            events.add("video ts=" + ts + " " + ByteBufUtil.hexDump(body));
        }

        @Override
        public void onAudio(RtmpServerConnection c, int msid, int ts, ByteBuf body) {
            events.add("audio ts=" + ts + " " + ByteBufUtil.hexDump(body));
        }

        @Override
        public void onClosed(RtmpServerConnection c) {
            events.add("closed");
        }
    };

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        answers.forEach(RtmpMessage::release);
    }

    /** Handshake as a client would (C0+C1, then C2 after S0+S1+S2); returns the connection. */
    private RtmpServerConnection connect(boolean acknowledge) throws Exception {
        RtmpServerConnection door = new RtmpServerConnection(recorder, 1 << 20, acknowledge);
        channel = new EmbeddedChannel(door);
        Handshake handshake = Handshake.client();
        channel.writeInbound(handshake.start(PooledByteBufAllocator.DEFAULT, 0));
        ByteBuf s0s1s2 = readOutbound();
        assertEquals(1 + 2 * Handshake.PACKET_SIZE, s0s1s2.readableBytes(), "S0+S1+S2");
        ByteBuf c2 = handshake.read(PooledByteBufAllocator.DEFAULT, s0s1s2, 0);
        s0s1s2.release();
        channel.writeInbound(c2);
        assertEquals(List.of("connected"), events);
        events.clear();
        return door;
    }

    private ByteBuf readOutbound() {
        ByteBuf all = PooledByteBufAllocator.DEFAULT.buffer();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    /** The messages the door sent, decoded with a ChunkReader (a client's view). */
    private List<RtmpMessage> answers() throws RtmpException {
        ByteBuf out = readOutbound();
        try {
            ChunkReader reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, 1 << 20);
            List<RtmpMessage> messages = new ArrayList<>();
            reader.read(out, messages::add);
            reader.release();
            answers.addAll(messages);
            return messages;
        } finally {
            out.release();
        }
    }

    private void clientSends(int csid, int typeId, int msid, int ts, ByteBuf payload) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        client.write(out, csid, typeId, msid, ts, payload);
        payload.release();
        channel.writeInbound(out);
    }

    private static ByteBuf command(CommandMessage command) {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer();
        command.encode(payload);
        return payload;
    }

    @Test
    void handsEveryMessageOnThenItsTypedCallback() throws Exception {
        connect(false);
        clientSends(3, MessageType.COMMAND_AMF0, 0, 0,
                command(new CommandMessage("connect", 1, Map.of("app", "live"), List.of())));
        ByteBuf amf3 = PooledByteBufAllocator.DEFAULT.buffer().writeByte(0);
        new CommandMessage("createStream", 4, null, List.of()).encode(amf3);
        clientSends(3, MessageType.COMMAND_AMF3, 0, 0, amf3);
        // "@setDataFrame" "onMetaData" {width: 2}
        clientSends(4, MessageType.DATA_AMF0, 1, 0, HexBytes.buf("02 000d 40736574446174614672616d65"
                + " 02 000a 6f6e4d65746144617461 08 00000001 0005 7769647468 00 4000000000000000 000009"));
        clientSends(6, MessageType.VIDEO, 1, 40, HexBytes.buf("17 01 000000 0000"));
        clientSends(5, MessageType.AUDIO, 1, 41, HexBytes.buf("af 01 2100"));
        assertEquals(List.of(
                "message 20 msid=0 ts=0 len=35",
                "command connect tid=1 msid=0 args=[]",
                "message 17 msid=0 ts=0 len=26",
                "command createStream tid=4 msid=0 args=[]",
                "message 18 msid=1 ts=0 len=53",
                "metadata [onMetaData, {width=2.0}]",
                "message 9 msid=1 ts=40 len=7",
                "video ts=40 17010000000000",
                "message 8 msid=1 ts=41 len=4",
                "audio ts=41 af012100"), events);
    }

    @Test
    void aMalformedCommandIsSkippedAndTheConnectionStays() throws Exception {
        connect(false);
        clientSends(3, MessageType.COMMAND_AMF0, 0, 0, HexBytes.buf("00 3ff0000000000000")); // a number, no name
        clientSends(3, MessageType.COMMAND_AMF0, 0, 0, command(new CommandMessage("publish", 5, null, List.of("k"))));
        assertEquals(List.of("message 20 msid=0 ts=0 len=9", "message 20 msid=0 ts=0 len=24",
                "command publish tid=5 msid=0 args=[k]"), events);
        assertTrue(channel.isActive());
    }

    /**
     * 5.4.3/5.4.4: after Window Acknowledgement Size W, an Acknowledgement each time W more bytes came in (counted
     * from the first byte, the 3073 handshake bytes included).
     */
    @Test
    void acknowledgesAtThePeersWindow() throws Exception {
        RtmpServerConnection door = connect(true);
        clientSends(2, MessageType.WINDOW_ACK_SIZE, 0, 0, HexBytes.buf("00001388")); // 5000 bytes
        assertEquals(List.of(), answers(), "nothing due yet");
        clientSends(6, MessageType.VIDEO, 1, 0, ChunkBytes.payload(2000, 0));
        List<RtmpMessage> acks = answers();
        assertEquals(1, acks.size());
        assertEquals(MessageType.ACKNOWLEDGEMENT, acks.get(0).typeId());
        assertEquals(door.bytesReceived(), ControlMessages.readUInt32(acks.get(0)), "sequence number = bytes received");
    }

    @Test
    void doesNotAcknowledgeWhenToldNotTo() throws Exception {
        connect(false);
        clientSends(2, MessageType.WINDOW_ACK_SIZE, 0, 0, HexBytes.buf("00001388"));
        clientSends(6, MessageType.VIDEO, 1, 0, ChunkBytes.payload(2000, 0));
        assertEquals(List.of(), answers());
    }

    @Test
    void sendsWhatAServerSendsAroundConnectAndPublish() throws Exception {
        RtmpServerConnection door = connect(false);
        door.sendWindowAckSize(5_000_000);
        door.sendSetPeerBandwidth(5_000_000);
        door.sendSetChunkSize(4096);
        door.sendCommand(0, new CommandMessage("_result", 1, null, List.of()));
        door.sendStreamBegin(1);
        door.sendOnStatus(1, "status", "NetStream.Publish.Start", "Start publishing");
        door.sendPingRequest(7);
        List<RtmpMessage> sent = answers();
        assertEquals(List.of("WindowAckSize(5) msid=0 ts=0 len=4", "SetPeerBandwidth(6) msid=0 ts=0 len=5",
                "SetChunkSize(1) msid=0 ts=0 len=4", "CommandAmf0(20) msid=0 ts=0 len=20",
                "UserControl(4) msid=0 ts=0 len=6", "CommandAmf0(20) msid=1 ts=0 len=105",
                "UserControl(4) msid=0 ts=0 len=6"), sent.stream().map(RtmpMessage::toString).toList());
        assertEquals("004c4b40" + "02", ByteBufUtil.hexDump(sent.get(1).payload()), "5000000, limit type 2 (dynamic)");
        CommandMessage status = CommandMessage.decode(sent.get(5).payload());
        assertEquals("onStatus", status.name());
        assertEquals("NetStream.Publish.Start", status.infoString("code"));
        assertEquals("0000" + "00000001", ByteBufUtil.hexDump(sent.get(4).payload()), "Stream Begin 1");
        assertEquals("0006" + "00000007", ByteBufUtil.hexDump(sent.get(6).payload()), "Ping Request 7");
        assertEquals(door.bytesWritten(), 1 + 2 * Handshake.PACKET_SIZE + sentBytes(sent), "bytes written");
    }

    private int sentBytes(List<RtmpMessage> sent) {
        ChunkWriter w = new ChunkWriter();
        int n = 0;
        for (RtmpMessage m : sent) {
            ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
            w.write(out, m.typeId() == MessageType.COMMAND_AMF0 ? 3 : 2, m);
            n += out.readableBytes();
            out.release();
        }
        return n;
    }

    @Test
    void aPeerThatIsNotRtmpIsClosed() {
        channel = new EmbeddedChannel(new RtmpServerConnection(recorder));
        channel.writeInbound(HexBytes.buf("474554202f20485454502f312e310d0a")); // "GET / HTTP/1.1"
        assertFalse(channel.isActive());
        assertEquals(List.of("closed"), events);
    }
}
