package io.edgepush.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigException;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.config.HostPort;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code edge-agent status [--url URL | --config FILE]} (issue 14 item 4): asks the running agent for
 * {@code GET /status} and prints a gateway line and one table row per stream ({@link StatusTable#STATUS_COLUMNS}).
 * The agent's address is {@code --url} (its base, e.g. {@code http://127.0.0.1:9100}), or the {@code http.listen}
 * of {@code --config FILE}, or, with neither, that of {@value #SYSTEM_CONFIG} when it is readable, else
 * {@value #DEFAULT_URL}. A wildcard listen address ({@code 0.0.0.0}, {@code ::}) is asked on loopback.
 * Exit 0 with the table on stdout; 1 when no agent answers (one line on stderr: refused, timed out, not HTTP
 * 200, not a status document); 2 for bad usage or a bad config file ({@code http.listen} null included: that agent
 * serves no status).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the running agent's streams as a table (from its GET /status).")
final class StatusCommand implements Callable<Integer> {
    /** The config the systemd unit runs the agent with (config/edge-agent.service). */
    static final String SYSTEM_CONFIG = "/etc/edge-agent/agent.json";
    /** The agent's default {@code http.listen}, as a URL. */
    static final String DEFAULT_URL = "http://127.0.0.1:9100";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the agent is: at most one of the two. */
    static final class Address {
        @Option(names = "--url", paramLabel = "URL", description = "the agent's HTTP base URL (default: "
                + DEFAULT_URL + ", or http.listen of " + SYSTEM_CONFIG + " when readable)")
        URI url;

        @Option(names = "--config", paramLabel = "FILE", description = "read the address from this config's "
                + "http.listen")
        Path config;
    }

    @ArgGroup(exclusive = true)
    Address address;

    @Override
    public Integer call() {
        URI base;
        try {
            base = baseUrl();
        } catch (BadAddress e) {
            System.err.println("edge-agent status: " + e.getMessage());
            return AgentMain.EXIT_USAGE;
        }
        URI statusUrl = base.resolve("/status");
        JsonNode page;
        try {
            page = fetch(statusUrl);
        } catch (IOException e) {
            System.err.println("edge-agent status: " + e.getMessage());
            return AgentMain.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AgentMain.EXIT_FAILURE;
        }
        PrintStream out = System.out;
        out.println(StatusTable.gatewayLine(page));
        StatusTable.rows(page, StatusTable.STATUS_COLUMNS).forEach(out::println);
        return 0;
    }

    /** The agent's base URL from the options, the system config or the default (see the class comment). */
    URI baseUrl() throws BadAddress {
        if (address != null && address.url != null) {
            URI url = address.url;
            if (!"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new BadAddress("--url must be http://HOST:PORT, got " + url);
            }
            return url;
        }
        if (address != null && address.config != null) {
            return fromConfig(address.config);
        }
        Path system = Path.of(SYSTEM_CONFIG);
        if (Files.isReadable(system)) {
            return fromConfig(system);
        }
        return URI.create(DEFAULT_URL);
    }

    private static URI fromConfig(Path file) throws BadAddress {
        AgentConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new BadAddress("config error in " + file + ": " + e.getMessage());
        }
        HostPort listen = config.http().listen();
        if (listen == null) {
            throw new BadAddress("config error in " + file + ": $.http.listen: null, so that agent serves no "
                    + "/status");
        }
        String host = switch (listen.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> listen.host();
        };
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.port());
    }

    /** GETs {@code url}; an IOException's message is the one line to print. */
    private static JsonNode fetch(URI url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest get = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(get, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no agent answers at " + url + " (connection refused: is it running? "
                    + "systemctl status edge-agent)", e);
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer from " + url + " within " + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + url + ": " + e, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered HTTP " + response.statusCode() + ", not the agent's "
                    + "status");
        }
        try {
            JsonNode page = JSON.readTree(response.body());
            if (page == null || !page.path("sessions").isArray()) {
                throw new IOException("GET " + url + " answered JSON without \"sessions\": not the agent's status");
            }
            return page;
        } catch (JsonProcessingException e) {
            throw new IOException("GET " + url + " answered something other than JSON: not the agent's status", e);
        }
    }

    /** An unusable {@code --url} or config file (exit 2); the message is the line to print. */
    static final class BadAddress extends Exception {
        BadAddress(String message) {
            super(message);
        }
    }
}
