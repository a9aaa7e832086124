package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TestCertificates}: what the files hold (signer, subjectAltName, validity, key format). */
class TestCertificatesTest {
    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void serverAndClientCertificatesAreSignedByTheCaAndValid(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir, "test CA");
        X509Certificate caCert = read(ca.caFile());
        TestCertificates.Issued server = ca.server("server");
        X509Certificate s = read(server.cert());
        s.verify(caCert.getPublicKey());
        s.checkValidity();
        assertTrue(s.getSubjectAlternativeNames().contains(List.of(7, "127.0.0.1")), s.getSubjectAlternativeNames()
                .toString());
        assertTrue(Files.readString(server.key()).startsWith("-----BEGIN PRIVATE KEY-----"));
        X509Certificate c = read(ca.client("client", "gw-1").cert());
        c.verify(caCert.getPublicKey());
        assertEquals("CN=gw-1", c.getSubjectX500Principal().getName());
    }

    @Test
    void expiredCertificatesAreExpiredAndAnotherCaDidNotSignOurs(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir.resolve("a"), "CA a");
        assertThrows(CertificateExpiredException.class, () -> read(ca.expiredServer("old").cert()).checkValidity());
        assertThrows(CertificateExpiredException.class,
                () -> read(ca.expiredClient("old-client", "x").cert()).checkValidity());
        TestCertificates other = TestCertificates.create(dir.resolve("b"), "CA b");
        X509Certificate s = read(ca.server("server").cert());
        assertThrows(SignatureException.class, () -> s.verify(read(other.caFile()).getPublicKey()));
    }
}
