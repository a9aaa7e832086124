package io.edgepush.agent.gateway;

import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.quality.QualityControl;
import io.edgepush.agent.session.ConnectionErrors;
import io.edgepush.agent.session.SessionMetrics;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.SessionStatus;
import io.edgepush.agent.stream.StreamOutput;
import io.edgepush.agent.trigger.Triggers;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GatewayMetrics} on hand-made readings: the metric names follow the Prometheus conventions (prefix
 * {@code edgepush_}, {@code _total} on counters only, base units in names), every family appears with the labels
 * {@code device_id} / {@code stream_name} (and {@code reason}, {@code code}) and the values of the reading, in base
 * units; the scrape passes {@code promtool check metrics}.
 */
class GatewayMetricsTest {
    private static final SessionMetrics.Snapshot SNAPSHOT = new SessionMetrics.Snapshot(24.5, 480.0, 620, 4,
            1_548_000, 25_000, 24.8, 495.4, 0.99, dropped(), 640, 0);
    private static final QualityControl.Reading ENCODER = new QualityControl.Reading("low",
            new EncoderSettings(640, 480, 15, 500_000), new EncoderSettings(640, 480, 15, 500_000), 500_000,
            500_000, true);

    @Test
    void namesFollowPrometheusConventions() {
        for (GatewayMetrics.Family f : GatewayMetrics.Family.values()) {
            String name = f.exposedName();
            assertTrue(name.matches("edgepush_[a-z_]+"), name);
            assertEquals(f.counter(), name.endsWith("_total"), "_total on counters only: " + name);
            assertTrue(Arrays.stream(name.split("_")).noneMatch(List.of("ms", "kbps", "bps", "kb", "milliseconds",
                    "kilobits", "percent")::contains), "base units only: " + name);
        }
        assertEquals(List.of("edgepush_stream_state", "edgepush_stream_bitrate_bytes_per_second",
                        "edgepush_stream_target_bitrate_bytes_per_second", "edgepush_stream_frames_per_second",
                        "edgepush_stream_frames_sent_total", "edgepush_stream_frames_dropped_total",
                        "edgepush_stream_sent_bytes_total", "edgepush_stream_backlog_seconds",
                        "edgepush_stream_reconnects_total", "edgepush_stream_connection_errors_total",
                        "edgepush_stream_uptime_seconds", "edgepush_cameras_online", "edgepush_sessions_active",
                        "edgepush_mqtt_connected", "edgepush_status_events_queued",
                        "edgepush_status_events_dropped_total"),
                Arrays.stream(GatewayMetrics.Family.values()).map(GatewayMetrics.Family::exposedName).toList(),
                "the names README and the report list");
    }

