package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgepush.agent.config.HostPort;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local status page on {@code http.listen} (DESIGN.md section 5; default {@code 127.0.0.1:9100}), served by
 * the JDK's {@code com.sun.net.httpserver.HttpServer} (HTTP/1.1, RFC 9110):
 * <ul>
 * <li>{@code GET /status} (and {@code HEAD}): 200, {@code application/json}, the document built by the source
 *     ({@link StatusJson#page});</li>
 * <li>another method on {@code /status}: 405 with {@code Allow: GET, HEAD};</li>
 * <li>any other path: 404;</li>
 * <li>a source that throws: 500 (logged); the server stays up.</li>
 * </ul>
 * Error bodies are {@code {"error": "..."}}. The page is an extra: when it cannot bind (port in use, bad address)
 * {@link #start} logs one ERROR line {@code event=http_unavailable} and returns a page that serves nothing
 * ({@link #port()} is -1); the agent streams on without it. Requests are served on one daemon thread.
 */
final class StatusPage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The one path served. */
    public static final String PATH = "/status";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<ObjectNode> source;

    private StatusPage(HttpServer server, ExecutorService executor, Supplier<ObjectNode> source) {
        this.server = server;
        this.executor = executor;
        this.source = source;
    }

    /**
     * Binds {@code listen} and starts serving; never throws for a bind failure.
     *
     * @param listen where to listen; null disables the page
     * @param source builds the {@code /status} document for each request (called on the page's thread; it must
     *               be thread-safe and quick)
     * @return the running page, or a disabled one ({@link #port()} -1) when {@code listen} is null or cannot be bound
     */
    public static StatusPage start(HostPort listen, Supplier<ObjectNode> source) {
        if (listen == null) {
            log.info("event=http_disabled reason=\"http.listen is null\"");
            return new StatusPage(null, null, source);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
        } catch (IOException | RuntimeException e) {
            log.error("event=http_unavailable listen={} error=\"{}\" effect=\"no /status page; streaming continues\"",
                    listen, e.toString());
            return new StatusPage(null, null, source);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("http-status", true));
        StatusPage page = new StatusPage(server, executor, source);
        server.createContext("/", page::handle);
        server.setExecutor(executor);
        server.start();
        log.info("event=http_started listen={}:{} path={}", listen.host(), page.port(), PATH);
        return page;
    }

    /** The bound TCP port (the real one when {@code http.listen} asked for port 0), or -1 when not serving. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** Stops serving at once (open exchanges are closed) and releases the thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null && !executor.isShutdown()) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                sendError(exchange, 404, "not found; the status page is GET " + PATH);
                return;
            }
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendError(exchange, 405, "method not allowed; use GET " + PATH);
                return;
            }
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(source.get());
            } catch (IOException | RuntimeException e) {
                log.error("event=http_status_failed error=\"{}\"", e.toString(), e);
                sendError(exchange, 500, "status unavailable: " + e.getClass().getSimpleName());
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, 200, body, head);
        }
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message)),
                "HEAD".equals(exchange.getRequestMethod()));
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
