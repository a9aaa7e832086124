package io.edgepush.agent.gateway;

import io.edgepush.agent.session.ConnectionErrors;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.SessionStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (DESIGN.md sections 1 and 6b): the Prometheus text format (0.0.4) written by the Prometheus
 * Java client: this class's families ({@link #collect()}), then the client's JVM metrics ({@link JvmMetrics}:
 * memory, GC, threads, class loading, process CPU and file descriptors).
 *
 * <p>One source of truth: every scrape takes one {@link GatewayReading}, whose sessions are
 * {@code StreamSession.status()}, the reading {@code /status} shows; fps and bitrate are those of the last
 * {@code stream_metrics} interval ({@link SessionMetrics#total()}). Nothing here counts on its own.
 *
 * <p>Per stream, labels {@code device_id} and {@code stream_name} (the {@link Family} constants give every name):
 * state as the contract's number (0 idle, 1 requesting endpoint, 2 connecting, 3 streaming, 4 reconnecting,
 * 5 stopping, 6 error), bitrate sent and target in bytes per second (Prometheus' base unit is the byte, and
 * {@code promtool check metrics} refuses bits), fps, frames sent, frames dropped by
 * {@code reason} (uplink, uplink_non_reference, waiting_for_keyframe, corrupt, ...), FLV tag body bytes sent, backlog
 * in seconds, reconnects and connection errors by {@code code} ({@link ConnectionErrors}), and uptime. Every
 * counter counts from the agent's start over all runs of the stream ({@link SessionMetrics.Lifetime}), so none goes
 * back when a stream starts again (a per-run count that restarted from 0 could pass its old value between two
 * scrapes, and Prometheus would lose the run). Bitrate and fps read 0 unless the stream is streaming;
 * uptime is the time since the current run's start (the {@code stream_duration_ms} of stream_metrics), 0 unless the
 * session is active (requesting endpoint, connecting, streaming, reconnecting). Per gateway: cameras online, active
 * sessions, MQTT connected (0/1), status events waiting in the outbox and dropped from it.
 */
final class GatewayMetrics implements GetRoute {
    /** The route's path. */
    static final String PATH = "/metrics";
    private static final String[] STREAM_LABELS = {"device_id", "stream_name"};

    /** The metric families this collector writes; {@link #exposedName()} is the name a scrape shows. */
    enum Family {
        STREAM_STATE("edgepush_stream_state", false, null,
                "Session state as in the MQTT contract: 0 idle, 1 requesting endpoint, 2 connecting, 3 streaming,"
                        + " 4 reconnecting, 5 stopping, 6 error"),
        STREAM_BITRATE("edgepush_stream_bitrate_bytes_per_second", false, null,
                "Bitrate sent (FLV tag bodies) over the last stream_metrics interval in bytes per second (x8 for"
                        + " bit/s); 0 unless streaming"),
        STREAM_TARGET_BITRATE("edgepush_stream_target_bitrate_bytes_per_second", false, null,
                "Bitrate the camera's encoder is asked for, bytes per second (x8 for bit/s)"),
        STREAM_FPS("edgepush_stream_frames_per_second", false, null,
                "Frames per second sent over the last stream_metrics interval; 0 unless streaming"),
        STREAM_FRAMES_SENT("edgepush_stream_frames_sent", true, null,
                "Frames sent since the agent started, every run of the stream"),
        STREAM_FRAMES_DROPPED("edgepush_stream_frames_dropped", true, null,
                "Frames dropped since the agent started, every run of the stream, by reason"),
        STREAM_SENT_BYTES("edgepush_stream_sent_bytes", true, Unit.BYTES,
                "FLV tag body bytes sent since the agent started, every run of the stream"),
        STREAM_BACKLOG("edgepush_stream_backlog_seconds", false, Unit.SECONDS,
                "Media time queued between the camera and the socket"),
        STREAM_RECONNECTS("edgepush_stream_reconnects", true, null,
                "Connection failures after which the session planned another try, since the agent started"),
        STREAM_CONNECTION_ERRORS("edgepush_stream_connection_errors", true, null,
                "Connection failures (connection_error events) by error code, since the agent started"),
        STREAM_UPTIME("edgepush_stream_uptime_seconds", false, Unit.SECONDS,
                "Time since the stream's current run started; 0 unless the session is active"),
        CAMERAS_ONLINE("edgepush_cameras_online", false, null, "Cameras whose link to the gateway is up"),
        SESSIONS_ACTIVE("edgepush_sessions_active", false, null,
                "Sessions requesting an endpoint, connecting, streaming or reconnecting"),
        MQTT_CONNECTED("edgepush_mqtt_connected", false, null, "1 while connected to the MQTT broker, else 0"),
        STATUS_EVENTS_QUEUED("edgepush_status_events_queued", false, null,
                "Status events waiting in the outbox for the MQTT broker"),
        STATUS_EVENTS_DROPPED("edgepush_status_events_dropped", true, null,
                "Status events dropped because the outbox was full, since the agent started");

        private final String name;
        private final boolean counter;
        private final Unit unit;
        private final String help;

        Family(String name, boolean counter, Unit unit, String help) {
            this.name = name;
            this.counter = counter;
            this.unit = unit;
            this.help = help;
        }

        /** The name in a scrape: counters end in {@code _total}. */
        String exposedName() {
            return counter ? name + "_total" : name;
        }

        boolean counter() {
            return counter;
        }
    }

    /**
     * The JVM's metrics, one registry for the process: they describe the JVM, not an agent, and the client remembers
     * every registry it registered them in for good (an agent's own registry would never be freed).
     */
    private static final PrometheusRegistry JVM = jvmRegistry();

    private final Supplier<GatewayReading> source;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** @param source reads the gateway at each scrape (on the HTTP thread; thread-safe and quick) */
    GatewayMetrics(Supplier<GatewayReading> source) {
        this.source = source;
    }

    /** A scrape: this collector's families, then the JVM's, in the text format. */
    @Override
    public Reply reply() throws IOException {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        collect().forEach(all::metricSnapshot);
        JVM.scrape().forEach(all::metricSnapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, all.build());
        return new Reply(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
    }

    private static PrometheusRegistry jvmRegistry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }

    /** The gateway's and its streams' families, from one reading; families without a sample are left out. */
    MetricSnapshots collect() {
        GatewayReading gateway = source.get();
        Points points = new Points();
        long active = 0;
        for (GatewayReading.Stream stream : gateway.streams()) {
            SessionStatus s = stream.status();
            active += s.state().isActive() ? 1 : 0;
            addStream(points, s);
        }
        points.add(Family.CAMERAS_ONLINE, Labels.EMPTY, gateway.camerasOnline());
        points.add(Family.SESSIONS_ACTIVE, Labels.EMPTY, active);
        points.add(Family.MQTT_CONNECTED, Labels.EMPTY, gateway.mqttConnected() ? 1 : 0);
        points.add(Family.STATUS_EVENTS_QUEUED, Labels.EMPTY, gateway.statusEventsQueued());
        points.add(Family.STATUS_EVENTS_DROPPED, Labels.EMPTY, gateway.statusEventsDropped());
        return points.snapshots();
    }

    private static void addStream(Points points, SessionStatus s) {
        Labels labels = Labels.of(STREAM_LABELS, new String[]{s.deviceId(), s.streamName()});
        boolean streaming = s.state() == SessionState.STREAMING;
        points.add(Family.STREAM_STATE, labels, s.state().code());
        SessionMetrics.Snapshot m = s.metrics();
        if (m != null) {
            points.add(Family.STREAM_BITRATE, labels, streaming ? m.bitrateKbps() * 1000 / 8 : 0);
            points.add(Family.STREAM_FPS, labels, streaming ? m.fps() : 0);
            SessionMetrics.Lifetime lifetime = m.lifetime();
            points.add(Family.STREAM_FRAMES_SENT, labels, lifetime.framesSent());
            lifetime.droppedByReason().forEach((reason, n) ->
                    points.add(Family.STREAM_FRAMES_DROPPED, labels.add("reason", reason), n));
            points.add(Family.STREAM_SENT_BYTES, labels, lifetime.bytesSent());
            points.add(Family.STREAM_UPTIME, labels, s.state().isActive() ? m.durationMs() / 1000.0 : 0);
        }
        if (s.encoder() != null) {
            points.add(Family.STREAM_TARGET_BITRATE, labels, s.encoder().asked().bitrateBps() / 8.0);
        }
        if (s.backlog() != null) {
            points.add(Family.STREAM_BACKLOG, labels, s.backlog().ms() / 1000.0);
        }
        ConnectionErrors.Reading errors = s.connectionErrors();
        points.add(Family.STREAM_RECONNECTS, labels, errors.reconnects());
        errors.byCode().forEach((code, n) ->
                points.add(Family.STREAM_CONNECTION_ERRORS, labels.add("code", code), n));
    }

    /** Samples gathered per family during one collect. */
    private static final class Points {
        private final Map<Family, GaugeSnapshot.Builder> gauges = new EnumMap<>(Family.class);
        private final Map<Family, CounterSnapshot.Builder> counters = new EnumMap<>(Family.class);

        void add(Family f, Labels labels, double value) {
            if (f.counter) {
                counters.computeIfAbsent(f, k -> CounterSnapshot.builder().name(k.name).help(k.help).unit(k.unit))
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value)
                                .build());
            } else {
                gauges.computeIfAbsent(f, k -> GaugeSnapshot.builder().name(k.name).help(k.help).unit(k.unit))
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value)
                                .build());
            }
        }

        MetricSnapshots snapshots() {
            List<MetricSnapshot> all = new ArrayList<>();
            for (Family f : Family.values()) {
                if (f.counter && counters.containsKey(f)) {
                    all.add(counters.get(f).build());
                } else if (!f.counter && gauges.containsKey(f)) {
                    all.add(gauges.get(f).build());
                }
            }
            return new MetricSnapshots(all);
        }
    }
}
