package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.HostPort;
import io.edgepush.agent.mqtt.EndpointExchange;
import io.edgepush.agent.mqtt.MqttLink;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.mqtt.StatusPublisher;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.Triggers;
import io.edgepush.bridge.transport.RawAnnexBServer;
import io.edgepush.bridge.transport.SerialCameraTransport;
import io.edgepush.bridge.transport.TcpCameraServer;
import io.edgepush.protocol.net.Transports;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway daemon ({@code agent run}, DESIGN.md section 1): accepts cameras on the ingest listeners (framed
 * TCP on {@code ingest.tcp_listen}; USB-serial on {@code ingest.serial_ports}; raw Annex B TCP on
 * {@code ingest.raw_annexb_listen} and per-device ports, see {@link RawIngest}), takes commands over MQTT 5, runs
 * one {@link StreamSession} per camera stream and reports status: the contract's events plus
 * {@code control_failed}, and a {@code bridge} object of input counters in each stream_metrics (see
 * {@link StatusReporter}), and serves the local status page {@code GET /status}, {@code GET /metrics}
 * ({@link GatewayMetrics}), {@code GET /health} ({@link HealthCheck}) and the web page {@code GET /} ({@link WebPage})
 * on {@code http.listen} ({@link StatusPage}).
 * Threads: one control thread for all session logic, one Netty event loop group (a thread per core) for the
 * camera connections and the RTMP publishes, the serial ports' reader threads, and the MQTT link's dispatch thread
 * for commands.
 */
