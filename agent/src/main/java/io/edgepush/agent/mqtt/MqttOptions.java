package io.edgepush.agent.mqtt;

import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
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
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Builds the Paho connection options for {@link MqttLink} (package-private). */
final class MqttOptions {
    private MqttOptions() {
    }

    /**
     * Clean Start 0 + Session Expiry Interval, no automatic reconnect (MqttLink retries itself, so every failed
     * attempt is logged with its cause and backed off), credentials, Last Will retained {@code {"state":"offline"}}
     * on {@code presenceTopic} with the Will Delay Interval {@code will_delay_sec} (MQTT 5.0 3.1.3.2.2: the broker
     * sends the will at the earlier of that delay and the session's end, and not at all when the same client id
     * connects again before), TLS files.
     *
     * @throws IllegalArgumentException when a TLS file cannot be read or parsed (names the file)
     */
    static MqttConnectionOptions build(MqttConfig config, String presenceTopic, long sessionExpirySec) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(sessionExpirySec);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage("{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8));
        will.setQos(1);
        will.setRetained(true);
        o.setWill(presenceTopic, will);
        MqttProperties willProperties = new MqttProperties();
        willProperties.setWillDelayInterval((long) config.willDelaySec());
        o.setWillMessageProperties(willProperties);
        TlsConfig tls = config.tls();
        if (tls != null && (tls.caFile() != null || tls.certFile() != null)) {
            o.setSocketFactory(sslContext(tls).getSocketFactory());
        }
        return o;
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
