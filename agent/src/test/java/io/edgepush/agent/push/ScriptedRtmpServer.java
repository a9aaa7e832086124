package io.edgepush.agent.push;

import io.edgepush.protocol.rtmp.Handshake;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.chunk.ChunkReader;
import io.edgepush.protocol.rtmp.chunk.ChunkWriter;
import io.edgepush.protocol.rtmp.message.CommandMessage;
import io.edgepush.protocol.rtmp.message.MessageType;
import io.edgepush.protocol.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny RTMP server on 127.0.0.1 that follows a script, for error paths a real server will not produce on
 * demand: it does the simple handshake (Adobe RTMP spec 5.2), answers connect with
 * NetConnection.Connect.Success and createStream with stream id 1 (7.2.1.1, 7.2.1.3), and answers publish
 * (7.2.2.6) with the onStatus level and code it was given. Media messages are counted and dropped.
 * Blocking sockets on one thread; one connection at a time.
 */
public final class ScriptedRtmpServer implements AutoCloseable {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private final ServerSocket server;
    private final String publishLevel;
    private final String publishCode;
    private final Thread thread;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger videoMessages = new AtomicInteger();
    private final AtomicInteger connectionsEnded = new AtomicInteger();
    private volatile Socket client;
    private volatile Object connectCommandObject;

    private ScriptedRtmpServer(String publishLevel, String publishCode) throws IOException {
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.publishLevel = publishLevel;
        this.publishCode = publishCode;
        this.thread = new Thread(this::acceptLoop, "scripted-rtmp-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** A server answering publish with onStatus {@code level}/{@code code}, e.g. "error", "NetStream.Publish.BadName". */
    public static ScriptedRtmpServer answeringPublish(String level, String code) throws IOException {
        return new ScriptedRtmpServer(level, code);
    }

    /** {@code rtmp://127.0.0.1:PORT/live/KEY}. */
    public String url(String streamKey) {
        return "rtmp://127.0.0.1:" + server.getLocalPort() + "/live/" + streamKey;
    }

    /** Names of the AMF0 commands received so far, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The command object of the last connect received (AMF0 decoded: a Map), or null before one. */
    public Object connectCommandObject() {
        return connectCommandObject;
    }

    /** Video messages received so far. */
    public int videoMessages() {
        return videoMessages.get();
    }

    /** Connections that ended (the client closed or the server hit an error). */
    public int connectionsEnded() {
        return connectionsEnded.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        Socket c = client;
        if (c != null) {
            c.close();
        }
        thread.join(5000);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                client = s;
                serve(s.getInputStream(), s.getOutputStream());
            } catch (IOException | RtmpException e) {
                // connection over (client closed, server closed, or malformed input): wait for the next one
            } finally {
                connectionsEnded.incrementAndGet();
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException, RtmpException {
        Handshake handshake = Handshake.server();
        handshake.start(ALLOC, 0);
        ChunkReader reader = new ChunkReader(ALLOC, 16 * 1024 * 1024);
        ChunkWriter writer = new ChunkWriter();
        ByteBuf acc = ALLOC.heapBuffer(8192);
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                acc.writeBytes(chunk, 0, n);
                while (!handshake.isComplete()) {
                    ByteBuf reply = handshake.read(ALLOC, acc, 0);
                    if (reply == null) {
                        break;
                    }
                    send(out, reply);
                }
                if (handshake.isComplete()) {
                    reader.read(acc, m -> onMessage(m, writer, out));
                }
                acc.discardReadBytes();
            }
        } finally {
            reader.release();
            acc.release();
        }
    }

    private void onMessage(RtmpMessage message, ChunkWriter writer, OutputStream out) {
        try {
            if (message.typeId() == MessageType.VIDEO) {
                videoMessages.incrementAndGet();
            } else if (message.typeId() == MessageType.COMMAND_AMF0) {
                CommandMessage command = CommandMessage.decode(message.payload());
                commands.add(command.name());
                if ("connect".equals(command.name())) {
                    connectCommandObject = command.commandObject();
                }
                reply(command, writer, out);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            message.release();
        }
    }

    private void reply(CommandMessage command, ChunkWriter writer, OutputStream out) throws IOException {
        switch (command.name()) {
            case "connect" -> {
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("fmsVer", "FMS/3,0,1,123");
                properties.put("capabilities", 31.0);
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("level", "status");
                info.put("code", "NetConnection.Connect.Success");
                info.put("description", "Connection succeeded.");
                info.put("objectEncoding", 0.0);
                write(writer, out, 3, 0, new CommandMessage("_result", command.transactionId(), properties, List.of(info)));
            }
            case "createStream" -> write(writer, out, 3, 0,
                    new CommandMessage("_result", command.transactionId(), null, List.of(1.0)));
            case "publish" -> {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("level", publishLevel);
                info.put("code", publishCode);
                info.put("description", "scripted answer to publish");
                write(writer, out, 5, 1, new CommandMessage("onStatus", 0, null, List.of(info)));
            }
            default -> {
                // releaseStream, FCPublish, FCUnpublish, deleteStream: no answer needed
            }
        }
    }

    private static void write(ChunkWriter writer, OutputStream out, int csid, int messageStreamId,
                              CommandMessage command) throws IOException {
        ByteBuf payload = ALLOC.heapBuffer();
        ByteBuf chunks = ALLOC.heapBuffer();
        try {
            command.encode(payload);
            writer.write(chunks, csid, MessageType.COMMAND_AMF0, messageStreamId, 0, payload);
            send(out, chunks.retain());
        } finally {
            payload.release();
            chunks.release();
        }
    }

    /** Writes {@code bytes} to the socket; takes ownership. */
    private static void send(OutputStream out, ByteBuf bytes) throws IOException {
        try {
            byte[] array = new byte[bytes.readableBytes()];
            bytes.readBytes(array);
            out.write(array);
            out.flush();
        } finally {
            bytes.release();
        }
    }
}
