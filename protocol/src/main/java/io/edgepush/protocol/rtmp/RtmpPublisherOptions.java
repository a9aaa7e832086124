package io.edgepush.protocol.rtmp;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one {@link RtmpPublisher}.
 *
 * @param connectTimeoutMs            bound in milliseconds for the TCP connect, and again for the handshake +
 *                                    connect + createStream + publish exchange up to NetStream.Publish.Start
 * @param flashVer                    flashVer sent in the connect command object
 * @param eventLoopGroup              shared Netty NIO event loop group, or null for a private one-thread group
 *                                    that is shut down when the connection ends
 * @param sslContext                  client TLS context for rtmps://, or null for the JDK default trust store
 *                                    ({@link #withTrustedCaFile} for a private CA); hostname
 *                                    verification (endpoint identification "HTTPS") is on while tlsVerify is true
 * @param writeBufferHighWaterMarkBytes bytes queued for the socket above which {@link RtmpPublisher#isWritable()}
 *                                    turns false (it turns true again below half of it)
 * @param writeTimeoutMs              when the write queue stays above the high water mark this long (the
 *                                    server or network stopped taking data), the connection is closed with
 *                                    RTMP_WRITE_TIMEOUT (also the half-open check: no Acknowledgement for this
 *                                    long with two windows outstanding); 0 disables both checks
 * @param tlsVerify                   true (default): rtmps:// verifies the server certificate chain and host name;
 *                                    false: no verification at all (TLS still encrypts, but anyone in the path can
 *                                    impersonate the server); for test set-ups only, callers log a WARNING
 * @param fourCcList                  Enhanced RTMP codecs announced in the connect command object as
 *                                    "fourCcList" (an AMF0 strict array of strings, e.g. ["hvc1"]); empty (the
 *                                    default, used for H.264) leaves the property out so the connect command
 *                                    stays the classic one every server knows
 */
public record RtmpPublisherOptions(int connectTimeoutMs, String flashVer, EventLoopGroup eventLoopGroup,
                                   SslContext sslContext, int writeBufferHighWaterMarkBytes, int writeTimeoutMs,
                                   boolean tlsVerify, List<String> fourCcList) {

    /** flashVer sent by default: identifies us the way encoders (FMLE, OBS) identify themselves. */
    public static final String DEFAULT_FLASH_VER = "FMLE/3.0 (compatible; edgepush)";
    /** Default connect timeout: 10 s. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /** Default write buffer high water mark: 1 MiB (a few keyframes at 2 Mbit/s). */
    public static final int DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK = 1 << 20;
    /** Default write stall timeout: 15 s. */
    public static final int DEFAULT_WRITE_TIMEOUT_MS = 15_000;

    /** Validates: positive connect timeout and water mark, non-negative write timeout, non-blank flashVer. */
    public RtmpPublisherOptions {
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be positive, got " + connectTimeoutMs);
        }
        if (flashVer == null || flashVer.isBlank()) {
            throw new IllegalArgumentException("flashVer must not be blank");
        }
        if (writeBufferHighWaterMarkBytes < 2) {
            throw new IllegalArgumentException("writeBufferHighWaterMarkBytes must be at least 2, got "
                    + writeBufferHighWaterMarkBytes);
        }
        if (writeTimeoutMs < 0) {
            throw new IllegalArgumentException("writeTimeoutMs must be 0 (off) or positive, got " + writeTimeoutMs);
        }
        fourCcList = List.copyOf(fourCcList);
        for (String fourCc : fourCcList) {
            if (fourCc.length() != 4) {
                throw new IllegalArgumentException("a FourCC has 4 characters, got \"" + fourCc + "\"");
            }
        }
    }

    /**
     * Defaults: 10 s connect timeout, {@link #DEFAULT_FLASH_VER}, private event loop, JDK trust store, 1 MiB,
     * 15 s, TLS verification on, no fourCcList.
     */
    public static RtmpPublisherOptions defaults() {
        return new RtmpPublisherOptions(DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FLASH_VER, null, null,
                DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK, DEFAULT_WRITE_TIMEOUT_MS, true, List.of());
    }

    /** A copy with another connect timeout in milliseconds. */
    public RtmpPublisherOptions withConnectTimeoutMs(int timeoutMs) {
        return new RtmpPublisherOptions(timeoutMs, flashVer, eventLoopGroup, sslContext,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, tlsVerify, fourCcList);
    }

    /** A copy with another flashVer. */
    public RtmpPublisherOptions withFlashVer(String version) {
        return new RtmpPublisherOptions(connectTimeoutMs, version, eventLoopGroup, sslContext,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, tlsVerify, fourCcList);
    }

    /** A copy using a shared NIO event loop group (not shut down by the publisher). */
    public RtmpPublisherOptions withEventLoopGroup(EventLoopGroup group) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, group, sslContext,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, tlsVerify, fourCcList);
    }

    /** A copy with a client TLS context (e.g. trusting a test CA). */
    public RtmpPublisherOptions withSslContext(SslContext context) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, eventLoopGroup, context,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, tlsVerify, fourCcList);
    }

    /**
     * A copy whose TLS context trusts only the CA certificate(s) in {@code pemFile} (one or more PEM "CERTIFICATE"
     * blocks), e.g. a private CA that signed the ingest server's certificate. Host names are still verified.
     *
     * @throws RtmpException RTMP_TLS_ERROR when the file is missing, unreadable or holds no PEM certificate
     */
    public RtmpPublisherOptions withTrustedCaFile(Path pemFile) throws RtmpException {
        return withSslContext(TlsContexts.trustingCaFile(pemFile));
    }

    /** A copy with another write buffer high water mark in bytes. */
    public RtmpPublisherOptions withWriteBufferHighWaterMarkBytes(int bytes) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, eventLoopGroup, sslContext,
                bytes, writeTimeoutMs, tlsVerify, fourCcList);
    }

    /** A copy with another write stall timeout in milliseconds (0 = off). */
    public RtmpPublisherOptions withWriteTimeoutMs(int timeoutMs) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, eventLoopGroup, sslContext,
                writeBufferHighWaterMarkBytes, timeoutMs, tlsVerify, fourCcList);
    }

    /** A copy with TLS verification on (true) or off (false: certificate and host name are not checked). */
    public RtmpPublisherOptions withTlsVerify(boolean verify) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, eventLoopGroup, sslContext,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, verify, fourCcList);
    }

    /**
     * A copy announcing Enhanced RTMP codecs in connect (veovera enhanced-rtmp v1 "fourCcList"), e.g.
     * {@code List.of("hvc1")} when publishing HEVC.
     *
     * @throws IllegalArgumentException if an entry is not 4 characters long
     */
    public RtmpPublisherOptions withFourCcList(List<String> fourCcs) {
        return new RtmpPublisherOptions(connectTimeoutMs, flashVer, eventLoopGroup, sslContext,
                writeBufferHighWaterMarkBytes, writeTimeoutMs, tlsVerify, fourCcs);
    }
}
