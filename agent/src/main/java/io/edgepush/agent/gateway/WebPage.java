package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status web page of {@code http.listen} (DESIGN.md section 6b, {@code GET /}), as read-only routes for
 * {@link StatusPage} ({@link GetRoute}: HEAD without the body, 405 for another method, no caching):
 * <ul>
 * <li>{@code GET /}: {@code web/index.html} from the agent jar, {@code text/html; charset=utf-8};</li>
 * <li>{@code GET /app.js} ({@code text/javascript}) and {@code GET /style.css} ({@code text/css}): its script and
 *     style, plain files with no build step and nothing fetched from elsewhere (the gateway may be offline). The
 *     script polls {@code /status} and {@code /history} every 2 s and calls the {@code manual} trigger's
 *     {@code POST /streams/...} routes;</li>
 * <li>{@code GET /history}: {@code application/json}, the {@link BitrateHistory} document (shape there).</li>
 * </ul>
 */
final class WebPage {
    /** The bitrate history's path. */
    static final String HISTORY_PATH = "/history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebPage() {
    }

    /**
     * The page's routes by path; the files are read from the classpath here, once.
     *
     * @param history the bitrate history served on {@value #HISTORY_PATH}
     * @throws UncheckedIOException if a page file is missing from the jar (a broken build)
     */
    static Map<String, GetRoute> routes(BitrateHistory history) {
        return Map.of(
                "/", file("web/index.html", "text/html; charset=utf-8"),
                "/app.js", file("web/app.js", "text/javascript; charset=utf-8"),
                "/style.css", file("web/style.css", "text/css; charset=utf-8"),
                HISTORY_PATH, () -> new GetRoute.Reply(200, "application/json; charset=utf-8",
                        JSON.writeValueAsBytes(history.json(System.currentTimeMillis()))));
    }

    private static GetRoute file(String name, String contentType) {
        byte[] body;
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing from the classpath");
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("web page file " + name + ": " + e.getMessage(), e);
        }
        return () -> new GetRoute.Reply(200, contentType, body.clone());
    }
}
