package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.SessionStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /health} (DESIGN.md section 6b): healthy when the MQTT client is connected to the broker
 * ({@code mqtt.broker_url} is required, so there is always one) and no stream that should run is in {@code error}
 * (state 6). A stream should run when its trigger wants it on air ({@link GatewayReading.Stream#trigger()}
 * {@code wantsStream}: {@code on}, {@code post_roll}, {@code held_on}); a session the triggers do not know is judged
 * by its state alone (only a start leads to error). A stream in error whose trigger does not want it (for example
 * an {@code on_demand} stream stopped by command) does not count.
 *
 * <p>Replies: 200 {@code {"status":"ok"}}, or 503 {@code {"status":"unhealthy","reasons":[...]}} with one reason per
 * fault, e.g. {@code "mqtt: not connected to tcp://127.0.0.1:1883"} and
 * {@code "ESP32P4_CAM_001/main: error (RTMP_CONNECT_REFUSED)"} (the session's last error code; no URL, so no stream
 * key). {@code application/json; charset=utf-8}.
 */
final class HealthCheck implements GetRoute {
    /** The route's path. */
    static final String PATH = "/health";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The verdict.
     *
     * @param reasons why the gateway is unhealthy, in words; empty when healthy
     */
    record Verdict(List<String> reasons) {
        Verdict {
            reasons = List.copyOf(reasons);
        }

        boolean healthy() {
            return reasons.isEmpty();
        }

        /** 200 or 503. */
        int httpStatus() {
            return healthy() ? 200 : 503;
        }

        /** {@code {"status":"ok"}} or {@code {"status":"unhealthy","reasons":[...]}}. */
        ObjectNode json() {
            ObjectNode n = JSON.createObjectNode().put("status", healthy() ? "ok" : "unhealthy");
            if (!healthy()) {
                reasons.forEach(n.putArray("reasons")::add);
            }
            return n;
        }
    }

    private final Supplier<GatewayReading> source;

    /** @param source reads the gateway (on the HTTP thread; thread-safe) */
    HealthCheck(Supplier<GatewayReading> source) {
        this.source = source;
    }

    /** The rules of the class comment applied to one reading. */
    static Verdict judge(GatewayReading gateway) {
        List<String> reasons = new ArrayList<>();
        if (!gateway.mqttConnected()) {
            reasons.add("mqtt: not connected to " + gateway.brokerUrl());
        }
        for (GatewayReading.Stream stream : gateway.streams()) {
            SessionStatus s = stream.status();
            boolean shouldRun = stream.trigger() == null || stream.trigger().wantsStream();
            if (shouldRun && s.state() == SessionState.ERROR) {
                reasons.add(s.deviceId() + "/" + s.streamName() + ": error ("
                        + (s.lastErrorCode() != null ? s.lastErrorCode() : "no error code") + ")");
            }
        }
        return new Verdict(reasons);
    }

    @Override
    public Reply reply() throws java.io.IOException {
        Verdict verdict = judge(source.get());
        return new Reply(verdict.httpStatus(), "application/json; charset=utf-8",
                JSON.writeValueAsBytes(verdict.json()));
    }
}
