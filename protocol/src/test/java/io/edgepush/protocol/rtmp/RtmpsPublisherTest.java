package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;

/** rtmps:// wiring: TLS below RTMP, hostname verification on (endpoint identification "HTTPS"). */
class RtmpsPublisherTest {
    private ScriptedRtmpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = ScriptedRtmpServer.startTls(new ScriptedRtmpServer.Script() { }, TestCertificate.serverContext());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private RtmpUrl url(String host) {
        return RtmpUrl.parse("rtmps://" + host + ":" + server.port() + "/live/secretkey");
    }

    @Test
    void publishesOverTlsWhenTheCertificateMatchesTheHost() throws Exception {
        RtmpPublisher publisher = RtmpPublisher.publish(url("localhost"),
                RtmpPublisherOptions.defaults().withSslContext(TestCertificate.clientContextTrustingIt()))
                .get(10, TimeUnit.SECONDS);
        assertEquals(ScriptedRtmpServer.STREAM_ID, publisher.messageStreamId());
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        assertNull(publisher.closed().get(10, TimeUnit.SECONDS));
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream over TLS");
    }

    @Test
    void hostnameMismatchIsTlsError() throws Exception {
        RtmpException e = failure(RtmpPublisher.publish(url("127.0.0.1"),
                RtmpPublisherOptions.defaults().withSslContext(TestCertificate.clientContextTrustingIt())));
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, e.code());
        assertTrue(server.commandNames().isEmpty(), "no RTMP command may pass an unverified TLS session");
    }

    @Test
    void untrustedCertificateIsTlsError() throws Exception {
        RtmpException e = failure(RtmpPublisher.publish(url("localhost"), RtmpPublisherOptions.defaults()));
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, e.code());
    }

    @Test
    void plainRtmpToATlsPortIsHandshakeFailureOrClose() throws Exception {
        RtmpException e = failure(RtmpPublisher.publish(
                RtmpUrl.parse("rtmp://127.0.0.1:" + server.port() + "/live/secretkey"),
                RtmpPublisherOptions.defaults().withConnectTimeoutMs(5000)));
        assertTrue(e.code() == RtmpErrorCode.RTMP_HANDSHAKE_FAILED || e.code() == RtmpErrorCode.RTMP_CONNECTION_CLOSED,
                e.getMessage());
    }

    @Test
    void tlsVerifyOffAcceptsAnUntrustedCertificateForAnotherHost() throws Exception {
        RtmpPublisher publisher = RtmpPublisher.publish(url("127.0.0.1"),
                RtmpPublisherOptions.defaults().withTlsVerify(false)).get(10, TimeUnit.SECONDS);
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        server.await(m -> "deleteStream".equals(m.name()), "deleteStream over unverified TLS");
    }

    @Test
    void caFileTrustsTheServerAndHostnamesAreStillChecked(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(TestCertificate.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Files.writeString(ca, pem);
        RtmpPublisherOptions options = RtmpPublisherOptions.defaults().withTrustedCaFile(ca);
        RtmpPublisher publisher = RtmpPublisher.publish(url("localhost"), options).get(10, TimeUnit.SECONDS);
        publisher.unpublish().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, failure(RtmpPublisher.publish(url("127.0.0.1"), options)).code());
    }

    @Test
    void missingOrBadCaFileIsTlsError(@TempDir Path dir) throws Exception {
        RtmpException missing = assertThrows(RtmpException.class,
                () -> RtmpPublisherOptions.defaults().withTrustedCaFile(dir.resolve("nope.pem")));
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, missing.code());
        assertTrue(missing.getMessage().contains("nope.pem"), missing.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        RtmpException bad = assertThrows(RtmpException.class,
                () -> RtmpPublisherOptions.defaults().withTrustedCaFile(garbage));
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, bad.code());
        assertEquals(RetryPolicy.DO_NOT_RETRY, bad.policy());
    }

    private static RtmpException failure(CompletableFuture<RtmpPublisher> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(RtmpException.class, e.getCause());
    }
}
