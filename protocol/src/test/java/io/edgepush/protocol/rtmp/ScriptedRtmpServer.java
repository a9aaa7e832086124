package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.rtmp.chunk.ChunkReader;
import io.edgepush.protocol.rtmp.chunk.ChunkWriter;
import io.edgepush.protocol.rtmp.message.CommandMessage;
import io.edgepush.protocol.rtmp.message.ControlMessages;
import io.edgepush.protocol.rtmp.message.MessageType;
import io.edgepush.protocol.rtmp.message.RtmpMessage;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.HexBytes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A scripted RTMP server for tests on 127.0.0.1 (free port): server side handshake, chunk reader/writer, records
 * every message it receives and reacts through a {@link Script} (defaults behave like nginx-rtmp accepting a
 * publish). Public for the other modules' tests (shipped in protocol's test-jar).
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
                        ch.pipeline().addLast(new ServerHandler(script));
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

    /** One accepted client connection; use only on the server event loop (inside Script callbacks). */
    public final class Connection {
        private final ChannelHandlerContext ctx;
        private final ChunkWriter writer = new ChunkWriter();
        private volatile long bytesWritten;
        private volatile boolean readingStopped;

        Connection(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        public long bytesWritten() {
            return bytesWritten;
        }

        /** Sends raw bytes given as hex (for malformed chunks). */
        public void writeHex(String hex) {
            write(ctx.alloc().buffer().writeBytes(HexBytes.bytes(hex)));
        }

        public void write(ByteBuf bytes) {
            bytesWritten += bytes.readableBytes();
            ctx.writeAndFlush(bytes);
        }

        /** Sends a message on chunk stream {@code csid}; takes ownership of it. */
        public void send(int csid, RtmpMessage message) {
            ByteBuf out = ctx.alloc().buffer();
            try {
                writer.write(out, csid, message);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            } finally {
                message.release();
            }
            write(out);
        }

        public void sendControl(RtmpMessage message) {
            send(2, message);
        }

        public void sendCommand(int msid, String name, double tid, Object commandObject, Object... args) {
            ByteBuf payload = ctx.alloc().buffer();
            new CommandMessage(name, tid, commandObject, Arrays.asList(args)).encode(payload);
            send(3, new RtmpMessage(MessageType.COMMAND_AMF0, msid, 0, payload));
        }

        public void onStatus(int msid, String level, String code, String description) {
            sendCommand(msid, "onStatus", 0, null, Map.of("level", level, "code", code, "description", description));
        }

        /** Like nginx-rtmp: window ack size, peer bandwidth, chunk size, connect _result, onBWDone. */
        public void acceptConnect(int windowAckSize) {
            acceptConnect(windowAckSize, 2_500_000);
        }

        /** As {@link #acceptConnect(int)} with the given Set Peer Bandwidth window. */
        public void acceptConnect(int windowAckSize, int peerBandwidth) {
            sendControl(ControlMessages.windowAckSize(ctx.alloc(), windowAckSize));
            sendControl(ControlMessages.setPeerBandwidth(ctx.alloc(), peerBandwidth, ControlMessages.LIMIT_DYNAMIC));
            sendControl(ControlMessages.setChunkSize(ctx.alloc(), 4000));
            sendCommand(0, "_result", 1, Map.of("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0),
                    Map.of("level", "status", "code", "NetConnection.Connect.Success",
                            "description", "Connection succeeded.", "objectEncoding", 0.0));
            sendCommand(0, "onBWDone", 0, null);
        }

        /** StreamBegin and onStatus NetStream.Publish.Start on the created stream. */
        public void publishStart() {
            sendControl(ControlMessages.userControl(ctx.alloc(), ControlMessages.UC_STREAM_BEGIN, STREAM_ID));
            onStatus(STREAM_ID, "status", "NetStream.Publish.Start", "Start publishing");
        }

        /** Stops reading from the socket, so the client's writes back up (a stalled server). */
        public void stopReading() {
            readingStopped = true;
            ctx.channel().config().setAutoRead(false);
        }

        public void close() {
            ctx.close();
        }
    }

    private final class ServerHandler extends ByteToMessageDecoder {
        private final Script script;
        private final Handshake handshake = Handshake.server();
        private final ChunkReader reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, 16 << 20);
        private Connection connection;

        ServerHandler(Script script) {
            this.script = script;
            handshake.start(PooledByteBufAllocator.DEFAULT, 0);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            connection = new Connection(ctx);
            connections.add(connection);
            super.channelActive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (!script.answerHandshake()) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (!handshake.isComplete()) {
                ByteBuf reply = handshake.read(ctx.alloc(), in, 0);
                if (reply != null) {
                    connection.write(reply);
                }
                if (!handshake.isComplete()) {
                    return;
                }
            }
            List<RtmpMessage> messages = new ArrayList<>();
            reader.read(in, messages::add);
            for (RtmpMessage message : messages) {
                try {
                    dispatch(message);
                } finally {
                    message.release();
                }
            }
        }

        private void dispatch(RtmpMessage message) {
            CommandMessage command = message.typeId() == MessageType.COMMAND_AMF0
                    ? CommandMessage.decode(message.payload()) : null;
            Received r = new Received(message.typeId(), message.messageStreamId(), message.timestampMs(),
                    ByteBufUtil.getBytes(message.payload()), command);
            received.add(r);
            if (command != null) {
                switch (command.name()) {
                    case "connect" -> script.onConnect(connection, command);
                    case "createStream" -> script.onCreateStream(connection, command);
                    case "publish" -> script.onPublish(connection, command);
                    default -> { }
                }
            }
            script.onMessage(connection, r);
        }

        /** ByteToMessageDecoder asks for more input when it decoded nothing; a stalled server must not. */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ended.incrementAndGet();
            super.channelInactive(ctx);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            if (connection != null && connection.readingStopped) {
                ctx.fireChannelReadComplete();
            } else {
                super.channelReadComplete(ctx);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            reader.release();
        }
    }
}
