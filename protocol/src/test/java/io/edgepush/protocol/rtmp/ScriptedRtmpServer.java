package io.edgepush.protocol.rtmp;

import io.edgepush.testkit.Await;
import io.edgepush.testkit.HexBytes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A scripted RTMP server for tests on 127.0.0.1 (free port), built on protocol's server door
 * {@link RtmpServerConnection} (handshake, chunks, commands; it does not acknowledge by itself): records every
 * message it receives and reacts through a {@link Script} (defaults behave like nginx-rtmp accepting a publish).
 * Public for the other modules' tests (shipped in protocol's test-jar). Message type ids: audio, video and data
 * (8, 9, 18) are {@link io.edgepush.protocol.flv.FlvTagType}'s values.
 */
public final class ScriptedRtmpServer implements AutoCloseable {
    public static final int STREAM_ID = 1;

    /** One received message, payload copied. command is set for AMF0 command messages. */
    public record Received(int typeId, int messageStreamId, int timestampMs, byte[] payload, CommandMessage command) {
        public String name() {
            return command == null ? MessageType.name(typeId) : command.name();
        }

        public long uint32() {
            return ((payload[0] & 0xFFL) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8)
                    | (payload[3] & 0xFF);
        }
    }

    /** Server reactions; every method runs on the server event loop. */
    public interface Script {
        default boolean answerHandshake() {
            return true;
        }

        default void onConnect(Connection c, CommandMessage connect) {
            c.acceptConnect(2_500_000);
        }

        default void onCreateStream(Connection c, CommandMessage createStream) {
            c.sendCommand(0, "_result", createStream.transactionId(), null, (double) STREAM_ID);
        }

        default void onPublish(Connection c, CommandMessage publish) {
            c.publishStart();
        }

        default void onMessage(Connection c, Received message) {
        }
    }

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
    private final Channel serverChannel;

    private ScriptedRtmpServer(Script script, SslContext tls) throws InterruptedException {
        serverChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_RCVBUF, 16 * 1024) // inherited by accepted sockets: stalls show up soon
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        if (!script.answerHandshake()) {
                            ch.pipeline().addLast(new SilentHandler());
                            return;
                        }
                        ScriptListener listener = new ScriptListener(script);
                        RtmpServerConnection rtmp = new RtmpServerConnection(listener, 16 << 20, false);
                        listener.connection(rtmp);
                        ch.pipeline().addLast(rtmp);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public static ScriptedRtmpServer start(Script script) throws InterruptedException {
        return new ScriptedRtmpServer(script, null);
    }

