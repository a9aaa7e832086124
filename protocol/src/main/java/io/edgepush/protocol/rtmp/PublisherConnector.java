package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.net.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Opens the TCP (and for rtmps:// TLS) connection of an {@link RtmpPublisher} and maps connect failures to
 * {@link RtmpErrorCode}s.
 */
final class PublisherConnector {
    private static volatile SslContext defaultSslContext;

    private PublisherConnector() {
    }

    static void connect(RtmpPublisher publisher, EventLoopGroup group) {
        RtmpUrl url = publisher.url();
        RtmpPublisherOptions options = publisher.options();
        SslContext sslContext;
        try {
            sslContext = url.tls() ? sslContext(options) : null;
        } catch (SSLException e) {
            publisher.connectFailed(new RtmpException(RtmpErrorCode.RTMP_TLS_ERROR,
                    "cannot create the TLS client context: " + e.getMessage(), e));
            return;
        }
        int high = options.writeBufferHighWaterMarkBytes();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel(group))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        publisher.attach(ch);
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", newSslHandler(sslContext, ch, url, options.tlsVerify()));
                        }
                        ch.pipeline().addLast("rtmp", new PublishHandler(publisher));
                    }
                });
        ChannelFuture connect;
        try {
            connect = bootstrap.connect(url.host(), url.port());
        } catch (RuntimeException e) {
            publisher.connectFailed(new RtmpException(RtmpErrorCode.RTMP_CONNECT_REFUSED,
                    "cannot connect to " + url.host() + ":" + url.port() + ": " + e.getMessage(), e));
            return;
        }
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                publisher.connectFailed(mapConnectFailure(url, options, f.cause()));
            }
        });
    }

    static RtmpException mapConnectFailure(RtmpUrl url, RtmpPublisherOptions options, Throwable cause) {
        String where = url.host() + ":" + url.port();
        if (cause instanceof ConnectTimeoutException) {
            return new RtmpException(RtmpErrorCode.RTMP_CONNECT_TIMEOUT, "TCP connect to " + where
                    + " timed out after " + options.connectTimeoutMs() + " ms", cause);
        }
        if (cause instanceof UnknownHostException) {
            return new RtmpException(RtmpErrorCode.RTMP_CONNECT_REFUSED, "cannot resolve host " + url.host(), cause);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new RtmpException(RtmpErrorCode.RTMP_CONNECT_REFUSED, "connection to " + where
                    + " refused: " + cause.getMessage(), cause);
        }
        return new RtmpException(RtmpErrorCode.RTMP_CONNECT_REFUSED, "cannot connect to " + where + ": "
                + cause, cause);
    }

    private static SslContext sslContext(RtmpPublisherOptions options) throws SSLException {
        if (!options.tlsVerify()) {
            return TlsContexts.insecure();
        }
        if (options.sslContext() != null) {
            return options.sslContext();
        }
        SslContext context = defaultSslContext;
        if (context == null) {
            context = SslContextBuilder.forClient().build();
            defaultSslContext = context;
        }
        return context;
    }

    /** TLS with SNI and, when verifying, hostname verification (endpoint identification "HTTPS", RFC 2818). */
    private static SslHandler newSslHandler(SslContext context, Channel ch, RtmpUrl url, boolean verify) {
        SslHandler handler = context.newHandler(ch.alloc(), url.host(), url.port());
        if (verify) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
