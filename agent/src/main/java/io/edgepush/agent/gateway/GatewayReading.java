package io.edgepush.agent.gateway;

import io.edgepush.agent.session.SessionStatus;
import io.edgepush.agent.trigger.Triggers;

import java.util.List;

/**
 * One reading of the whole gateway, taken per request of {@code /metrics} and {@code /health} (DESIGN.md section
 * 6b) from the objects {@code /status} and the MQTT {@code stream_metrics} read: each session's
 * {@link SessionStatus} ({@code StreamSession.status()}), its trigger, and the gateway's own counts.
 *
 * @param streams             every session, configured ones first
 * @param camerasOnline       cameras whose link to the gateway is up
 * @param mqttConnected       true while the MQTT client is connected to the broker
 * @param brokerUrl           {@code mqtt.broker_url} ({@code tcp://host:port}; the config allows no user info nor
 *                            path, so it holds no secret)
 * @param statusEventsQueued  status events waiting in the outbox for the broker
 * @param statusEventsDropped status events dropped because the outbox was full, since the agent started
 */
record GatewayReading(List<Stream> streams, int camerasOnline, boolean mqttConnected, String brokerUrl,
                      int statusEventsQueued, long statusEventsDropped) {

    /**
     * One session.
     *
     * @param status  its reading
     * @param trigger its trigger and whether the trigger wants it on air; null for a session the triggers do not know
     */
    record Stream(SessionStatus status, Triggers.Reading trigger) {
    }

    GatewayReading {
        streams = List.copyOf(streams);
    }
}
