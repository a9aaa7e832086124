package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.cli.StdStreams;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.EndpointUnavailableException;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.simulator.cloud.SeenRequest;
import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Mosquitto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of MQTT endpoint discovery failures against a real mosquitto: the failed endpoint is reported
 * (without the stream key) in a fresh request, and an unexpired endpoint is reused while the cloud cannot be reached.
 * The cloud is the simulator's StreamService or, where the test needs to script answers, a plain MQTT client.
 */
class MqttEndpointSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE = "EP_CAM_1";
    private static final String KEY = "secret_key_0123456789";
    private static final String REQUESTS = "devices/+/stream/request";
    private static final String RESPONSE_TOPIC = "devices/" + DEVICE + "/stream/response";
    private static final long NOW = 1_700_000_000L;
    private final ObjectMapper json = new ObjectMapper();
    private static Mosquitto sharedBroker;
    private static MqttLink sharedLink;
    private Mosquitto broker;
    private MqttLink link;
    private EndpointExchange exchange;

    @BeforeAll
    static void startBroker() throws Exception {
        sharedBroker = Mosquitto.start();
        sharedLink = link(sharedBroker);
    }

    @AfterAll
    static void stopBroker() {
        if (sharedLink != null) {
            sharedLink.close();
        }
        if (sharedBroker != null) {
            sharedBroker.close();
        }
    }

    private static MqttLink link(Mosquitto broker) throws Exception {
        MqttLink link = new MqttLink(new MqttConfig(broker.url(), "gw-ep-" + broker.port(), null, null,
                TlsConfig.NONE, 5000), "gw-ep", 100, 500);
        link.start().get(10, TimeUnit.SECONDS);
        return link;
    }

    /** An exchange on the shared broker and link. */
    private void connect(long requestTimeoutMs) {
        broker = sharedBroker;
        link = sharedLink;
        exchange = new EndpointExchange(link, requestTimeoutMs, Clock.systemUTC());
    }

    /** An exchange on a broker and link of this test's own (which it may stop). */
    private void connectOwn(long requestTimeoutMs) throws Exception {
        broker = Mosquitto.start();
        link = link(broker);
        exchange = new EndpointExchange(link, requestTimeoutMs, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (exchange != null) {
            exchange.close();
        }
        if (link != null && link != sharedLink) {
            link.close();
            broker.close();
        }
    }

    private static Clock at(long epochSec) {
        return Clock.fixed(Instant.ofEpochSecond(epochSec), ZoneOffset.UTC);
    }

    @Test
    void failedEndpointIsReportedWithoutTheKeyInAFreshRequest() throws Exception {
        connect(5000);
        String a = "rtmp://127.0.0.1:1935/live/";
        String b = "rtmp://127.0.0.1:1936/live/";
        try (MqttTestClient watcher = MqttTestClient.connect(broker.url(), "watch").subscribe(REQUESTS);
             StreamService cloud = StreamService.start(StreamServiceOptions.of(broker.url(), List.of(a, b))
                     .withClientId("ep-cloud").withStreamKey(KEY))) {
            MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE);
            Endpoint first = source.resolve("high", true, null).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(a + KEY), first.publishUrls());
            assertFalse(watcher.next(WAIT).json().has("failed_endpoint"), "a first request reports no failure");

            FailedEndpoint failure = new FailedEndpoint(a + KEY, "RTMP_CONNECT_REFUSED",
                    "connect to " + a + KEY + " refused (key " + KEY + ")");
            Endpoint second = source.resolve("high", true, failure).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(b + KEY), second.publishUrls(), "the cloud handed out the next server");

            MqttTestClient.Received request = watcher.next(WAIT);
            assertEquals(json.readTree("{\"rtmp_url\":\"" + a + "\",\"error_code\":\"RTMP_CONNECT_REFUSED\","
                    + "\"message\":\"connect to " + a + "secr*** refused (key secr***)\"}"),
                    request.json().get("failed_endpoint"));
            assertFalse(request.payload().contains(KEY), request.payload());
            String token = watcher.all().stream().filter(r -> r.topic().equals(RESPONSE_TOPIC)).findFirst()
                    .map(r -> r.json().path("token").asText()).orElse("never-seen");
            assertFalse(request.payload().contains(token), request.payload());
            List<SeenRequest> seen = cloud.requests();
            assertEquals(2, seen.size(), "every resolve asks the cloud afresh");
            assertNull(seen.get(0).failedEndpoint());
            assertEquals(new SeenRequest.FailedEndpoint(a, "RTMP_CONNECT_REFUSED"), seen.get(1).failedEndpoint());
            assertEquals(b, seen.get(1).rtmpUrl());
        }
    }

    @Test
    void unansweredRequestReusesTheLastUnexpiredEndpointAndSaysSo() throws Exception {
        connect(300);
        try (MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe(REQUESTS)) {
            MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE, at(NOW));
            CompletableFuture<Endpoint> first = source.resolve("low", true, null);
            answer(cloud, "\"expires_at\":" + (NOW + 1));
            assertEquals(List.of("rtmp://ingest/live/" + KEY), first.get(10, TimeUnit.SECONDS).publishUrls());

            StdStreams out = StdStreams.capture(() -> {
                try {
                    Endpoint again = source.resolve("low", true, new FailedEndpoint("rtmp://ingest/live/" + KEY,
                            "RTMP_CONNECT_TIMEOUT", "timed out")).get(10, TimeUnit.SECONDS);
                    assertEquals(List.of("rtmp://ingest/live/" + KEY), again.publishUrls());
                    assertEquals(NOW + 1, again.expiresAtEpochSec());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return 0;
            });
            assertTrue(out.stderr().contains("event=endpoint_reused device_id=" + DEVICE + " error_code=TIMEOUT"),
                    out.stderr());
            assertFalse(out.stderr().contains(KEY), out.stderr());
            assertEquals(2, cloud.findAll(REQUESTS, j -> true).size(), "a fresh request was made before reusing");
        }
    }

    @Test
    void expiredEndpointIsNotReused() throws Exception {
        connect(300);
        try (MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe(REQUESTS)) {
            MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE, at(NOW));
            CompletableFuture<Endpoint> first = source.resolve("low", true, null);
            answer(cloud, "\"expires_at\":" + NOW);
            first.get(10, TimeUnit.SECONDS);
            EndpointUnavailableException e = failure(source.resolve("low", true, null));
            assertEquals("TIMEOUT", e.errorCode());
            assertTrue(e.retryable());
        }
    }

    @Test
    void endpointWithoutExpiryIsReusedWhenTheBrokerIsDown() throws Exception {
        connectOwn(300);
        MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE, at(NOW + 10L * 365 * 86400));
        try (MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe(REQUESTS)) {
            CompletableFuture<Endpoint> first = source.resolve("low", true, null);
            answer(cloud, "\"expires_at\":0");
            first.get(10, TimeUnit.SECONDS);
        }
        broker.stop();
        Await.until(() -> !link.isConnected(), WAIT, "the link to notice the broker is gone");
        Endpoint again = source.resolve("low", true, null).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("rtmp://ingest/live/" + KEY), again.publishUrls());
        assertEquals(0, again.expiresAtEpochSec());

        EndpointUnavailableException none = failure(new MqttEndpointSource(exchange, DEVICE).resolve("low", true, null));
        assertTrue(Set.of("TIMEOUT", "PUBLISH_FAILED").contains(none.errorCode()), none.errorCode());
        assertTrue(none.retryable());
    }

    @Test
    void cloudRefusalAndBadResponseFailEvenWithAReusableEndpoint() throws Exception {
        connect(5000);
        try (MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe(REQUESTS)) {
            MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE, at(NOW));
            CompletableFuture<Endpoint> first = source.resolve("low", true, null);
            answer(cloud, "\"expires_at\":" + (NOW + 3600));
            first.get(10, TimeUnit.SECONDS);

            CompletableFuture<Endpoint> refused = source.resolve("low", true, null);
            MqttTestClient.Received req = cloud.next(WAIT);
            cloud.publish(req.responseTopic(), "{\"success\":false,\"request_id\":\""
                    + req.json().get("request_id").asText() + "\",\"error_code\":\"UNAUTHORIZED\","
                    + "\"error_message\":\"Device not authorized for streaming\"}", null, req.correlationData());
            EndpointUnavailableException e = failure(refused);
            assertEquals("UNAUTHORIZED", e.errorCode());
            assertFalse(e.retryable());

            CompletableFuture<Endpoint> bad = source.resolve("low", true, null);
            req = cloud.next(WAIT);
            cloud.publish(req.responseTopic(), "{\"success\":true,\"request_id\":\""
                    + req.json().get("request_id").asText() + "\",\"rtmp_url\":\"rtmp://h/live/\"}", null,
                    req.correlationData());
            EndpointUnavailableException b = failure(bad);
            assertEquals("BAD_RESPONSE", b.errorCode());
            assertTrue(b.retryable());
        }
    }

    @Test
    void closedExchangeReusesTheLastEndpointAndFailsWithoutOne() throws Exception {
        connect(5000);
        MqttEndpointSource source = new MqttEndpointSource(exchange, DEVICE, at(NOW));
        try (MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe(REQUESTS)) {
            CompletableFuture<Endpoint> first = source.resolve("low", true, null);
            answer(cloud, "\"expires_at\":" + (NOW + 3600));
            first.get(10, TimeUnit.SECONDS);
        }
        exchange.close();
        assertEquals(List.of("rtmp://ingest/live/" + KEY),
                source.resolve("low", true, null).get(10, TimeUnit.SECONDS).publishUrls());
        EndpointUnavailableException e = failure(new MqttEndpointSource(exchange, DEVICE).resolve("low", true, null));
        assertEquals("CLOSED", e.errorCode());
    }

    @Test
    void reportNamesTheServerWithoutTheKeyAndMasksSecretsInTheMessage() {
        EndpointResponse last = new EndpointResponse("r1", "rtmp://ingest:1935/live/", KEY, null, null, 0, 0, false,
                0, "tok_abcdef");
        assertEquals(new EndpointFailureReport("rtmp://ingest:1935/live/", "RTMP_PUBLISH_BAD_NAME",
                        "publish rtmp://ingest:1935/live/secr*** refused; token tok_***"),
                MqttEndpointSource.report(new FailedEndpoint("rtmp://ingest:1935/live/" + KEY, "RTMP_PUBLISH_BAD_NAME",
                        "publish rtmp://ingest:1935/live/" + KEY + " refused; token tok_abcdef"), last));
        // a URL this source did not hand out last: tcUrl + "/", key masked wherever it appears
        assertEquals(new EndpointFailureReport("rtmp://other:1937/app/inst/", null, "key k3y_***"),
                MqttEndpointSource.report(new FailedEndpoint("rtmp://other:1937/app/inst/k3y_long?x=1", null,
                        "key k3y_long?x=1"), last));
        assertEquals(new EndpointFailureReport("rtmps://other/live/", "E", null),
                MqttEndpointSource.report(new FailedEndpoint("rtmps://other/live/abcdefgh", "E", null), null));
        // a URL that cannot be parsed is not sent at all
        assertEquals(new EndpointFailureReport("***", "E", "bad *** here"),
                MqttEndpointSource.report(new FailedEndpoint("http://x/k_secret", "E", "bad http://x/k_secret here"),
                        null));
    }

    /** Answers the next request with rtmp://ingest/live/ + KEY and the given extra JSON fields. */
    private void answer(MqttTestClient cloud, String extraFields) throws Exception {
        MqttTestClient.Received req = cloud.next(WAIT);
        String requestId = req.json().get("request_id").asText();
        cloud.publish(req.responseTopic(), "{\"success\":true,\"request_id\":\"" + requestId + "\","
                + "\"rtmp_url\":\"rtmp://ingest/live/\",\"stream_key\":\"" + KEY + "\",\"token\":\"tok_abcdef\","
                + extraFields + "}", null, req.correlationData());
    }

    private static EndpointUnavailableException failure(CompletableFuture<Endpoint> f) {
        return assertInstanceOf(EndpointUnavailableException.class, failureCause(f));
    }

    private static Throwable failureCause(CompletableFuture<Endpoint> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }
}
