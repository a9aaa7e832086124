package io.edgepush.protocol.rtmp;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Client TLS contexts for rtmps:// ({@link RtmpPublisherOptions#sslContext()}): one trusting a private CA file
 * (through {@link RtmpPublisherOptions#withTrustedCaFile}) and the one that trusts anything (tlsVerify false).
 */
final class TlsContexts {
    private static volatile SslContext insecure;

    private TlsContexts() {
    }

    /**
     * A context trusting only the CA certificate(s) in {@code pemFile} (one or more PEM "CERTIFICATE" blocks), e.g.
     * a private CA that signed the ingest server's certificate. Host names are still verified by the publisher.
     *
     * @throws RtmpException RTMP_TLS_ERROR when the file is missing, unreadable or holds no PEM certificate
     */
    static SslContext trustingCaFile(Path pemFile) throws RtmpException {
        if (!Files.isReadable(pemFile)) {
            throw new RtmpException(RtmpErrorCode.RTMP_TLS_ERROR, "CA file " + pemFile + " is missing or unreadable");
        }
        try {
            return SslContextBuilder.forClient().trustManager(pemFile.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new RtmpException(RtmpErrorCode.RTMP_TLS_ERROR, "CA file " + pemFile
                    + " holds no usable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** A context that accepts any certificate (used when tlsVerify is false); shared, built once. */
    static SslContext insecure() throws SSLException {
        SslContext context = insecure;
        if (context == null) {
            context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            insecure = context;
        }
        return context;
    }
}
