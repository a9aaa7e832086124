package io.edgepush.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound side of one publish connection, on the event loop: handshake (Adobe RTMP spec 5.2), chunk decoding,
 * protocol control answers (5.4: window acknowledgements; 7.1.7: ping responses) and the publish command
 * sequence ({@link PublishSequence}).
 */
final class PublishHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);

    private final RtmpPublisher publisher;
    private final Handshake handshake = Handshake.client();
    private final ChunkReader reader;
    private final PublishSequence sequence;
    private final long startNanos = System.nanoTime();
    private ScheduledFuture<?> publishTimeout;
    private ScheduledFuture<?> writeStall;
    private ScheduledFuture<?> ackCheck;
    private AckWatchdog ackWatchdog;
    private ChannelHandlerContext context;
    private long bytesReceived;
    private long bytesAcknowledged;
    private long windowAckSize;
    private long lastWindowSent = -1;

    PublishHandler(RtmpPublisher publisher) {
        this.publisher = publisher;
        this.reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, RtmpPublisher.MAX_INCOMING_MESSAGE_BYTES);
        this.sequence = new PublishSequence(publisher, this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        int timeoutMs = publisher.options().connectTimeoutMs();
        publishTimeout = ctx.executor().schedule(() -> fail(new RtmpException(RtmpErrorCode.RTMP_CONNECT_TIMEOUT,
                "no NetStream.Publish.Start within " + timeoutMs + " ms after TCP connect (stage: "
                        + stage() + ")")), timeoutMs, TimeUnit.MILLISECONDS);
        LOG.debug("rtmp tcp connected url={}", publisher.url().masked());
        ctx.writeAndFlush(handshake.start(ctx.alloc(), nowMs()));
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            bytesReceived += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (windowAckSize > 0 && bytesReceived - bytesAcknowledged >= windowAckSize && !sequence.isEnded()) {
            bytesAcknowledged = bytesReceived;
            publisher.sendControl(ControlMessages.acknowledgement(ctx.alloc(), bytesReceived), true);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (sequence.isEnded()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (!handshake.isComplete()) {
                ByteBuf reply = handshake.read(ctx.alloc(), in, nowMs());
                if (reply != null) {
                    ctx.write(reply);
                }
                if (!handshake.isComplete()) {
                    return;
                }
                LOG.debug("rtmp handshake done url={}", publisher.url().masked());
                sequence.start();
            }
            reader.read(in, this::onMessage);
        } catch (RtmpException e) {
            in.skipBytes(in.readableBytes());
            fail(e);
        }
    }

    private void onMessage(RtmpMessage message) {
        try {
            if (!sequence.isEnded()) {
                handle(message);
            }
        } catch (RtmpException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new RtmpException(RtmpErrorCode.RTMP_PROTOCOL_ERROR, "cannot handle " + message + ": "
                    + e.getMessage(), e));
        } finally {
            message.release();
        }
    }

    private void handle(RtmpMessage message) throws RtmpException {
        switch (message.typeId()) {
            case MessageType.SET_CHUNK_SIZE -> LOG.debug("rtmp peer chunk size {} url={}",
                    ControlMessages.readUInt32(message), publisher.url().masked());
            case MessageType.ACKNOWLEDGEMENT -> {
                long sequence = ControlMessages.readUInt32(message);
                long now = System.nanoTime();
                publisher.onAcknowledgement(sequence);
                if (ackWatchdog != null) {
                    ackWatchdog.onAcknowledgement(sequence, now);
                }
            }
            case MessageType.WINDOW_ACK_SIZE -> {
                windowAckSize = ControlMessages.readUInt32(message);
                LOG.debug("rtmp peer window ack size {} url={}", windowAckSize, publisher.url().masked());
            }
            case MessageType.SET_PEER_BANDWIDTH -> {
                sendWindowAckSizeIfChanged((int) ControlMessages.readUInt32(message)); // 5.4.5
            }
            case MessageType.USER_CONTROL -> {
                int event = ControlMessages.userControlEventType(message);
                if (event == ControlMessages.UC_PING_REQUEST) {
                    int timestamp = ControlMessages.userControlValue(message);
                    LOG.debug("rtmp ping request {} answered url={}", Integer.toUnsignedString(timestamp),
                            publisher.url().masked());
                    publisher.sendControl(ControlMessages.userControl(message.payload().alloc(),
                            ControlMessages.UC_PING_RESPONSE, timestamp), true);
                } else {
                    LOG.debug("rtmp user control event {} url={}", event, publisher.url().masked());
                }
            }
            case MessageType.COMMAND_AMF0 -> sequence.onCommand(CommandMessage.decode(message.payload()));
            case MessageType.COMMAND_AMF3 -> {
                ByteBuf payload = message.payload();
                if (payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
                    sequence.onCommand(CommandMessage.decode(payload.slice(payload.readerIndex() + 1,
                            payload.readableBytes() - 1)));
                }
            }
            default -> LOG.debug("rtmp ignoring {} url={}", message, publisher.url().masked());
        }
    }

    /** Starts or cancels the write stall timer (RTMP_WRITE_TIMEOUT) as the write queue crosses the water marks. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        int timeoutMs = publisher.options().writeTimeoutMs();
        if (ctx.channel().isWritable()) {
            if (writeStall != null) {
                writeStall.cancel(false);
                writeStall = null;
            }
        } else if (timeoutMs > 0 && writeStall == null && !sequence.isEnded()) {
            writeStall = ctx.executor().schedule(() -> {
                writeStall = null;
                if (!ctx.channel().isWritable()) {
                    fail(new RtmpException(RtmpErrorCode.RTMP_WRITE_TIMEOUT, "the server took no data for "
                            + timeoutMs + " ms (write queue above " + publisher.options().writeBufferHighWaterMarkBytes()
                            + " bytes)"));
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Sends Window Acknowledgement Size (5.4.4) unless the last one we sent had the same size. */
    void sendWindowAckSizeIfChanged(int window) {
        if ((window & 0xFFFFFFFFL) != lastWindowSent) {
            lastWindowSent = window & 0xFFFFFFFFL;
            publisher.sendControl(ControlMessages.windowAckSize(PooledByteBufAllocator.DEFAULT, window), true);
        }
    }

    /** Publish.Start: stops the publish timeout and starts the acknowledgement watchdog (half-open detection). */
    void publishStarted() {
        if (publishTimeout != null) {
            publishTimeout.cancel(false);
        }
        int timeoutMs = publisher.options().writeTimeoutMs();
        if (timeoutMs > 0) {
            ackWatchdog = new AckWatchdog(timeoutMs);
            long periodMs = Math.max(10, timeoutMs / 4);
            ackCheck = context.executor().scheduleAtFixedRate(this::checkAcknowledgements, periodMs, periodMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void checkAcknowledgements() {
        if (sequence.isEnded()) {
            return;
        }
        long delivered = publisher.bytesSent() - publisher.pendingWriteBytes();
        String halfOpen = ackWatchdog.check(delivered, Math.max(0, lastWindowSent), System.nanoTime());
        if (halfOpen != null) {
            fail(new RtmpException(RtmpErrorCode.RTMP_WRITE_TIMEOUT, halfOpen));
        }
    }

    void fail(RtmpException e) {
        sequence.end();
        publisher.fail(e);
    }

    private String stage() {
        return handshake.isComplete() ? sequence.stage() : "waiting for the S0+S1+S2 handshake";
    }

    private int nowMs() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            fail(new RtmpException(RtmpErrorCode.RTMP_TLS_ERROR, "TLS handshake with " + publisher.url().host()
                    + " failed: " + tls.cause().getMessage(), tls.cause()));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (sequence.isEnded()) {
            LOG.debug("rtmp exception after stop url={}: {}", publisher.url().masked(), root.toString());
            return;
        }
        if (root instanceof SSLException) {
            fail(new RtmpException(RtmpErrorCode.RTMP_TLS_ERROR, "TLS error: " + root.getMessage(), root));
        } else if (root instanceof IOException) {
            fail(new RtmpException(RtmpErrorCode.RTMP_CONNECTION_CLOSED, "connection lost: " + root.getMessage(), root));
        } else {
            fail(new RtmpException(RtmpErrorCode.RTMP_PROTOCOL_ERROR, "unexpected error: " + root, root));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String stage = stage();
        boolean bareClose = sequence.awaitingPublishStart();
        sequence.end();
        if (ackCheck != null) {
            ackCheck.cancel(false);
        }
        if (publishTimeout != null) {
            publishTimeout.cancel(false);
        }
        if (writeStall != null) {
            writeStall.cancel(false);
        }
        publisher.onChannelClosed(stage, bareClose);
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        reader.release();
    }
}