public final class GatewayAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayAgent.class);
    /**
     * The whole of {@link #close()}: sessions, cameras, MQTT flush and disconnect share it. SIGTERM must end in an
     * exit within 5 s, and the JVM's exit itself waits up to 300 ms for threads still blocked in native I/O (as
     * the MQTT client's reader would be if its close were abandoned while the broker does not answer), so 4 s.
     */
    static final long CLOSE_BUDGET_MS = 4000;
    /**
     * Kept for the MQTT flush and disconnect however long the sessions take to stop. Sessions get until 3.3 s,
     * past their own 3 s unpublish limit, so even a stuck unpublish still ends with stream_stopped.
     */
    private static final long MQTT_SHARE_MS = 700;
    /** Kept for the DISCONNECT however long the broker takes to acknowledge the last events. */
    private static final long DISCONNECT_SHARE_MS = 400;

    private final AgentConfig config;
    private final ScheduledExecutorService control;
    /**
     * The gateway's socket I/O: camera connections (TCP, raw Annex B) and RTMP publishes share one event loop
     * group, one thread per core (epoll where it loads, see {@link Transports}), instead of a group per kind.
     */
    private final EventLoopGroup ioGroup;
    private final MqttLink mqtt;
    private final EndpointExchange exchange;
    private final SessionRegistry sessions;
    private final CameraGateway cameras;
    private final TcpCameraServer cameraServer;
    private final RawAnnexBServer rawServer;
    private final SerialCameraTransport serialPorts;
    private final StatusReporter reporter;
    private final StatusPublisher statusPublisher;
    private final Triggers triggers;
    private final CommandHandler commands;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BitrateHistory bitrateHistory = BitrateHistory.ofSessions();
    private volatile StatusPage statusPage;

    private GatewayAgent(AgentConfig config, Clock scheduleClock) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.control = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("agent-control", true));
        this.ioGroup = Transports.newGroup(Math.max(1, Runtime.getRuntime().availableProcessors()), "io");
        this.mqtt = new MqttLink(config.mqtt(), config.gatewayId(), config.streaming().initialRetryDelayMs(),
                config.streaming().maxRetryDelayMs());
        this.exchange = new EndpointExchange(mqtt, config.mqtt().requestTimeoutMs(), clock);
        StatusEvents events = new StatusEvents(clock);
        this.statusPublisher = new StatusPublisher(mqtt, clock);
        this.reporter = new StatusReporter(statusPublisher, events, this::encoderChanged);
        this.sessions = new SessionRegistry(config, RtmpPublisherOptions.defaults().withEventLoopGroup(ioGroup),
                control, reporter, exchange::endpointSource);
        this.triggers = new Triggers(sessions, control, scheduleClock, reporter, config.streaming().preRollSec(),
                config.streaming().postRollSec());
        this.cameras = new CameraGateway(sessions, statusPublisher::devicePresence, triggers, reporter);
        HostPort listen = config.ingest().tcpListen();
        this.cameraServer = new TcpCameraServer(listen.host(), listen.port(), ioGroup);
        this.rawServer = RawIngest.server(config, ioGroup);
        this.serialPorts = new SerialCameraTransport(config.ingest().serialPorts().stream()
                .map(p -> new SerialCameraTransport.Port(p.port(), p.baud())).toList());
        this.commands = new CommandHandler(sessions, triggers, statusPublisher, events);
        mqtt.subscribe(CommandHandler.TOPIC_FILTER, commands::onMessage);
        mqtt.onConnected(cameras::republishPresence);
        int interval = config.streaming().metricsIntervalSec();
        control.scheduleAtFixedRate(keepGoing("stream_metrics", () -> reporter.publishMetrics(sessions.all())),
                interval, interval, TimeUnit.SECONDS);
        control.scheduleAtFixedRate(keepGoing("bitrate_history", () -> bitrateHistory.sample(sessions.all(),
                System.nanoTime(), System.currentTimeMillis())), 0, BitrateHistory.INTERVAL_SEC, TimeUnit.SECONDS);
    }

    /**
     * {@code task} for a fixed-rate schedule: a run that throws is logged ({@code event=periodic_task_failed}) and
     * the next runs still happen (an exception would otherwise cancel the schedule for good, silently).
     */
    static Runnable keepGoing(String task, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                log.error("event=periodic_task_failed task={} error=\"{}\"", task, e.toString(), e);
            }
        };
    }

    /**
     * Starts the agent: MQTT in the background (retrying until the broker answers), the status page (a bind
     * failure is logged as {@code event=http_unavailable} and the agent runs without it), then the camera
     * listeners.
     *
     * @throws IOException when the camera listener cannot bind {@code ingest.tcp_listen}
     */
    public static GatewayAgent start(AgentConfig config) throws IOException {
        return start(config, Clock.systemDefaultZone());
    }

    /**
     * As {@link #start(AgentConfig)}, reading the {@code scheduled} streams' windows on {@code scheduleClock} (tests
     * put the gateway just before a window opens).
     */
    public static GatewayAgent start(AgentConfig config, Clock scheduleClock) throws IOException {
        Transports.logChoice();
        GatewayAgent agent = new GatewayAgent(config, scheduleClock);
        try {
            agent.mqtt.start();
            agent.statusPage = StatusPage.start(config.http().listen(), agent::statusJson, agent.triggers::manual,
                    agent.httpRoutes());
            agent.cameraServer.start(agent.cameras);
            if (agent.rawServer != null) {
                agent.rawServer.start(agent.cameras);
            }
            agent.serialPorts.start(agent.cameras);
            agent.triggers.start();
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

    /** A session's encoder was asked for new settings (the reporter calls this after quality_changed). */
    private void encoderChanged(StreamSession session) {
        triggers.encoderChanged(session);
    }

    /**
     * The {@code GET /status} document ({@link StatusJson#page}, each session with {@code "trigger"} and
     * {@code "trigger_state"}), built fresh on every call; also read by the live terminal view of {@code run}.
     */
    public ObjectNode statusJson() {
        List<StreamSession> all = sessions.all();
        ObjectNode page = StatusJson.page(config.gatewayId(), mqtt.isConnected(), System.currentTimeMillis(),
                all.stream().map(StreamSession::status).toList());
        for (int i = 0; i < all.size(); i++) {
            StatusJson.putTrigger((ObjectNode) page.get("sessions").get(i), triggers.reading(all.get(i)));
        }
        return page;
    }

    /** The read-only routes of {@code http.listen} besides {@code /status}: /metrics, /health and the web page. */
    private Map<String, GetRoute> httpRoutes() {
        Map<String, GetRoute> routes = new HashMap<>(WebPage.routes(bitrateHistory));
        routes.put(GatewayMetrics.PATH, new GatewayMetrics(this::reading));
        routes.put(HealthCheck.PATH, new HealthCheck(this::reading));
        return routes;
    }

    /** One reading of the gateway for {@code /metrics} and {@code /health} (any thread). */
    private GatewayReading reading() {
        List<GatewayReading.Stream> streams = new ArrayList<>();
        for (StreamSession s : sessions.all()) {
            streams.add(new GatewayReading.Stream(s.status(), triggers.reading(s)));
        }
        return new GatewayReading(streams, cameras.camerasOnline(), mqtt.isConnected(), config.mqtt().brokerUrl(),
                statusPublisher.eventsWaiting(), statusPublisher.eventsDropped());
    }

    /** The command handler's rate limit (tests read its counts). */
    CommandAdmission commandAdmission() {
        return commands.admission();
    }

    /** The MQTT link (tests read its dispatch counts). */
    MqttLink mqttLink() {
        return mqtt;
    }

    /** Every stream session, configured ones first. */
    public List<StreamSession> sessions() {
        return sessions.all();
    }

    /**
     * Stops everything within {@value #CLOSE_BUDGET_MS} ms (DESIGN.md section 6), all steps sharing that one
     * budget ({@link ShutdownDeadline}):
     * <ol>
     * <li>every session stops: unpublish (FCUnpublish, deleteStream, close; the session gives an RTMP server that
     *     does not take it 3 s) and {@code stream_stopped} is published; waited for until
     *     {@value #MQTT_SHARE_MS} ms before the deadline;</li>
     * <li>new cameras are refused; every connected camera gets its retained offline presence
     *     ({@code devices/{id}/status}) and its link is closed; the camera listeners close;</li>
     * <li>while the broker is connected, the stream_stopped events and the presence messages are waited for until
     *     acknowledged (QoS 1), up to {@value #DISCONNECT_SHARE_MS} ms before the deadline;</li>
     * <li>MQTT close within what is left of the budget ({@link MqttLink#close(long)}): retained
     *     {@code {"state":"offline"}} for the gateway and DISCONNECT, then the socket is closed; if the broker does
     *     not answer, the broker publishes the Last Will, the same offline presence. Abandoned at the deadline
     *     should it still run;</li>
     * <li>the status page, the RTMP event loop and the control thread stop.</li>
     * </ol>
     * Steps that run out of time are logged ({@code event=stop_incomplete}, {@code mqtt_flush_incomplete},
     * {@code shutdown_step_incomplete}). Idempotent; never throws.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        ShutdownDeadline deadline = ShutdownDeadline.in(CLOSE_BUDGET_MS);
        triggers.close();
        List<StreamSession> all = sessions.all();
        List<CompletableFuture<Boolean>> stops = all.stream().map(StreamSession::stop).toList();
        if (!deadline.await(CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)), MQTT_SHARE_MS)) {
            for (int i = 0; i < all.size(); i++) {
                if (!stops.get(i).isDone()) {
                    log.warn("event=stop_incomplete device_id={} stream_name={} state={} elapsed_ms={}",
                            all.get(i).deviceId(), all.get(i).streamName(), all.get(i).state().label(),
                            deadline.elapsedMs());
                }
            }
        }
        List<CompletableFuture<Void>> presence = cameras.closeAll();
        CompletableFuture<Void> listenersClosed = ShutdownDeadline.background("camera_listeners",
                this::closeCameraTransports);
        CompletableFuture<?>[] flush = new CompletableFuture<?>[presence.size() + 1];
        flush[0] = reporter.stopEventsDelivered();
        for (int i = 0; i < presence.size(); i++) {
            flush[i + 1] = presence.get(i).exceptionally(e -> null);
        }
        if (mqtt.isConnected() && !deadline.await(CompletableFuture.allOf(flush), DISCONNECT_SHARE_MS)) {
            log.warn("event=mqtt_flush_incomplete elapsed_ms={} reason=\"broker did not acknowledge stream_stopped or"
                    + " presence in time\"", deadline.elapsedMs());
        }
        exchange.close();
        long mqttBudgetMs = deadline.remainingMs(0);
        awaitStep(deadline, "mqtt_close", ShutdownDeadline.background("mqtt_close", () -> mqtt.close(mqttBudgetMs)));
        awaitStep(deadline, "camera_listeners", listenersClosed);
        StatusPage page = statusPage;
        if (page != null) {
            page.close();
        }
        sessions.closeAll();
        control.shutdownNow();
        ioGroup.shutdownGracefully(0, Math.max(100, deadline.remainingMs(0)), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(Math.max(100, deadline.remainingMs(0)));
        log.info("event=agent_stopped gateway_id={} shutdown_ms={}", config.gatewayId(), deadline.elapsedMs());
    }

    private void closeCameraTransports() {
        cameraServer.close();
        if (rawServer != null) {
            rawServer.close();
        }
        serialPorts.close();
    }

    private static void awaitStep(ShutdownDeadline deadline, String step, CompletableFuture<Void> done) {
        if (!deadline.await(done, 0)) {
            log.warn("event=shutdown_step_incomplete step={} elapsed_ms={}", step, deadline.elapsedMs());
        }
    }
}
