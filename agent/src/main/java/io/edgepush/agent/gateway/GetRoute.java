package io.edgepush.agent.gateway;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A read-only route of the local HTTP ({@link StatusPage}; DESIGN.md section 6b), such as {@code GET /metrics} and
 * {@code GET /health}: {@code GET} and {@code HEAD} get the reply the route builds (HEAD without the body), another
 * method 405 with {@code Allow: GET, HEAD}, and a route that throws 500 (logged as {@code event=http_route_failed});
 * error bodies are StatusPage's {@code {"error": "..."}}. Replies are not cached ({@code Cache-Control: no-store}).
 */
@FunctionalInterface
interface GetRoute {
    Logger LOG = LoggerFactory.getLogger(GetRoute.class);

    /**
     * What a route answers.
     *
     * @param status      HTTP status code
     * @param contentType the {@code Content-Type}
     * @param body        the body (owned by the reply)
     */
    record Reply(int status, String contentType, byte[] body) {
    }

    /**
     * Builds the reply for one request (on the HTTP thread; it must be thread-safe).
     *
     * @throws IOException or a RuntimeException when it cannot (answered 500)
     */
    Reply reply() throws IOException;

    /** Answers {@code exchange} for the route at {@code path} (the exchange is closed by the caller). */
    static void serve(HttpExchange exchange, String path, GetRoute route) throws IOException {
        String method = exchange.getRequestMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            StatusPage.sendError(exchange, 405, "method not allowed; use GET " + path);
            return;
        }
        Reply reply;
        try {
            reply = route.reply();
        } catch (IOException | RuntimeException e) {
            LOG.error("event=http_route_failed path={} error=\"{}\"", path, e.toString(), e);
            StatusPage.sendError(exchange, 500, path + " unavailable: " + e.getClass().getSimpleName());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (head) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }
}
