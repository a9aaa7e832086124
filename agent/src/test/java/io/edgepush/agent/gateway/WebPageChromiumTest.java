package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.testing.HeadlessChromium;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status web page ({@link WebPage}) in a real browser, headless Chromium driven over the DevTools Protocol:
 * a {@code manual} stream from a simulator camera, started with POST {@code /streams/.../start}, publishes to
 * nginx-rtmp; the page shows the camera's card as streaming with a bitrate above 0 and a sparkline of three
 * samples (screenshot saved as
 * {@code agent/target/web-page/streaming.png}); a click on its Stop button stops the stream ({@code /status} and
 * the page say idle); a second click shows the 409 answer; with the agent gone the page shows its "agent
 * unreachable" banner.
 */
class WebPageChromiumTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD =
            "document.querySelector('.stream[data-device=\"WEB_CAM\"][data-stream=\"main\"]')";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pageShowsTheStreamingCameraAndItsStopButtonStopsIt(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("chromium");
        Path artifacts = Files.createDirectories(Path.of("target", "web-page").toAbsolutePath());
        try (Nginx nginx = Nginx.start();
             HeadlessChromium browser = HeadlessChromium.start(dir, 1280, 720);
             GatewayAgent agent = GatewayAgent.start(ConfigLoader.parse("""
                     {"gateway_id": "web-gw",
                      "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                      "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": []},
                      "cameras": [{"device_id": "WEB_CAM", "streams": [
                        {"stream_id": 0, "stream_name": "main", "quality": "low", "trigger": "manual",
                         "rtmp": {"urls": ["%s"]}}]}],
                      "accept_unknown_cameras": false, "http": {"listen": "127.0.0.1:0"}}
                     """.formatted(FreePorts.tcp(), nginx.rtmpUrl("WEB_CAM_main"))));
             SimulatedCamera camera = SimulatedCamera.start(new CameraOptions("WEB_CAM",
                     Clip.load(Fixtures.repoFixture("small.h264")), 25, "127.0.0.1", agent.cameraPort(), true),
                     null)) {
            String base = "http://127.0.0.1:" + agent.httpPort();
            StreamSession main = agent.sessions().get(0);
            HttpResponse<String> started = post(base + "/streams/WEB_CAM/main/start");
            assertEquals(200, started.statusCode(), started.body());
            Await.until(() -> "streaming".equals(statusState(base)), DEADLINE, "/status says streaming");

            browser.navigate(base + "/");
            Await.until(() -> "streaming".equals(browser.evaluate(CARD + "?.dataset.state").asText(null)), DEADLINE,
                    () -> "the page shows WEB_CAM/main streaming; page text: " + pageText(browser));
            String cardText = browser.evaluate(CARD + ".closest('section.camera').innerText").asText();
            assertTrue(cardText.contains("WEB_CAM") && cardText.contains("streaming") && cardText.contains("low")
                    && cardText.contains("manual"), cardText);
            Await.until(() -> browser.evaluate("Number(" + CARD + ".dataset.bitrateBps)").asLong() > 0, DEADLINE,
                    () -> "a bitrate sample above 0 on the page; page text: " + pageText(browser));
            Await.until(() -> browser.evaluate(CARD + ".querySelector('svg.spark polyline:not(.target)')"
                    + ".points.numberOfItems").asInt() >= 3, DEADLINE, "three 5 s samples on the sparkline");
            assertTrue(browser.evaluate("document.getElementById('banner').hidden").asBoolean(), "no banner");
            Files.write(artifacts.resolve("streaming.png"), browser.screenshotPng());

            browser.evaluate(CARD + ".querySelector('button.stop').click()");
            Await.until(() -> main.state() == SessionState.IDLE, DEADLINE, "the stop click stopped the stream");
            Await.until(() -> "idle".equals(statusState(base)), DEADLINE, "/status says idle");
            Await.until(() -> "idle".equals(browser.evaluate(CARD + ".dataset.state").asText()), DEADLINE,
                    () -> "the page shows idle; page text: " + pageText(browser));
            Await.until(() -> "stop under way".equals(browser.evaluate(CARD + ".querySelector('.answer').textContent")
                    .asText()), DEADLINE, () -> "the page shows the stop's answer; page text: " + pageText(browser));

            browser.evaluate(CARD + ".querySelector('button.stop').click()");
            Await.until(() -> browser.evaluate(CARD + ".querySelector('.answer').textContent").asText()
                    .startsWith("409: the stream is not started"), DEADLINE,
                    () -> "the page shows the 409; page text: " + pageText(browser));
            Files.write(artifacts.resolve("stopped.png"), browser.screenshotPng());

            agent.close();
            Await.until(() -> !browser.evaluate("document.getElementById('banner').hidden").asBoolean(), DEADLINE,
                    () -> "the agent unreachable banner; page text: " + pageText(browser));
            assertTrue(browser.evaluate("document.getElementById('banner').textContent").asText()
                    .startsWith("Agent unreachable"), pageText(browser));
            Files.write(artifacts.resolve("unreachable.png"), browser.screenshotPng());
        }
    }

    private static String pageText(HeadlessChromium browser) {
        return browser.evaluate("document.body.innerText").asText();
    }

    private String statusState(String base) {
        try {
            JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
            return status.path("sessions").path(0).path("state_name").asText();
        } catch (Exception e) {
            throw new AssertionError("GET /status: " + e, e);
        }
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
