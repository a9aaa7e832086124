package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.HostPort;
import io.edgepush.agent.http.StatusJson;
import io.edgepush.agent.http.StatusPage;
import io.edgepush.agent.mqtt.EndpointExchange;
import io.edgepush.agent.mqtt.MqttLink;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.mqtt.StatusPublisher;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.bridge.transport.RawAnnexBServer;
import io.edgepush.bridge.transport.SerialCameraTransport;
import io.edgepush.bridge.transport.SerialPortSpec;
import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway daemon ({@code agent run}, DESIGN.md section 1): accepts cameras on the ingest listeners (framed
 * TCP on {@code ingest.tcp_listen}; USB-serial on {@code ingest.serial_ports}; raw Annex B TCP on
 * {@code ingest.raw_annexb_listen} and per-device ports, see {@link RawIngest}), takes commands over MQTT 5, runs
 * one {@link StreamSession} per camera stream and reports status: the contract's events plus
 * {@code control_failed}, and a {@code bridge} object of input counters in each stream_metrics (see
 * {@link StatusReporter}), and serves the local status page {@code GET /status} on {@code http.listen}
 * ({@link StatusPage}).
 * Threads: one control thread for all session logic, one Netty event loop for RTMP, the camera
 * transports' threads for frames, and the MQTT link's dispatch thread for commands.
 */
public final class GatewayAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayAgent.class);
    private static final long STOP_TIMEOUT_MS = 4000;

    private final AgentConfig config;
    private final ScheduledExecutorService control;
    private final EventLoopGroup rtmpGroup;
    private final MqttLink mqtt;
    private final EndpointExchange exchange;
    private final SessionRegistry sessions;
    private final CameraGateway cameras;
    private final TcpCameraServer cameraServer;
    private final RawAnnexBServer rawServer;
    private final SerialCameraTransport serialPorts;
    private volatile StatusPage statusPage;

    private GatewayAgent(AgentConfig config) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.control = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("agent-control", true));
        this.rtmpGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("rtmp", true));
        this.mqtt = new MqttLink(config.mqtt(), config.gatewayId(), config.streaming().initialRetryDelayMs(),
                config.streaming().maxRetryDelayMs());
        this.exchange = new EndpointExchange(mqtt, config.mqtt().requestTimeoutMs(), clock);
        StatusEvents events = new StatusEvents(clock);
        StatusPublisher statusPublisher = new StatusPublisher(mqtt, clock);
        StatusReporter reporter = new StatusReporter(statusPublisher, events);
        RtmpPublisherOptions rtmpOptions = RtmpPublisherOptions.defaults().withEventLoopGroup(rtmpGroup);
        this.sessions = new SessionRegistry(config, RtmpPublisherFactory.perTarget(rtmpOptions), control, reporter,
                (camera, stream) -> new MqttEndpointSource(exchange, camera.deviceId()));
        this.cameras = new CameraGateway(sessions, statusPublisher::devicePresence, reporter);
        HostPort listen = config.ingest().tcpListen();
        this.cameraServer = new TcpCameraServer(listen.host(), listen.port());
        this.rawServer = RawIngest.server(config);
        this.serialPorts = new SerialCameraTransport(config.ingest().serialPorts().stream()
                .map(p -> new SerialPortSpec(p.port(), p.baud())).toList());
        CommandHandler commands = new CommandHandler(sessions, statusPublisher, events);
        mqtt.subscribe(CommandHandler.TOPIC_FILTER, commands::onMessage);
        mqtt.onConnected(cameras::republishPresence);
        int interval = config.streaming().metricsIntervalSec();
        control.scheduleAtFixedRate(() -> reporter.publishMetrics(sessions.all()), interval, interval, TimeUnit.SECONDS);
    }

    /**
     * Starts the agent: MQTT in the background (retrying until the broker answers), the status page (a bind
     * failure is logged as {@code event=http_unavailable} and the agent runs without it), then the camera
     * listeners.
     *
     * @throws IOException when the camera listener cannot bind {@code ingest.tcp_listen}
     */
    public static GatewayAgent start(AgentConfig config) throws IOException {
        GatewayAgent agent = new GatewayAgent(config);
        try {
            agent.mqtt.start();
            agent.statusPage = StatusPage.start(config.http().listen(), agent::statusJson);
            agent.cameraServer.start(agent.cameras);
            if (agent.rawServer != null) {
                agent.rawServer.start(agent.cameras);
            }
            agent.serialPorts.start(agent.cameras);
        } catch (UncheckedIOException e) {
            agent.close();
            throw e.getCause();
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        log.info("event=agent_started gateway_id={} camera_listen={}:{} broker={}", config.gatewayId(),
                config.ingest().tcpListen().host(), agent.cameraServer.boundPort(), config.mqtt().brokerUrl());
        return agent;
    }

    /** The TCP port cameras connect to (useful when the config asked for port 0). */
    public int cameraPort() {
        return cameraServer.boundPort();
    }

    /**
     * The bound ports of the raw Annex B listen addresses: {@code ingest.raw_annexb_listen} first (if set), then
     * each {@code ingest.raw_annexb_devices[]} entry with a {@code listen}, in config order; empty when none.
     */
    public List<Integer> rawCameraPorts() {
        List<Integer> ports = new ArrayList<>();
        int count = rawServer == null ? 0 : (config.ingest().rawAnnexbListen() != null ? 1 : 0)
                + (int) config.ingest().rawAnnexbDevices().stream().filter(d -> d.listen() != null).count();
        for (int i = 0; i < count; i++) {
            ports.add(rawServer.boundPort(i));
        }
        return ports;
    }

    /** The bound port of the status page ({@code http.listen}), or -1 when it is disabled or could not bind. */
    public int httpPort() {
        StatusPage page = statusPage;
        return page == null ? -1 : page.port();
    }

    /** The {@code GET /status} document ({@link StatusJson#page}). */
    private ObjectNode statusJson() {
        return StatusJson.page(config.gatewayId(), mqtt.isConnected(), System.currentTimeMillis(),
                sessions.all().stream().map(StreamSession::status).toList());
    }

    /** Every stream session, configured ones first. */
    public List<StreamSession> sessions() {
        return sessions.all();
    }

    /**
     * Stops everything: unpublishes every stream (stream_stopped is sent), closes the cameras, publishes
     * the offline presence and disconnects from the broker. Returns within about 5 s.
     */
    @Override
    public void close() {
        List<CompletableFuture<Boolean>> stops = sessions.all().stream().map(StreamSession::stop).toList();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("event=stop_incomplete error=\"{}\"", e.toString());
        }
        cameraServer.close();
        if (rawServer != null) {
            rawServer.close();
        }
        serialPorts.close();
        sessions.closeAll();
        exchange.close();
        mqtt.close();
        StatusPage page = statusPage;
        if (page != null) {
            page.close();
        }
        control.shutdownNow();
        rtmpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("event=agent_stopped gateway_id={}", config.gatewayId());
    }
}
