package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgepush.agent.config.HostPort;
import io.edgepush.agent.mqtt.LogText;
import io.edgepush.agent.trigger.Triggers;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The local HTTP of {@code http.listen} (DESIGN.md section 6b; default {@code 127.0.0.1:9100}), served by the JDK's
 * {@code com.sun.net.httpserver.HttpServer} (HTTP/1.1, RFC 9110):
 * <ul>
 * <li>{@code GET /status} (and {@code HEAD}): 200, {@code application/json}, the document built by the source
 *     ({@link StatusJson#page});</li>
 * <li>{@code POST /streams/{device_id}/{stream_name}/start} and {@code .../stop}: the {@code manual} trigger
 *     ({@link Triggers#manual}): 200 {@code {"ok": true, "device_id", "stream_name", "action"}} when the start or stop
 *     is under way; 404 for an unknown stream; 409 for a stream whose trigger is not {@code manual}, a start of a
 *     stream already on its way and a stop of one that is not (with its {@code trigger} and {@code state}); 403
 *     for a request whose {@code Origin} is not the page's own (another web site's page in the operator's browser);
 *     </li>
 * <li>the read-only routes given to {@link #start} ({@code GET /metrics}, {@code GET /health}, the web page
 *     {@code GET /} with its files and {@code GET /history} ({@link WebPage}); see {@link GetRoute});</li>
 * <li>another method on these paths: 405 with {@code Allow};</li>
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
    /** The status document's path. */
    public static final String PATH = "/status";
    /** Where the manual start/stop routes begin. */
    static final String STREAMS_PREFIX = "/streams/";

    /** How long a POST start/stop waits for the control thread to take it, seconds. */
    private static final long MANUAL_TIMEOUT_SEC = 5;

    /** The {@code manual} trigger's start and stop ({@link Triggers#manual}). */
    interface Manual {
        CompletableFuture<Triggers.ManualAnswer> apply(String deviceId, String streamName, boolean start);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<ObjectNode> source;
    private final Manual manual;
    private final Map<String, GetRoute> routes;

    private StatusPage(HttpServer server, ExecutorService executor, Supplier<ObjectNode> source, Manual manual,
                       Map<String, GetRoute> routes) {
        this.server = server;
        this.executor = executor;
        this.source = source;
        this.manual = manual;
        this.routes = Map.copyOf(routes);
    }

    /** {@link #start(HostPort, Supplier, Manual, Map)} without read-only routes. */
    public static StatusPage start(HostPort listen, Supplier<ObjectNode> source, Manual manual) {
        return start(listen, source, manual, Map.of());
    }

    /**
     * Binds {@code listen} and starts serving; never throws for a bind failure.
     *
     * @param listen where to listen; null disables the page
     * @param source builds the {@code /status} document for each request (called on the page's thread; it must
     *               be thread-safe and quick)
     * @param manual starts and stops {@code manual} streams
     * @param routes more read-only routes by exact path (e.g. {@code /metrics}), served by {@link GetRoute#serve}
     * @return the running page, or a disabled one ({@link #port()} -1) when {@code listen} is null or cannot be bound
     */
    public static StatusPage start(HostPort listen, Supplier<ObjectNode> source, Manual manual,
                                   Map<String, GetRoute> routes) {
        if (listen == null) {
            log.info("event=http_disabled reason=\"http.listen is null\"");
            return new StatusPage(null, null, source, manual, routes);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
        } catch (IOException | RuntimeException e) {
            log.error("event=http_unavailable listen={} error=\"{}\" effect=\"no /status page; streaming continues\"",
                    listen, e.toString());
            return new StatusPage(null, null, source, manual, routes);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("http-status", true));
        StatusPage page = new StatusPage(server, executor, source, manual, routes);
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
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(STREAMS_PREFIX)) {
                handleManual(exchange, method, exchange.getRequestURI().getRawPath());
                return;
            }
            GetRoute route = routes.get(path);
            if (route != null) {
                GetRoute.serve(exchange, path, route);
                return;
            }
            if (!PATH.equals(path)) {
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

    /**
     * {@code POST /streams/{device_id}/{stream_name}/start|stop}; {@code rawPath} still percent-encoded, so a name
     * holding {@code /} (sent as {@code %2F}) is one segment.
     */
    private void handleManual(HttpExchange exchange, String method, String rawPath) throws IOException {
        String[] parts = rawPath.substring(STREAMS_PREFIX.length()).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                parts[i] = ""; // a malformed escape: no such stream
            }
        }
        String path = STREAMS_PREFIX + String.join("/", parts);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || !(parts[2].equals("start") || parts[2].equals("stop"))) {
            sendError(exchange, 404, "not found; use POST " + STREAMS_PREFIX + "{device_id}/{stream_name}/start or"
                    + " /stop");
            return;
        }
        if (!"POST".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "POST");
            sendError(exchange, 405, "method not allowed; use POST " + path);
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + exchange.getRequestHeaders().getFirst("Host"))) {
            // A browser names the page a request comes from (RFC 6454 section 7): another site's page open in the
            // operator's browser must not start or stop streams. curl and scripts send no Origin.
            log.warn("event=http_manual_refused device_id={} stream_name={} action={} origin=\"{}\"", parts[0],
                    parts[1], parts[2], LogText.cut(origin));
            sendError(exchange, 403, "cross-origin request refused: POST " + path + " is taken from the agent's own"
                    + " page or from a client that sends no Origin");
            return;
        }
        String deviceId = parts[0];
        String streamName = parts[1];
        boolean start = parts[2].equals("start");
        Triggers.ManualAnswer answer;
        try {
            answer = manual.apply(deviceId, streamName, start).get(MANUAL_TIMEOUT_SEC, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 503, "interrupted");
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.error("event=http_manual_failed device_id={} stream_name={} action={} error=\"{}\"", deviceId,
                    streamName, parts[2], e.toString());
            sendError(exchange, 500, "could not " + parts[2] + " the stream: " + e.getClass().getSimpleName());
            return;
        }
        log.info("event=http_manual device_id={} stream_name={} action={} outcome={}", deviceId, streamName,
                parts[2], answer.outcome());
        ObjectNode body = JSON.createObjectNode().put("device_id", deviceId).put("stream_name", streamName)
                .put("action", parts[2]);
        switch (answer.outcome()) {
            case DONE -> send(exchange, 200, JSON.writeValueAsBytes(body.put("ok", true).put("trigger",
                    answer.trigger())), false);
            case UNKNOWN_STREAM -> send(exchange, 404, JSON.writeValueAsBytes(body.put("error",
                    "unknown stream " + deviceId + "/" + streamName)), false);
            case NOT_MANUAL -> send(exchange, 409, JSON.writeValueAsBytes(body.put("trigger", answer.trigger())
                    .put("state", answer.state()).put("error", "the stream's trigger is " + answer.trigger()
                            + "; HTTP start/stop applies to manual streams (use the MQTT start/stop command)")),
                    false);
            case ALREADY -> send(exchange, 409, JSON.writeValueAsBytes(body.put("trigger", answer.trigger())
                    .put("state", answer.state()).put("error", start ? "the stream is already started ("
                            + answer.state() + ")" : "the stream is not started (" + answer.state() + ")")), false);
        }
    }

    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
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
