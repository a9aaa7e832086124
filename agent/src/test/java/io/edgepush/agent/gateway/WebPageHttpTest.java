package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The web page's files and {@code GET /history} over a real HTTP client ({@link WebPage}, DESIGN.md 6b): {@code /}
 * is HTML that loads {@code /app.js} and {@code /style.css}, each with its Content-Type; HEAD gives headers only;
 * another method is 405, an unknown path still 404; {@code /history} has one entry per session with samples
 * arriving every 5 s. The agent has no broker and no RTMP server: the page needs neither.
 */
class WebPageHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesThePageItsAssetsAndTheHistory() throws Exception {
        try (GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                {"gateway_id": "web-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                 "cameras": [{"device_id": "WEB_CAM", "streams": [
                   {"stream_id": 0, "stream_name": "main", "trigger": "manual",
                    "rtmp": {"urls": ["rtmp://127.0.0.1:%d/live/key"]}}]}],
                 "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                """.formatted(FreePorts.tcp(), FreePorts.tcp())))) {
            String base = "http://127.0.0.1:" + agent.httpPort();

            HttpResponse<String> page = send(base + "/", "GET");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", contentType(page));
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
            for (String element : new String[] {"<script src=\"/app.js\"",
                    "<link rel=\"stylesheet\" href=\"/style.css\"", "id=\"cameras\"", "id=\"banner\"",
                    "id=\"gateway-id\""}) {
                assertTrue(page.body().contains(element), "page has " + element);
            }
            assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "nothing from elsewhere");

            HttpResponse<String> script = send(base + "/app.js", "GET");
            assertEquals(200, script.statusCode());
            assertEquals("text/javascript; charset=utf-8", contentType(script));
            assertTrue(script.body().contains("'/status'") && script.body().contains("'/history'"), "polls both");
            HttpResponse<String> style = send(base + "/style.css", "GET");
            assertEquals(200, style.statusCode());
            assertEquals("text/css; charset=utf-8", contentType(style));
            assertTrue(style.body().contains(".stream"), style.body());

            HttpResponse<String> head = send(base + "/", "HEAD");
            assertEquals(200, head.statusCode());
            assertEquals("text/html; charset=utf-8", contentType(head));
            assertEquals("", head.body());

            HttpResponse<String> post = send(base + "/", "POST");
            assertEquals(405, post.statusCode(), post.body());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
            assertTrue(JSON.readTree(post.body()).path("error").asText().contains("GET /"), post.body());
            assertEquals(405, send(base + "/history", "DELETE").statusCode());
            for (String path : new String[] {"/index.html", "/app.js/", "/web/app.js", "/favicon.ico", "/histories"}) {
                assertEquals(404, send(base + path, "GET").statusCode(), path);
            }
            assertEquals(200, send(base + "/status", "GET").statusCode(), "the JSON page stays");

            AtomicReference<JsonNode> history = new AtomicReference<>();
            Await.until(() -> {
                history.set(readJson(base + "/history"));
                return history.get().path("streams").path(0).path("bitrate_bps").size() >= 1;
            }, DEADLINE, () -> "a bitrate sample in /history: " + history.get());
            JsonNode doc = history.get();
            assertEquals(5, doc.path("interval_sec").asInt(), doc.toString());
            assertEquals(60, doc.path("capacity").asInt(), doc.toString());
            assertTrue(doc.path("timestamp").asLong() > 0, doc.toString());
            assertEquals(1, doc.path("streams").size(), doc.toString());
            JsonNode stream = doc.path("streams").get(0);
            assertEquals("WEB_CAM", stream.path("device_id").asText());
            assertEquals("main", stream.path("stream_name").asText());
            assertTrue(stream.path("newest_at").asLong() > 0, doc.toString());
            assertEquals(0, stream.path("bitrate_bps").get(0).asLong(), "an idle stream sends nothing");
            HttpResponse<String> raw = send(base + "/history", "GET");
            assertEquals("application/json; charset=utf-8", contentType(raw));
        }
    }

    private JsonNode readJson(String url) {
        try {
            return JSON.readTree(send(url, "GET").body());
        } catch (Exception e) {
            throw new AssertionError(url + ": " + e, e);
        }
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private HttpResponse<String> send(String url, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
