package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** {@link ConnectFailure}: the exception shapes Paho and the JDK produce, classified (real cases: MqttSecurityTest). */
class ConnectFailureTest {
    /** Paho wraps I/O and TLS errors in an MqttException with reason code 0 (client exception). */
    private static MqttException paho(Throwable cause) {
        return new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, cause);
    }

    private static String cause(Throwable error) {
        return ConnectFailure.classify(error, false).cause();
    }

    @Test
    void mqttReasonCodes() {
        assertEquals("bad_credentials", cause(new MqttException(0x86)));
        assertEquals("not_authorized", cause(new MqttException(0x87)));
        assertEquals("bad_credentials", ConnectFailure.classify(new MqttException(0x87), true).cause());
        assertEquals("server_unavailable", cause(new MqttException(0x88)));
        assertEquals("server_unavailable", cause(new MqttException(0x89)));
        assertEquals("client_id_rejected", cause(new MqttException(0x85)));
        assertEquals("refused_149", cause(new MqttException(149)));
        assertEquals("timeout", cause(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT)));
        assertEquals("connection_lost", cause(new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST)));
    }

    @Test
    void networkErrors() {
        assertEquals("connection_refused", cause(paho(new ConnectException("Connection refused"))));
        assertEquals("timeout", cause(paho(new SocketTimeoutException("connect timed out"))));
        assertEquals("connection_lost", cause(paho(new java.net.SocketException("Broken pipe"))));
        assertEquals("error", cause(paho(new IllegalStateException("?"))));
    }

    @Test
    void tlsErrorsOfTheClientSide() {
        SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertPathValidatorException("validity check failed",
                new CertificateExpiredException("NotAfter: ..."), null, -1,
                CertPathValidatorException.BasicReason.EXPIRED));
        assertEquals("tls_certificate_expired", cause(paho(expired)));

        SSLHandshakeException unknown = new SSLHandshakeException("PKIX path building failed");
        unknown.initCause(new java.security.cert.CertPathBuilderException(
                "unable to find valid certification path to requested target"));
        assertEquals("tls_unknown_ca", cause(paho(unknown)));

        SSLHandshakeException host = new SSLHandshakeException("No subject alternative names matching IP address");
        host.initCause(new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"));
        assertEquals("tls_hostname_mismatch", cause(paho(host)));

        assertEquals("tls_handshake_failed", cause(paho(new SSLHandshakeException("no cipher suites in common"))));
        javax.net.ssl.SSLException lost = new javax.net.ssl.SSLException("Broken pipe");
        lost.initCause(new java.net.SocketException("Broken pipe"));
        assertEquals("connection_lost", cause(paho(lost)));
    }

    @Test
    void tlsAlertsFromTheBroker() {
        assertEquals("tls_certificate_expired",
                cause(paho(new javax.net.ssl.SSLException("Received fatal alert: certificate_expired"))));
        assertEquals("tls_client_certificate_required",
                cause(paho(new javax.net.ssl.SSLException("Received fatal alert: certificate_required"))));
        assertEquals("tls_client_certificate_rejected",
                cause(paho(new javax.net.ssl.SSLException("Received fatal alert: unknown_ca"))));
    }

    @Test
    void detailIsTheInnerMessageWithoutQuotesAndShort() {
        ConnectFailure f = ConnectFailure.classify(paho(new ConnectException("Connection \"refused\"")), false);
        assertEquals("Connection 'refused'", f.detail());
        f = ConnectFailure.classify(paho(new ConnectException("x".repeat(500))), false);
        assertEquals(ConnectFailure.MAX_DETAIL_CHARS + 3, f.detail().length());
        f = ConnectFailure.classify(new MqttException(0x86), true);
        assertTrue(f.detail().toLowerCase().contains("user name or password"), f.detail());
        assertTrue(f.detail().endsWith(" (0x86)"), f.detail());
    }
}
