package io.edgepush.agent.mqtt;

import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS side of the MQTT connection ({@code $.mqtt.tls}): PEM files to an SSLContext, checked at start. */
public final class MqttTls {
    private MqttTls() {
    }

    /**
     * Checks that the {@code $.mqtt.tls} files can be used (readable PEM certificates, a PKCS#8 key), so a bad one is
     * a config error at start rather than a failure later.
     *
     * @throws ConfigException naming the key ({@code $.mqtt.tls.key_file}) and the file
     */
    public static void check(TlsConfig tls) throws ConfigException {
        if (tls == null || (tls.caFile() == null && tls.certFile() == null)) {
            return;
        }
        try {
            sslContext(tls);
        } catch (TlsFileException e) {
            throw new ConfigException(e.jsonPath, e.problem, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("$.mqtt.tls", e.getMessage(), e);
        }
    }

    /**
     * An SSLContext trusting ca_file (PEM) and presenting cert_file + key_file (PEM, PKCS#8 key).
     *
     * @throws TlsFileException naming the key and the file when a file cannot be read or parsed
     * @throws IllegalArgumentException when the JDK cannot set up TLS with them
     */
    static SSLContext sslContext(TlsConfig tls) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates("ca_file", tls.caFile())) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (tls.certFile() != null) {
                if (tls.keyFile() == null) {
                    throw new IllegalArgumentException("mqtt.tls.cert_file is set but mqtt.tls.key_file is not");
                }
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("client", privateKey(tls.keyFile()), none,
                        certificates("cert_file", tls.certFile()).toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("mqtt TLS setup failed: " + e.getMessage(), e);
        }
    }

    /** A file of {@code $.mqtt.tls} that cannot be used: {@link #jsonPath} names the key, the message the file. */
    static final class TlsFileException extends IllegalArgumentException {
        final String jsonPath;
        final String problem;

        TlsFileException(String key, String problem, Throwable cause) {
            super("$.mqtt.tls." + key + ": " + problem, cause);
            this.jsonPath = "$.mqtt.tls." + key;
            this.problem = problem;
        }
    }

    /** The PEM certificates in {@code file}, the value of {@code $.mqtt.tls.<key>}; at least one. */
    private static java.util.Collection<? extends Certificate> certificates(String key, String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            java.util.Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new TlsFileException(key, "no PEM certificate in " + file, null);
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException(key, "cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    /** The private key of {@code $.mqtt.tls.key_file}. */
    private static PrivateKey privateKey(String file) {
        try {
            return readPrivateKey(file);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsFileException("key_file", file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("expected a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt'");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm (RSA, EC, Ed25519 supported)");
    }
}
