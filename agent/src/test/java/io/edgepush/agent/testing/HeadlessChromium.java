package io.edgepush.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.testkit.Await;
import io.edgepush.testkit.ManagedProcess;
import io.edgepush.testkit.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium (Debian package {@code chromium}) driven over the Chrome DevTools Protocol
 * (https://chromedevtools.github.io/devtools-protocol/): JSON commands {@code {"id", "method", "params"}} on the
 * page target's WebSocket, answered by {@code {"id", "result"}} or {@code {"id", "error"}}; events (no id) are
 * ignored. The browser runs with a fresh profile in {@code workDir}, DevTools on a port it picks itself (read from
 * {@code DevToolsActivePort} in the profile), its output in {@code workDir/chromium.log}. Missing {@code chromium}:
 * skipped, or failed when {@code REQUIRE_PEERS=1} ({@link Peers#require}). {@link #close()} ends the browser and
 * every process it started.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(ManagedProcess process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * Starts Chromium with a {@code width} x {@code height} window showing {@code about:blank} and connects to
     * that page.
     */
    public static HeadlessChromium start(Path workDir, int width, int height) throws IOException {
        Path chromium = Peers.require("chromium");
        Path profile = Files.createDirectories(workDir.resolve("profile"));
        ManagedProcess process = ManagedProcess.start("chromium", List.of(chromium.toString(), "--headless=new",
                "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-crash-reporter", "--disable-breakpad", "--window-size=" + width + "," + height,
                "about:blank"), workDir, workDir.resolve("chromium.log"));
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Await.until(() -> Files.isRegularFile(portFile) && readPort(portFile) > 0 || !process.isAlive(), STARTUP,
                    () -> "chromium's DevToolsActivePort; log tail:\n" + process.logTail());
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited at start; log tail:\n" + process.logTail());
            }
            int port = readPort(portFile);
            HttpClient http = HttpClient.newHttpClient();
            String pageUrl = null;
            for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/json/list")).timeout(COMMAND_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                if ("page".equals(target.path("type").asText())) {
                    pageUrl = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageUrl == null) {
                throw new AssertionError("chromium has no page target; log tail:\n" + process.logTail());
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(COMMAND_TIMEOUT)
                    .buildAsync(URI.create(pageUrl), listener).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, socket);
            listener.browser = browser;
            return browser;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
            throw new IOException("interrupted while starting chromium", e);
        } catch (AssertionError | IOException | RuntimeException e) {
            process.close();
            throw e;
        } catch (Exception e) { // the WebSocket's ExecutionException, TimeoutException
            process.close();
            throw new IOException("cannot connect to chromium's DevTools: " + e + "; log tail:\n"
                    + process.logTail(), e);
        }
    }

    /**
     * Sends one command and waits for its answer.
     *
     * @return the command's {@code result}
     * @throws AssertionError on a protocol error or no answer within 30 s
     */
    public JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params == null ? JSON.createObjectNode() : params);
        try {
            socket.sendText(command.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method, e);
        } catch (Exception e) {
            throw new AssertionError(method + ": no answer from chromium (" + e + "); log tail:\n"
                    + process.logTail(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Opens {@code url} in the page (Page.navigate); does not wait for it to load. */
    public void navigate(String url) {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /**
     * Evaluates a JavaScript expression in the page (Runtime.evaluate, promises awaited) and returns its value as
     * JSON (null for undefined).
     *
     * @throws AssertionError when the expression throws
     */
    public JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("JavaScript threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the page's viewport (Page.captureScreenshot). */
    public byte[] screenshotPng() {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"))
                .path("data").asText());
    }

    /** Closes the DevTools connection and stops Chromium and every process it started. Idempotent. */
    @Override
    public void close() {
        List<ProcessHandle> children = ProcessHandle.of(process.pid()).map(p -> p.descendants().toList())
                .orElse(List.of());
        try {
            socket.abort();
        } finally {
            process.close();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int readPort(Path portFile) {
        try {
            List<String> lines = Files.readAllLines(portFile);
            return lines.isEmpty() || lines.get(0).isBlank() ? -1 : Integer.parseInt(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1; // being written
        }
    }

    /** Joins a message's parts (a screenshot comes in many) and completes the command with its id. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();
        private volatile HeadlessChromium browser;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode reply = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> waiting = reply.has("id") && browser != null
                            ? browser.pending.get(reply.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("chromium sent invalid JSON", e);
                } finally {
                    message.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
