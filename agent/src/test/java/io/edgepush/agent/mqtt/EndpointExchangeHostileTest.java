package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.config.QualityPreset;
import io.edgepush.agent.testing.MqttTestClient;
import io.edgepush.testkit.Mosquitto;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5 through a real mosquitto: garbage, a payload over the parse cap, wrong types and answers for no
 * pending request on the response topic are each ignored (one log line) and the pending request still takes its
 * own answer; a matching answer with mistyped fields fails the request as BAD_RESPONSE, one with a {@code file://}
 * URL as ENDPOINT_INVALID.
 */
class EndpointExchangeHostileTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE = "HOSTILE_EX_CAM";
    private static final String RESPONSE_TOPIC = "devices/" + DEVICE + "/stream/response";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void garbageIsIgnoredThePendingRequestTakesItsOwnAnswerAndBadAnswersFailIt() throws Exception {
        try (Mosquitto broker = Mosquitto.start();
             MqttLink link = new MqttLink(new MqttConfig(broker.url(), "gw-hostile-ex", null, null, TlsConfig.NONE,
                     5000), "gw-hostile-ex");
             MqttTestClient cloud = MqttTestClient.connect(broker.url(), "cloud").subscribe("devices/+/stream/request")) {
            link.start().get(10, TimeUnit.SECONDS);
            try (EndpointExchange exchange = new EndpointExchange(link, 20_000, Clock.systemUTC())) {
                CompletableFuture<EndpointResponse> f = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 1, null);
                String id = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
                for (String garbage : new String[]{"", "\u0000\u0001", "not json", "[]", "{\"request_id\": 5}",
                    "{\"request_id\":\"" + "r".repeat(100_000) + "\"}",
                    "{\"request_id\":\"" + id + "\",\"pad\":\"" + "p".repeat(EndpointResponseParser.MAX_PAYLOAD_BYTES)
                            + "\",\"success\":true,\"rtmp_url\":\"rtmp://wrong/live/\",\"stream_key\":\"k1234\"}",
                    success("stream_00000000", "rtmp://other/live/")}) {
                    cloud.publish(RESPONSE_TOPIC, garbage);
                }
                cloud.publish(RESPONSE_TOPIC, success(id, "rtmp://right/live/"));
                assertEquals("rtmp://right/live/", f.get(10, TimeUnit.SECONDS).rtmpUrl());

                CompletableFuture<EndpointResponse> typed = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 1, null);
                String id2 = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
                cloud.publish(RESPONSE_TOPIC, success(id2, "rtmp://h/live/").replace("}", ",\"expires_at\":\"x\"}"));
                assertEquals("BAD_RESPONSE", failure(typed).errorCode());

                CompletableFuture<EndpointResponse> file = exchange.requestEndpoint(DEVICE, QualityPreset.LOW, 1, null);
                String id3 = json.readTree(cloud.next(WAIT).payload()).get("request_id").asText();
                cloud.publish(RESPONSE_TOPIC, success(id3, "file:///etc/"));
                assertEquals("ENDPOINT_INVALID", failure(file).errorCode());
            }
        }
    }

    private static String success(String requestId, String url) {
        return "{\"success\":true,\"request_id\":\"" + requestId + "\",\"rtmp_url\":\"" + url
                + "\",\"stream_key\":\"k1234\"}";
    }

    private static EndpointException failure(CompletableFuture<EndpointResponse> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(EndpointException.class, e.getCause());
    }
}
