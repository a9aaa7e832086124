package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.testing.LogCapture;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Mosquitto;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import io.edgepush.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3 against a real mosquitto: TLS with a CA file, mutual TLS, a password file, and the failure cases
 * (wrong CA, expired certificates, missing client certificate, bad password), each logged as one
 * {@code event=mqtt_connect_failed ... cause=...} line per attempt and retried with a growing delay. Certificates are
 * made by the test ({@link TestCertificates}).
 */
class MqttSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long INITIAL_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 1600;
    private static final Pattern RETRY = Pattern.compile("attempt=(\\d+) cause=(\\S+) .*retry_in_ms=(\\d+)");

    @TempDir
    Path dir;
    private TestCertificates ca;
    private TestCertificates.Issued server;

    @BeforeEach
    void certificates() {
        Peers.require("mosquitto");
        ca = TestCertificates.create(dir.resolve("ca"), "edgepush test CA");
        server = ca.server("server");
    }

    private String tlsListener(TestCertificates.Issued serverCert) {
        return "cafile " + ca.caFile() + "\ncertfile " + serverCert.cert() + "\nkeyfile " + serverCert.key() + "\n";
    }

    private static String mutualTls() {
        return "require_certificate true\nuse_identity_as_username true\nallow_anonymous false\n";
    }

    private static MqttLink link(String url, String gatewayId, String user, String password, TlsConfig tls) {
        return new MqttLink(new MqttConfig(url, gatewayId, user, password, tls, 5000), gatewayId, INITIAL_DELAY_MS,
                MAX_DELAY_MS);
    }

    /** A TLS observer trusting our CA (with {@code client} as its certificate when not null). */
    private MqttTestClient observer(Mosquitto broker, TestCertificates.Issued client) throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(MqttTls.sslContext(new TlsConfig(ca.caFile().toString(),
                client == null ? null : client.cert().toString(), client == null ? null : client.key().toString()))
                .getSocketFactory());
        return MqttTestClient.connect(broker.url(), "observer", o);
    }

    private static void awaitOnline(MqttTestClient observer, String gatewayId) throws Exception {
        String topic = "gateways/" + gatewayId + "/status";
        observer.subscribe(topic);
        // Live or retained, depending on whether the subscription or the publish came first (retention: MqttLinkTest).
        observer.await(topic, j -> j.path("state").asText().equals("online"), WAIT, "online presence");
    }

    /**
     * Waits until {@code attempts} failed attempts of {@code gatewayId} logged {@code cause} and checks them: one line
     * per attempt (attempt numbers strictly increasing) with the delay 200 ms doubled per attempt, capped at 1600 ms.
     * With {@code onlyThisCause} every failure of that link so far must have that cause (and the first be attempt 1),
     * except {@code connection_lost}, allowed when the broker refuses our certificate: with TLS 1.3 its alert comes
     * after the handshake, and writing CONNECT may fail with "Broken pipe" before the alert is read.
     */
    private static void awaitFailures(LogCapture log, MqttLink link, String gatewayId, int attempts, String cause,
                                      boolean onlyThisCause) {
        String client = "client_id=" + gatewayId + " ";
        Await.until(() -> failures(log, client).stream().filter(l -> l.contains("cause=" + cause + " ")).count()
                >= attempts, WAIT, () -> attempts + " attempts of " + gatewayId + " failed with " + cause + "; log:\n"
                + log.text());
        List<String> lines = failures(log, client);
        int previousAttempt = 0;
        for (String line : lines) {
            Matcher m = RETRY.matcher(line);
            assertTrue(m.find(), line);
            int attempt = Integer.parseInt(m.group(1));
            assertEquals(onlyThisCause ? previousAttempt + 1 : attempt, attempt, "one line per attempt: " + lines);
            assertTrue(attempt > previousAttempt || attempt == 1, "one line per attempt: " + lines);
            previousAttempt = attempt;
            boolean refusedCertificateRace = cause.startsWith("tls_") && m.group(2).equals("connection_lost");
            if ((onlyThisCause && !refusedCertificateRace) || m.group(2).equals(cause)) {
                assertEquals(cause, m.group(2), line);
                assertEquals(Math.min(INITIAL_DELAY_MS << Math.min(attempt - 1, 20), MAX_DELAY_MS),
                        Long.parseLong(m.group(3)), line);
            }
        }
        assertFalse(link.isConnected());
    }

    private static void awaitFailures(LogCapture log, MqttLink link, String gatewayId, int attempts, String cause) {
        awaitFailures(log, link, gatewayId, attempts, cause, true);
    }

    private static List<String> failures(LogCapture log, String client) {
        return log.lines("event=mqtt_connect_failed").stream().filter(l -> l.contains(client)).toList();
    }

    @Test
    void tlsWithACaFileConnectsAndPublishesOnline() throws Exception {
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(server))) {
            MqttLink link = link(broker.url(), "gw-tls", null, null, new TlsConfig(ca.caFile().toString(), null, null));
            try (MqttTestClient observer = observer(broker, null)) {
                link.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                awaitOnline(observer, "gw-tls");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsLoggedAsUnknownCaAndRetried() throws Exception {
        TestCertificates other = TestCertificates.create(dir.resolve("other"), "some other CA");
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(server)); LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-wrong-ca", null, null,
                    new TlsConfig(other.caFile().toString(), null, null));
            try {
                link.start();
                awaitFailures(log, link, "gw-wrong-ca", 3, "tls_unknown_ca");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void anExpiredServerCertificateIsLoggedAsExpired() throws Exception {
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(ca.expiredServer("expired-server")));
             LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-expired-server", null, null,
                    new TlsConfig(ca.caFile().toString(), null, null));
            try {
                link.start();
                awaitFailures(log, link, "gw-expired-server", 3, "tls_certificate_expired");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void aServerCertificateForAnotherHostIsLoggedAsHostnameMismatch() throws Exception {
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(ca.server("elsewhere", "DNS:elsewhere.invalid")));
             LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-hostname", null, null,
                    new TlsConfig(ca.caFile().toString(), null, null));
            try {
                link.start();
                awaitFailures(log, link, "gw-hostname", 2, "tls_hostname_mismatch");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void mutualTlsAcceptsOurClientCertificate() throws Exception {
        TestCertificates.Issued client = ca.client("client", "gw-mtls");
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(server) + mutualTls())) {
            MqttLink link = link(broker.url(), "gw-mtls", null, null, new TlsConfig(ca.caFile().toString(),
                    client.cert().toString(), client.key().toString()));
            try (MqttTestClient observer = observer(broker, ca.client("observer", "observer"))) {
                link.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                awaitOnline(observer, "gw-mtls");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void mutualTlsWithoutAClientCertificateIsRefusedWithACause() throws Exception {
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(server) + mutualTls());
             LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-no-cert", null, null,
                    new TlsConfig(ca.caFile().toString(), null, null));
            try {
                link.start();
                awaitFailures(log, link, "gw-no-cert", 3, "tls_client_certificate_required");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void anExpiredClientCertificateIsLoggedAsExpired() throws Exception {
        TestCertificates.Issued client = ca.expiredClient("expired-client", "gw-expired-client");
        try (Mosquitto broker = Mosquitto.startWith("ssl", tlsListener(server) + mutualTls());
             LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-expired-client", null, null, new TlsConfig(
                    ca.caFile().toString(), client.cert().toString(), client.key().toString()));
            try {
                link.start();
                awaitFailures(log, link, "gw-expired-client", 3, "tls_certificate_expired");
            } finally {
                link.close();
            }
        }
    }

    /** Writes a mosquitto password file with one user. */
    private Path passwordFile(String user, String password) {
        Path file = dir.resolve("passwd");
        Processes.run(List.of(Peers.require("mosquitto_passwd").toString(), "-b", "-c", file.toString(), user,
                password)).requireSuccess();
        return file;
    }

    private static MqttTestClient passwordObserver(Mosquitto broker, String user, String password) throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return MqttTestClient.connect(broker.url(), "observer", o);
    }

    @Test
    void theRightPasswordConnectsAWrongOneIsLoggedPerAttemptWithAGrowingDelay() throws Exception {
        Path passwd = passwordFile("gw", "right-pass-123");
        try (Mosquitto broker = Mosquitto.startWith("tcp", "password_file " + passwd + "\nallow_anonymous false\n");
             LogCapture log = LogCapture.start()) {
            MqttLink good = link(broker.url(), "gw-pass", "gw", "right-pass-123", TlsConfig.NONE);
            MqttLink bad = link(broker.url(), "gw-bad-pass", "gw", "wrong-pass-456", TlsConfig.NONE);
            try (MqttTestClient observer = passwordObserver(broker, "gw", "right-pass-123")) {
                good.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                awaitOnline(observer, "gw-pass");
                long startNanos = System.nanoTime();
                bad.start();
                awaitFailures(log, bad, "gw-bad-pass", 4, "bad_credentials");
                // No tight loop: the 4th attempt comes after the first three delays (200 + 400 + 800 ms) at least.
                assertTrue(System.nanoTime() - startNanos >= TimeUnit.MILLISECONDS.toNanos(1400));
                assertFalse(log.text().contains("wrong-pass-456"), "password in the log");
                assertFalse(log.text().contains("right-pass-123"), "password in the log");
            } finally {
                bad.close();
                good.close();
            }
        }
    }

    @Test
    void aPasswordRejectedAfterABrokerRestartIsRetriedWithBackoffUntilItIsAcceptedAgain() throws Exception {
        Path passwd = passwordFile("gw", "first-pass");
        try (Mosquitto broker = Mosquitto.startWith("tcp", "password_file " + passwd + "\nallow_anonymous false\n");
             LogCapture log = LogCapture.start()) {
            MqttLink link = link(broker.url(), "gw-rotated", "gw", "first-pass", TlsConfig.NONE);
            try {
                link.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                passwordFile("gw", "rotated-pass");
                broker.restart();
                awaitFailures(log, link, "gw-rotated", 4, "bad_credentials", false); // the first may find it down
                passwordFile("gw", "first-pass");
                broker.restart();
                try (MqttTestClient observer = passwordObserver(broker, "gw", "first-pass")) {
                    Await.until(link::isConnected, WAIT, () -> "reconnected; log:\n" + log.text());
                    awaitOnline(observer, "gw-rotated");
                }
            } finally {
                link.close();
            }
        }
    }
}
