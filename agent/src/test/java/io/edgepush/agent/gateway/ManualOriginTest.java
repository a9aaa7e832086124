package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.HostPort;
import io.edgepush.agent.trigger.Triggers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manual start/stop routes refuse a browser request from another site's page (its {@code Origin} is not the
 * agent's own, RFC 6454 section 7) and take requests from the agent's page and from clients that send no Origin.
 */
class ManualOriginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCrossOriginPostIsRefusedAndReachesNoStream() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        StatusPage.Manual manual = (device, stream, start) -> {
            calls.add(device + "/" + stream + "/" + (start ? "start" : "stop"));
            return CompletableFuture.completedFuture(
                    new Triggers.ManualAnswer(Triggers.ManualOutcome.DONE, "manual", "on"));
        };
        try (StatusPage page = StatusPage.start(new HostPort("127.0.0.1", 0), JSON::createObjectNode, manual,
                Map.of())) {
            String self = "http://127.0.0.1:" + page.port();
            for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:"
                    + page.port())) {
                HttpResponse<String> refused = post(self + "/streams/CAM_1/main/stop", origin);
                assertEquals(403, refused.statusCode(), origin);
                assertTrue(JSON.readTree(refused.body()).path("error").asText().startsWith("cross-origin"), origin);
            }
            assertEquals(List.of(), calls, "no refused request reached the trigger");

            assertEquals(200, post(self + "/streams/CAM_1/main/start", self).statusCode(), "the agent's own page");
            assertEquals(200, post(self + "/streams/CAM_1/main/stop", null).statusCode(), "no Origin (curl)");
            assertEquals(List.of("CAM_1/main/start", "CAM_1/main/stop"), calls);
        }
    }

    private static HttpResponse<String> post(String url, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