    /** A server speaking RTMP inside TLS (rtmps://) with the given server context. */
    public static ScriptedRtmpServer startTls(Script script, SslContext tls) throws InterruptedException {
        return new ScriptedRtmpServer(script, tls);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public RtmpUrl url(String streamKey) {
        return RtmpUrl.parse("rtmp://127.0.0.1:" + port() + "/live/" + streamKey);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(int typeId) {
        return received.stream().filter(m -> m.typeId() == typeId).toList();
    }

    /** Names of the AMF0 commands received, in order. */
    public List<String> commandNames() {
        return received.stream().filter(m -> m.command() != null).map(Received::name).toList();
    }

    /** The command object of the last connect received (AMF0 decoded: a Map), or null before one. */
    public Object connectCommandObject() {
        Object last = null;
        for (Received r : received) {
            if (r.command() != null && "connect".equals(r.command().name())) {
                last = r.command().commandObject();
            }
        }
        return last;
    }

    /** Client connections that have closed (either side). */
    public int connectionsEnded() {
        return ended.get();
    }

    /** The publish URL {@code rtmp://127.0.0.1:PORT/live/KEY} as text. */
    public String urlText(String streamKey) {
        return "rtmp://127.0.0.1:" + port() + "/live/" + streamKey;
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Waits (10 s deadline) until a received message matches and returns it. */
    public Received await(Predicate<Received> condition, String what) {
        Await.until(() -> received.stream().anyMatch(condition), Duration.ofSeconds(10),
                () -> "server to receive " + what + "; got " + commandNames());
        return received.stream().filter(condition).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.forEach(Connection::close);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A server that never answers the handshake: reads and drops every byte, counts the connection's end. */
    private final class SilentHandler extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended.incrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    /**
     * One accepted client connection, a thin wrapper of protocol's {@link RtmpServerConnection} door; use it on the
     * server event loop (inside Script callbacks), or through the door's thread-safe send methods.
     */
    public final class Connection {
        private final RtmpServerConnection rtmp;

        Connection(RtmpServerConnection rtmp) {
            this.rtmp = rtmp;
        }

        /** The server side connection itself, for everything this wrapper does not spell out. */
        public RtmpServerConnection rtmp() {
            return rtmp;
        }

        public long bytesWritten() {
            return rtmp.bytesWritten();
        }

        /** Sends raw bytes given as hex (for malformed chunks). */
        public void writeHex(String hex) {
            rtmp.write(io.netty.buffer.Unpooled.wrappedBuffer(HexBytes.bytes(hex)));
        }

        public void sendCommand(int msid, String name, double tid, Object commandObject, Object... args) {
            rtmp.sendCommand(msid, new CommandMessage(name, tid, commandObject, Arrays.asList(args)));
        }

        public void onStatus(int msid, String level, String code, String description) {
            rtmp.sendOnStatus(msid, level, code, description);
        }

        /** Like nginx-rtmp: window ack size, peer bandwidth, chunk size, connect _result, onBWDone. */
        public void acceptConnect(int windowAckSize) {
            acceptConnect(windowAckSize, 2_500_000);
        }

        /** As {@link #acceptConnect(int)} with the given Set Peer Bandwidth window. */
        public void acceptConnect(int windowAckSize, int peerBandwidth) {
            rtmp.sendWindowAckSize(windowAckSize);
            rtmp.sendSetPeerBandwidth(peerBandwidth);
            rtmp.sendSetChunkSize(4000);
            sendCommand(0, "_result", 1, Map.of("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0),
                    Map.of("level", "status", "code", "NetConnection.Connect.Success",
                            "description", "Connection succeeded.", "objectEncoding", 0.0));
            sendCommand(0, "onBWDone", 0, null);
        }

        /** StreamBegin and onStatus NetStream.Publish.Start on the created stream. */
        public void publishStart() {
            rtmp.sendStreamBegin(STREAM_ID);
            onStatus(STREAM_ID, "status", "NetStream.Publish.Start", "Start publishing");
        }

        /** Stops reading from the socket, so the client's writes back up (a stalled server). */
        public void stopReading() {
            rtmp.channel().config().setAutoRead(false);
        }

        public void close() {
            rtmp.close();
        }
    }

    /** Records every message and calls the script; one per accepted connection. */
    private final class ScriptListener implements RtmpServerConnection.Listener {
        private final Script script;
        private Connection connection;

        ScriptListener(Script script) {
            this.script = script;
        }

        Connection connection(RtmpServerConnection rtmp) {
            if (connection == null) {
                connection = new Connection(rtmp);
                connections.add(connection);
            }
            return connection;
        }

        @Override
        public void onMessage(RtmpServerConnection rtmp, int typeId, int messageStreamId, int timestampMs,
                              ByteBuf payload) {
            Connection c = connection(rtmp);
            CommandMessage command = typeId == MessageType.COMMAND_AMF0 ? CommandMessage.decode(payload) : null;
            Received r = new Received(typeId, messageStreamId, timestampMs, ByteBufUtil.getBytes(payload), command);
            received.add(r);
            if (command != null) {
                switch (command.name()) {
                    case "connect" -> script.onConnect(c, command);
                    case "createStream" -> script.onCreateStream(c, command);
                    case "publish" -> script.onPublish(c, command);
                    default -> { }
                }
            }
            script.onMessage(c, r);
        }

        @Override
        public void onClosed(RtmpServerConnection rtmp) {
            ended.incrementAndGet();
        }
    }
}
