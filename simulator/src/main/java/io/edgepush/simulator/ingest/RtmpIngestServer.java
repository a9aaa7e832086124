package io.edgepush.simulator.ingest;

import io.edgepush.protocol.rtmp.Secrets;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small RTMP ingest server (Adobe RTMP specification: 5.2 handshake, 5.3 chunks, 7.2 commands) that accepts
 * publishes and records each into {@code outDir/NAME.flv} (FLV spec E), like a live platform's ingest. One
 * publish per stream name at a time: a second concurrent publish of the same name gets onStatus error
 * NetStream.Publish.BadName. A later publish of a name already recorded by this server goes to NAME-2.flv,
 * NAME-3.flv, ..., so no recording of this run is overwritten. Stream names are logged masked.
 */
public final class RtmpIngestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtmpIngestServer.class);

    private final Path outDir;
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Map<String, Recording> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
    private final Map<String, Integer> publishCount = new ConcurrentHashMap<>();
    private final List<Path> recordings = new CopyOnWriteArrayList<>();
    private final List<IngestListener> listeners = new CopyOnWriteArrayList<>();
    private Channel serverChannel;
    private int port;

    private RtmpIngestServer(Path outDir) {
        this.outDir = outDir;
    }

    /**
     * Listens on {@code host:port} and records into {@code outDir} (created if missing).
     *
     * @param port TCP port, 0 for an ephemeral one (see {@link #port()})
     * @throws IOException if the folder cannot be created or the port cannot be bound
     */
    public static RtmpIngestServer start(String host, int port, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        RtmpIngestServer server = new RtmpIngestServer(outDir);
        server.bind(host, port);
        return server;
    }

    private void bind(String host, int requestedPort) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(IngestConnection.newHandler(RtmpIngestServer.this));
                    }
                });
        io.netty.channel.ChannelFuture f = b.bind(host, requestedPort).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IOException("RTMP ingest cannot listen on " + host + ":" + requestedPort + ": "
                    + f.cause().getMessage(), f.cause());
        }
        serverChannel = f.channel();
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("RTMP ingest listening on rtmp://{}:{}/ recording into {}", host, port, outDir.toAbsolutePath());
    }

    /** The bound TCP port. */
    public int port() {
        return port;
    }

    /** The folder recordings go to. */
    public Path outDir() {
        return outDir;
    }

    /** Adds a listener (called on event loops; must not block). */
    void addListener(IngestListener listener) {
        listeners.add(listener);
    }

    /** True while {@code streamName} (without query) is being published. */
    public boolean publishing(String streamName) {
        return active.containsKey(streamName);
    }

    /** Coded pictures (AVC NALU video messages) received for {@code streamName} over all its publishes. */
    public long framesReceived(String streamName) {
        AtomicLong n = frames.get(streamName);
        return n == null ? 0 : n.get();
    }

    /** The .flv files written so far (including ones still being written), oldest first. */
    public List<Path> recordings() {
        return List.copyOf(recordings);
    }

    /** The .flv files written so far for {@code streamName} (one per publish), oldest first. */
    public List<Path> recordings(String streamName) {
        String base = fileName(streamName);
        return recordings.stream().filter(p -> {
            String f = p.getFileName().toString();
            return f.equals(base + ".flv") || f.matches(java.util.regex.Pattern.quote(base) + "-[0-9]+\\.flv");
        }).toList();
    }

    /**
     * Starts recording a publish, unless the name is already being published.
     *
     * @return the recording, or null if the name is taken (answer NetStream.Publish.BadName)
     * @throws IOException if the file cannot be created
     */
    Recording beginPublish(String streamName) throws IOException {
        Recording[] created = new Recording[1];
        IOException[] failed = new IOException[1];
        active.computeIfAbsent(streamName, name -> {
            int n = publishCount.merge(name, 1, Integer::sum);
            Path file = outDir.resolve(fileName(name) + (n == 1 ? "" : "-" + n) + ".flv");
            try {
                created[0] = new Recording(name, file);
            } catch (IOException e) {
                failed[0] = e;
            }
            return created[0];
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (created[0] != null) {
            recordings.add(created[0].file());
            frames.computeIfAbsent(streamName, k -> new AtomicLong());
            LOG.info("stream_name={} publish started, recording to {}", Secrets.mask(streamName), created[0].file());
            listeners.forEach(l -> l.onPublishStart(streamName, created[0].file()));
        }
        return created[0];
    }

    void onVideo(Recording recording, int timestampMs, boolean keyframe, boolean sequenceHeader, boolean picture) {
        if (picture) {
            frames.get(recording.streamName()).incrementAndGet();
        }
        listeners.forEach(l -> l.onVideo(recording.streamName(), timestampMs, keyframe, sequenceHeader));
    }

    /** Ends a publish: closes its file and frees the name; idempotent. */
    void endPublish(Recording recording, String why) {
        if (active.remove(recording.streamName(), recording)) {
            recording.close();
            LOG.info("stream_name={} publish ended: {}", Secrets.mask(recording.streamName()), why);
            listeners.forEach(l -> l.onPublishStop(recording.streamName(), recording.frames()));
        }
    }

    /** Stops listening, closes every connection and every recording. Idempotent. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Recording r : new ArrayList<>(active.values())) {
            endPublish(r, "server closed");
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A file-system-safe name: characters outside [A-Za-z0-9_.-] become '_'; empty or dot-only names "_". */
    static String fileName(String streamName) {
        String safe = streamName.replaceAll("[^A-Za-z0-9_.-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "_" : safe;
    }
}