    @Test
    void aScrapeCarriesEveryFamilyWithItsLabelsAndBaseUnits() throws Exception {
        SessionStatus streaming = status("CAM_1", "main", SessionState.STREAMING, ConnectionErrors.Reading.NONE);
        SessionStatus failing = status("CAM_1", "sub", SessionState.ERROR,
                new ConnectionErrors.Reading(Map.of("RTMP_CONNECT_REFUSED", 3L, "ENDPOINT_ERROR", 1L), 3));
        GatewayReading reading = new GatewayReading(List.of(new GatewayReading.Stream(streaming,
                new Triggers.Reading("always_on", "on", true)), new GatewayReading.Stream(failing, null)), 1, true,
                "tcp://127.0.0.1:1883", 2, 7);
        GetRoute.Reply reply = new GatewayMetrics(() -> reading).reply();
        assertEquals(200, reply.status());
        assertEquals(PrometheusTextFormatWriter.CONTENT_TYPE, reply.contentType());
        assertTrue(reply.contentType().startsWith("text/plain; version=0.0.4"), reply.contentType());
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        PromText scrape = PromText.parse(text);

        for (GatewayMetrics.Family f : GatewayMetrics.Family.values()) {
            assertTrue(scrape.names().contains(f.exposedName()), () -> f.exposedName() + " in\n" + text);
        }
        String[] main = {"device_id", "CAM_1", "stream_name", "main"};
        String[] sub = {"device_id", "CAM_1", "stream_name", "sub"};
        assertEquals(3, scrape.value("edgepush_stream_state", main));
        assertEquals(6, scrape.value("edgepush_stream_state", sub));
        assertEquals(60_000, scrape.value("edgepush_stream_bitrate_bytes_per_second", main), "480 kbps in bytes/s");
        assertEquals(0, scrape.value("edgepush_stream_bitrate_bytes_per_second", sub), "0 unless streaming");
        assertEquals(62_500, scrape.value("edgepush_stream_target_bitrate_bytes_per_second", main), "500 kbps");
        assertEquals(24.5, scrape.value("edgepush_stream_frames_per_second", main));
        assertEquals(620, scrape.value("edgepush_stream_frames_sent_total", main));
        assertEquals(3, scrape.value("edgepush_stream_frames_dropped_total", concat(main, "reason", "uplink")));
        assertEquals(1, scrape.value("edgepush_stream_frames_dropped_total", concat(main, "reason", "corrupt")));
        assertEquals(1_548_000, scrape.value("edgepush_stream_sent_bytes_total", main));
        assertEquals(0.12, scrape.value("edgepush_stream_backlog_seconds", main), 1e-9, "ms to seconds");
        assertEquals(25.0, scrape.value("edgepush_stream_uptime_seconds", main));
        assertEquals(0, scrape.value("edgepush_stream_uptime_seconds", sub), "0 unless active");
        assertEquals(0, scrape.value("edgepush_stream_reconnects_total", main));
        assertEquals(3, scrape.value("edgepush_stream_reconnects_total", sub));
        assertEquals(3, scrape.value("edgepush_stream_connection_errors_total",
                concat(sub, "code", "RTMP_CONNECT_REFUSED")));
        assertEquals(1, scrape.value("edgepush_stream_connection_errors_total", concat(sub, "code", "ENDPOINT_ERROR")));
        assertTrue(scrape.find("edgepush_stream_connection_errors_total", main).isEmpty(), "no error, no series");
        assertEquals(1, scrape.value("edgepush_cameras_online"));
        assertEquals(1, scrape.value("edgepush_sessions_active"));
        assertEquals(1, scrape.value("edgepush_mqtt_connected"));
        assertEquals(2, scrape.value("edgepush_status_events_queued"));
        assertEquals(7, scrape.value("edgepush_status_events_dropped_total"));
        assertTrue(scrape.names().contains("jvm_memory_used_bytes"), "the client's JVM metrics");
        assertTrue(scrape.names().stream().anyMatch(n -> n.startsWith("jvm_gc_")), "GC");
        assertTrue(scrape.names().stream().anyMatch(n -> n.startsWith("jvm_threads_")), "threads");
        PromText.assertPromtoolPasses(text);
    }

    @Test
    void aGatewayWithoutSessionsWritesOnlyItsOwnFamilies() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics(() -> new GatewayReading(List.of(), 0, false, "tcp://h:1", 0, 0));
        PromText scrape = PromText.parse(new String(metrics.reply().body(), StandardCharsets.UTF_8));
        assertEquals(0, scrape.value("edgepush_mqtt_connected"));
        assertEquals(0, scrape.value("edgepush_sessions_active"));
        assertTrue(scrape.names().stream().noneMatch(n -> n.startsWith("edgepush_stream_")), scrape.names()::toString);
    }

    private static SessionStatus status(String device, String stream, SessionState state,
                                        ConnectionErrors.Reading errors) {
        return new SessionStatus(device, 0, 0, stream, state, 1_691_234_560_123L, "x", "low",
                "rtmp://h/live/secretkey42", 0, null, null, 0, 0, SNAPSHOT, new StreamOutput.Backlog(120, 30_000),
                ENCODER, 0.99, 0, errors);
    }

    private static Map<String, Long> dropped() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("uplink", 3L);
        m.put("corrupt", 1L);
        return m;
    }

    private static String[] concat(String[] labels, String name, String value) {
        String[] all = Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }
}
