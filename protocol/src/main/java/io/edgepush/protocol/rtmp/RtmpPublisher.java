package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.net.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one live stream to an RTMP/RTMPS server (Adobe RTMP specification 5 and 7; FMLE publish sequence).
 *
 * <p>{@link #publish} connects (TCP or TLS), performs the handshake, sends Set Chunk Size 4096, connect,
 * releaseStream, FCPublish, createStream and publish(name, "live") and completes when the server answers
 * onStatus NetStream.Publish.Start. Media and metadata go on the created message stream: video on chunk stream
 * 6, audio on 5, data on 4, commands on 3, protocol control on 2. The publisher answers pings, honours the
 * server's chunk size and window, and acknowledges received bytes.
 *
 * <p>Thread safety: send methods may be called from any thread; messages are chunked in call order. Futures
 * complete on the Netty event loop: do not block in their callbacks.
 */
public final class RtmpPublisher implements AutoCloseable {
    /** Chunk size announced right after the handshake and used for everything we send. */
    public static final int OUTGOING_CHUNK_SIZE = 4096;
    /**
     * Window Acknowledgement Size we announce after connect succeeds, in bytes (Adobe RTMP spec 5.4.4): the server
     * acknowledges every 4 KiB it receives, so {@link #bytesAcknowledged()} trails the truth by about that much
     * (55 ms of a 600 kbit/s stream) and the backlog and delivery rate can be measured at the server, past every
     * queue on the way (socket buffers, a congested modem), not just at our own socket. At 4 Mbit/s that is about
     * 120 acknowledgements of 16 bytes a second.
     */
    public static final int WINDOW_ACK_SIZE = 4 * 1024;
    /** Largest message accepted from the server (servers send small commands only). */
    public static final int MAX_INCOMING_MESSAGE_BYTES = 1 << 20;
    static final int CSID_COMMAND = 3;
    static final int CSID_DATA = 4;
    static final int CSID_VIDEO = 6;
    static final int CSID_AUDIO = 5;
    static final int CSID_CONTROL = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RtmpPublisher.class);

    private final RtmpUrl url;
    private final RtmpPublisherOptions options;
    private final EventLoopGroup ownGroup;
    private final ChunkWriter writer = new ChunkWriter();
    private final CompletableFuture<RtmpPublisher> published = new CompletableFuture<>();
    private final CompletableFuture<RtmpException> closed = new CompletableFuture<>();
    private final CompletableFuture<ReconnectRequest> reconnectRequested = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile int messageStreamId;
    private volatile boolean closeRequested;
    private final java.util.concurrent.atomic.AtomicBoolean unpublishing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile RtmpException failure;
    private volatile long bytesSent;
    private volatile long bytesAcknowledged = -1;
    /** Mean bytes between Acknowledgements (an exponentially weighted average, 1/8 per sample). */
    private volatile long ackStrideBytes;
    /** The last Acknowledgement's sequence number as on the wire (event loop only). */
    private long lastAckSequence;

    private RtmpPublisher(RtmpUrl url, RtmpPublisherOptions options, EventLoopGroup ownGroup) {
        this.url = url;
        this.options = options;
        this.ownGroup = ownGroup;
    }

    /**
     * Connects and publishes {@code url}'s stream.
     *
     * @return completes with the publisher after NetStream.Publish.Start, or fails with an {@link RtmpException}
     *         (RTMP_CONNECT_TIMEOUT, RTMP_CONNECT_REFUSED, RTMP_TLS_ERROR, RTMP_HANDSHAKE_FAILED,
     *         RTMP_CONNECT_REJECTED, RTMP_AUTH_FAILED, RTMP_PUBLISH_BAD_NAME, RTMP_PUBLISH_FAILED,
     *         RTMP_CONNECTION_CLOSED, RTMP_PROTOCOL_ERROR) whose {@link RtmpException#policy()} says whether to
     *         retry ({@link ServerAnswers} classifies server answers); on failure the connection is closed and its
     *         resources released
     */
    public static CompletableFuture<RtmpPublisher> publish(RtmpUrl url, RtmpPublisherOptions options) {
        EventLoopGroup own = options.eventLoopGroup() == null
                ? Transports.newGroup(1, "rtmp-publisher") : null;
        RtmpPublisher publisher = new RtmpPublisher(url, options, own);
        EventLoopGroup group = own != null ? own : options.eventLoopGroup();
        LOG.info("rtmp connecting url={} tls={}", url.masked(), url.tls());
        PublisherConnector.connect(publisher, group);
        return publisher.published;
    }

    /** The URL being published (use {@link RtmpUrl#masked()} in logs). */
    public RtmpUrl url() {
        return url;
    }

    /** The message stream id the server gave in the createStream _result (0 before). */
    public int messageStreamId() {
        return messageStreamId;
    }

    /**
     * Sends an AMF0 data message (type 18) on the publish stream with timestamp 0, e.g. the onMetaData body a
     * {@link io.edgepush.protocol.flv.FlvVideoMuxer} writes for RTMP ("@setDataFrame", "onMetaData", ECMA array).
     * Takes ownership of {@code body}.
     */
    public void sendMetaData(ByteBuf body) {
        sendMedia(CSID_DATA, MessageType.DATA_AMF0, 0, body, 0, null);
    }

    /**
     * Sends a video message (type 9) on the publish stream. Takes ownership of {@code flvVideoTagBody}
     * (FLV VIDEODATA body, FLV spec E.4.3.1) and releases it once, also when the connection is closed or
     * closing (then the frame is dropped).
     *
     * @param timestampMs decoding timestamp in milliseconds (unsigned 32 bit, wraps)
     */
    public void sendVideo(int timestampMs, ByteBuf flvVideoTagBody) {
        sendMedia(CSID_VIDEO, MessageType.VIDEO, timestampMs, flvVideoTagBody, 0, null);
    }

    /**
     * As {@link #sendVideo(int, ByteBuf)}, and once the message's last byte has been handed to the socket,
     * {@code written} gets the nanoseconds from {@code receivedNanos} ({@link System#nanoTime()} when the frame
     * entered the gateway) to then, on the connection's event loop. Not called when the frame is dropped or the
     * write fails.
     */
    public void sendVideo(int timestampMs, ByteBuf flvVideoTagBody, long receivedNanos, LongConsumer written) {
        sendMedia(CSID_VIDEO, MessageType.VIDEO, timestampMs, flvVideoTagBody, receivedNanos, written);
    }

    /**
     * Sends an audio message (type 8, Adobe RTMP spec 7.1.4) on the publish stream, on its own chunk stream.
     * Takes ownership of {@code flvAudioTagBody} (FLV AUDIODATA body, FLV spec E.4.2) and releases it once, also
     * when the connection is closed or closing (then the frame is dropped).
     *
     * @param timestampMs decoding timestamp in milliseconds (unsigned 32 bit, wraps)
     * @throws IllegalStateException if the stream is not published (the body is released)
     */
    public void sendAudio(int timestampMs, ByteBuf flvAudioTagBody) {
        sendMedia(CSID_AUDIO, MessageType.AUDIO, timestampMs, flvAudioTagBody, 0, null);
    }

    private void sendMedia(int csid, int typeId, int timestampMs, ByteBuf body, long receivedNanos,
                           LongConsumer written) {
        int streamId = messageStreamId;
        if (!published.isDone() || published.isCompletedExceptionally() || streamId == 0) {
            body.release();
            throw new IllegalStateException("RTMP stream " + url.masked() + " is not published");
        }
        if (closeRequested) {
            body.release(); // unpublish()/close() was called: nothing may follow deleteStream
            return;
        }
        write(csid, typeId, streamId, timestampMs, body, true, receivedNanos, written);
    }

    /** True while the socket's write queue is below the high water mark; false also once closed. */
    public boolean isWritable() {
        Channel ch = channel;
        return ch != null && ch.isWritable();
    }

    /** Bytes of RTMP chunks queued to the socket so far (after the handshake), including chunk headers. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Servers whose Acknowledgements come further apart than this on average are too coarse to measure by. */
    static final long MAX_USEFUL_ACK_STRIDE_BYTES = 256 * 1024;

    /**
     * Bytes the server has acknowledged receiving (Adobe RTMP spec 5.4.3, counted like {@link #bytesSent()} and
     * never more than it), or -1 while it has sent no Acknowledgement or acknowledges too coarsely to measure the
     * uplink by (on average more than 256 KiB apart: a server that ignores our {@link #WINDOW_ACK_SIZE}). The
     * wire's 32-bit sequence number is unwrapped against {@link #bytesSent()}, so the count keeps growing past
     * 4 GiB.
     */
    public long bytesAcknowledged() {
        return ackStrideBytes > MAX_USEFUL_ACK_STRIDE_BYTES ? -1 : bytesAcknowledged;
    }

    /** Mean bytes between the server's Acknowledgements (0 before two have come). */
    long ackStrideBytes() {
        return ackStrideBytes;
    }

    /**
     * The server acknowledged {@code sequence} bytes (unsigned 32 bit); event loop. The first one is placed against
     * {@link #bytesSent()} (a server may count the handshake too); later ones add their distance from the previous
     * one, across a wrap at 2^32 and across a counter that restarts from 0 (nginx-rtmp resets its count at
     * 0xf0000000).
     */
    void onAcknowledgement(long sequence) {
        sequence &= 0xFFFFFFFFL;
        long sent = bytesSent;
        long previous = bytesAcknowledged;
        long acked;
        if (previous < 0) {
            int behind = (int) (sent - sequence); // signed 32-bit distance; a server counting ahead is clamped
            acked = behind >= 0 ? sent - behind : sent;
        } else if (sequence >= lastAckSequence) {
            acked = previous + (sequence - lastAckSequence);
        } else if ((1L << 32) - lastAckSequence <= 1 << 20) {
            acked = previous + sequence + (1L << 32) - lastAckSequence; // wrapped at 2^32
        } else {
            acked = previous + sequence; // the server's counter restarted from 0
        }
        lastAckSequence = sequence;
        acked = Math.min(acked, sent);
        if (acked > previous) {
            if (previous >= 0) { // the first one's distance from nothing says nothing about the stride
                long stride = acked - previous;
                ackStrideBytes = ackStrideBytes == 0 ? stride : ackStrideBytes + (stride - ackStrideBytes) / 8;
            }
            bytesAcknowledged = acked;
        }
    }

    /**
     * Bytes queued for the socket but not yet handed to the kernel (Netty's outbound buffer); 0 before the
     * connection exists and after it closed. With the send rate this estimates how far behind the uplink is.
     */
    public long pendingWriteBytes() {
        Channel ch = channel;
        if (ch == null) {
            return 0;
        }
        io.netty.channel.ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Completes when the connection has ended: with null after our own {@link #close()}/{@link #unpublish()},
     * otherwise with the cause (RTMP_CONNECTION_CLOSED when the server closed it, or the error that made us
     * close it). Never completes exceptionally.
     */
    public CompletableFuture<RtmpException> closed() {
        return closed;
    }

    /**
     * Completes (on the event loop) with the first Enhanced RTMP v2 reconnect request the server sends while
     * the connection is up (onStatus NetConnection.Connect.ReconnectRequest); never completes if none comes.
     * The connection keeps publishing: the owner opens the replacement publish and unpublishes this one.
     */
    public CompletableFuture<ReconnectRequest> reconnectRequested() {
        return reconnectRequested;
    }

    /**
     * Ends the publish cleanly: FCUnpublish, deleteStream, flush, close. Completes when the connection is
     * closed; never fails. Idempotent: a second call returns the same outcome without sending anything again.
     */
    public CompletableFuture<Void> unpublish() {
        CompletableFuture<Void> done = closed.thenApply(cause -> null);
        Channel ch = channel;
        closeRequested = true;
        if (ch == null || closed.isDone() || !unpublishing.compareAndSet(false, true)) {
            return done; // nothing to unpublish, or already on its way
        }
        try {
            ch.eventLoop().execute(() -> unpublishOnEventLoop(ch));
        } catch (RejectedExecutionException e) {
            ch.close(); // the event loop is already shutting down with the connection
        }
        return done;
    }

    private void unpublishOnEventLoop(Channel ch) {
        int streamId = messageStreamId;
        if (ch.isActive() && streamId != 0) {
            LOG.info("rtmp unpublishing url={} stream_id={}", url.masked(), streamId);
            sendCommand(0, new CommandMessage("FCUnpublish", 0, null, List.of(url.streamName())), false);
            sendCommand(0, new CommandMessage("deleteStream", 0, null, List.of((double) streamId)), false);
        }
        // Behind the two commands (queued by write) and every frame queued before them: then flush and close.
        ch.eventLoop().execute(() -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> finishOutput(ch)));
    }

    /** How long, after our last byte, the server is given to read it and close, milliseconds. */
    static final long CLOSE_GRACE_MS = 2000;

    /**
     * Ends our side of the connection after everything written so far: a TCP half-close (FIN after the data; with
     * TLS, close_notify first), then the server closes once it has read it all, or the connection is closed after
     * {@link #CLOSE_GRACE_MS}. Closing at once instead would, with the server's Acknowledgements unread in our
     * receive buffer, make the kernel reset the connection and throw away the tail of the stream it still held
     * (RFC 1122 4.2.2.13): seen with ffmpeg -listen, which acknowledges every window.
     */
    private void finishOutput(Channel ch) {
        if (!(ch instanceof io.netty.channel.socket.SocketChannel socket) || !ch.isActive()) {
            ch.close();
            return;
        }
        io.netty.util.concurrent.ScheduledFuture<?> deadline =
                ch.eventLoop().schedule(() -> ch.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(closedFuture -> deadline.cancel(false));
        io.netty.handler.ssl.SslHandler tls = ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls != null) {
            tls.closeOutbound().addListener(notified -> halfClose(socket));
        } else {
            halfClose(socket);
        }
    }

    private static void halfClose(io.netty.channel.socket.SocketChannel socket) {
        if (socket.isActive() && !socket.isOutputShutdown()) {
            socket.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    socket.close();
                }
            });
        }
    }

    /** Closes the connection at once without unpublishing (prefer {@link #unpublish()}); does not block. */
    @Override
    public void close() {
        closeRequested = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- package-private: used by PublisherConnector and PublishHandler on the event loop ----

    RtmpPublisherOptions options() {
        return options;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    void connectFailed(RtmpException e) {
        LOG.warn("rtmp connect failed url={} code={} reason={}", url.masked(), e.code(), e.getMessage());
        published.completeExceptionally(e);
        closed.complete(e);
        shutdownOwnGroup();
    }

    void onPublishStart(int streamId) {
        this.messageStreamId = streamId;
        LOG.info("rtmp publishing url={} stream_id={}", url.masked(), streamId);
        published.complete(this);
    }

    void onReconnectRequest(ReconnectRequest request) {
        reconnectRequested.complete(request);
    }

    boolean isPublished() {
        return published.isDone() && !published.isCompletedExceptionally();
    }

    /** Records the first failure, fails the publish future if pending and closes the connection. */
    void fail(RtmpException e) {
        if (failure == null && !closeRequested) {
            failure = e;
            LOG.warn("rtmp failed url={} code={} server_code={} reason={}", url.masked(), e.code(),
                    e.serverCode(), e.getMessage());
        }
        published.completeExceptionally(e);
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Called once when the channel is inactive: completes the futures and frees the private event loop.
     *
     * @param stage     what the publish was waiting for, for the error message
     * @param bareClose true when the server closed right after our publish command, without answering it:
     *                  servers do this for a stream name that is still in use (or an on_publish hook that refused),
     *                  so the failure gets {@link RetryPolicy#RETRY_AFTER_IDLE_TIMEOUT}
     */
    void onChannelClosed(String stage, boolean bareClose) {
        RtmpException cause = failure;
        if (cause == null && !closeRequested) {
            if (bareClose) {
                cause = new RtmpException(RtmpErrorCode.RTMP_CONNECTION_CLOSED, null, "server closed the connection"
                        + " before NetStream.Publish.Start (" + stage + "), right after publish without an answer:"
                        + " stream name in use or refused",
                        null, RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT);
            } else {
                cause = new RtmpException(RtmpErrorCode.RTMP_CONNECTION_CLOSED, published.isDone()
                        ? "server closed the connection while publishing"
                        : "server closed the connection before NetStream.Publish.Start (" + stage + ")");
            }
            LOG.warn("rtmp connection closed by server url={} stage={}", url.masked(), stage);
        } else {
            LOG.info("rtmp closed url={} code={}", url.masked(), cause == null ? "none" : cause.code());
        }
        published.completeExceptionally(cause != null ? cause : new RtmpException(
                RtmpErrorCode.RTMP_CONNECTION_CLOSED, "closed by us before NetStream.Publish.Start (" + stage + ")"));
        closed.complete(cause);
        shutdownOwnGroup();
    }

    /** Writes an AMF0 command on chunk stream 3. */
    void sendCommand(int streamId, CommandMessage command, boolean flush) {
        ByteBuf payload = channel.alloc().buffer(256);
        try {
            command.encode(payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        write(CSID_COMMAND, MessageType.COMMAND_AMF0, streamId, 0, payload, flush);
    }

    /** Writes a protocol control message on chunk stream 2. Takes ownership of {@code message}. */
    void sendControl(RtmpMessage message, boolean flush) {
        write(CSID_CONTROL, message.typeId(), 0, message.timestampMs(), message.payload(), flush);
    }

    /**
     * Chunks one message into a pooled buffer and queues it; takes ownership of {@code payload}. Encoding and
     * queueing happen under one lock so the wire order is the chunk writer's order.
     */
    private void write(int csid, int typeId, int streamId, int timestampMs, ByteBuf payload, boolean flush) {
        write(csid, typeId, streamId, timestampMs, payload, flush, 0, null);
    }

    /** As above; {@code written} (if not null) gets the nanoseconds since {@code receivedNanos} once it is written. */
    private void write(int csid, int typeId, int streamId, int timestampMs, ByteBuf payload, boolean flush,
                       long receivedNanos, LongConsumer written) {
        Channel ch = channel;
        try {
            if (ch == null || !ch.isActive()) {
                return;
            }
            synchronized (writer) {
                ByteBuf out = ch.alloc().ioBuffer(writer.maxEncodedLength(csid, payload.readableBytes()));
                try {
                    writer.write(out, csid, typeId, streamId, timestampMs, payload);
                } catch (RuntimeException e) {
                    out.release();
                    throw e;
                }
                bytesSent += out.readableBytes();
                ChannelPromise promise = ch.voidPromise();
                if (written != null) {
                    promise = ch.newPromise();
                    promise.addListener(f -> {
                        if (f.isSuccess()) {
                            written.accept(System.nanoTime() - receivedNanos);
                        }
                    });
                }
                boolean andFlush = flush || written != null;
                if (ch.eventLoop().inEventLoop()) {
                    // Chunk order must be wire order: a write made on the loop itself (a camera on the same loop,
                    // a command answered in a handler) must not overtake the writes other threads queued before
                    // it, so it joins the same queue. On the loop's own thread that costs no wake-up.
                    enqueue(ch, out, promise, andFlush);
                } else if (andFlush) {
                    ch.writeAndFlush(out, promise);
                } else {
                    ch.write(out, promise);
                }
            }
        } finally {
            payload.release();
        }
    }

    /** Queues a write of {@code out} (TAKEN) behind every task already on {@code ch}'s event loop. */
    private static void enqueue(Channel ch, ByteBuf out, ChannelPromise promise, boolean andFlush) {
        try {
            ch.eventLoop().execute(() -> {
                if (andFlush) {
                    ch.writeAndFlush(out, promise);
                } else {
                    ch.write(out, promise);
                }
            });
        } catch (RejectedExecutionException e) { // the loop is shutting down: the connection is going anyway
            out.release();
        }
    }

    /** The connection, or null before it exists (package-private: tests). */
    Channel channel() {
        return channel;
    }

    private void shutdownOwnGroup() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
