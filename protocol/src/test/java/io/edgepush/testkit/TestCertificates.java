package io.edgepush.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Throwaway TLS material made with openssl in a directory the caller owns: a CA ({@link #caFile()}) and, signed by
 * it, server certificates (subjectAltName DNS:localhost, IP:127.0.0.1) and client certificates, valid 2 days or
 * already expired (notAfter one day before notBefore, made with {@code -days -1}). Keys are EC P-256 in PKCS#8 PEM
 * ({@code BEGIN PRIVATE KEY}), unencrypted. A second {@code create} in another directory gives an unrelated CA
 * (a "wrong CA" for tests).
 *
 * <p>Needs {@code openssl}; a missing one skips the test, or fails it under REQUIRE_PEERS=1 ({@link Peers}).
 */
public final class TestCertificates {
    private static final List<String> EC_KEY = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes");

    private final String openssl;
    private final Path dir;

    /** A certificate file and its private key file (PEM). */
    public record Issued(Path cert, Path key) {
    }

    private TestCertificates(String openssl, Path dir) {
        this.openssl = openssl;
        this.dir = dir;
    }

    /**
     * Generates a CA (CN {@code caName}, valid 2 days) in {@code dir} (created if missing).
     *
     * @throws org.opentest4j.TestAbortedException if openssl is missing (see {@link Peers})
     */
    public static TestCertificates create(Path dir, String caName) {
        TestCertificates certs = new TestCertificates(Peers.require("openssl").toString(), dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certs.run(concat(List.of(certs.openssl, "req", "-x509"), EC_KEY, List.of("-keyout", "ca.key", "-out",
                "ca.pem", "-days", "2", "-subj", "/CN=" + caName, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")));
        return certs;
    }

    /** The CA certificate (PEM). */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A server certificate for localhost and 127.0.0.1, files {@code name.pem} and {@code name.key}. */
    public Issued server(String name) {
        return server(name, "DNS:localhost,IP:127.0.0.1");
    }

    /** A server certificate with the given subjectAltName ({@code DNS:other.invalid}, for a host name mismatch). */
    public Issued server(String name, String subjectAltName) {
        return issue(name, "localhost", "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n", 2);
    }

    /** As {@link #server(String)}, already expired. */
    public Issued expiredServer(String name) {
        return issue(name, "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
                -1);
    }

    /** A client certificate with CN {@code commonName}, files {@code name.pem} and {@code name.key}. */
    public Issued client(String name, String commonName) {
        return issue(name, commonName, "extendedKeyUsage=clientAuth\n", 2);
    }

    /** As {@link #client(String, String)}, already expired. */
    public Issued expiredClient(String name, String commonName) {
        return issue(name, commonName, "extendedKeyUsage=clientAuth\n", -1);
    }

    private Issued issue(String name, String commonName, String extensions, int days) {
        try {
            Files.writeString(dir.resolve(name + ".ext"),
                    extensions + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(concat(List.of(openssl, "req"), EC_KEY, List.of("-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + commonName)));
        run(List.of(openssl, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", Integer.toString(days), "-extfile", name + ".ext"));
        return new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void run(List<String> command) {
        Processes.run(concat(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", dir.toString()), command))
                .requireSuccess();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
