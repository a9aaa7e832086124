package io.edgepush.agent.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * An arrived MQTT message, detached from the client library (MQTT 5.0 3.3).
 *
 * @param topic           the topic it was published to
 * @param payload         payload bytes (the view owns this copy)
 * @param qos             delivery QoS 0..2
 * @param retained        whether the broker delivered it as a retained message
 * @param responseTopic   MQTT 5 Response Topic property (3.3.2.3.5), nullable
 * @param correlationData MQTT 5 Correlation Data property (3.3.2.3.6), nullable
 */
public record MqttMessageView(String topic, byte[] payload, int qos, boolean retained,
                              String responseTopic, byte[] correlationData) {

    /** The payload decoded as UTF-8. */
    public String payloadUtf8() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
