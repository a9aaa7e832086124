package io.edgepush.agent.mqtt;

import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Builds the Paho connection options for {@link MqttLink} (package-private). */
final class MqttOptions {
    /**
     * The Maximum Packet Size of our CONNECT (MQTT 5.0 3.1.2.11.4), bytes: the broker must not send us a larger
     * packet (it drops it), so no single message from the network can take more than the dispatch backlog's budget.
     */
    static final long MAX_INCOMING_PACKET_BYTES = DispatchQueue.MAX_QUEUED_BYTES;

    private MqttOptions() {
    }

    /**
     * Clean Start 0 + Session Expiry Interval, no automatic reconnect (MqttLink retries itself, so every failed
     * attempt is logged with its cause and backed off), credentials, Last Will retained {@code {"state":"offline"}}
     * on {@code presenceTopic} with the Will Delay Interval {@code will_delay_sec} (MQTT 5.0 3.1.3.2.2: the broker
     * sends the will at the earlier of that delay and the session's end, and not at all when the same client id
     * connects again before), TLS files, and a Maximum Packet Size of
     * {@link #MAX_INCOMING_PACKET_BYTES}.
     *
     * @throws IllegalArgumentException when a TLS file cannot be read or parsed (names the file)
     */
    static MqttConnectionOptions build(MqttConfig config, String presenceTopic, long sessionExpirySec) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(sessionExpirySec);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaximumPacketSize(MAX_INCOMING_PACKET_BYTES);
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage("{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8));
        will.setQos(1);
        will.setRetained(true);
        o.setWill(presenceTopic, will);
        MqttProperties willProperties = new MqttProperties();
        willProperties.setWillDelayInterval((long) config.willDelaySec());
        o.setWillMessageProperties(willProperties);
        TlsConfig tls = config.tls();
        if (tls != null && (tls.caFile() != null || tls.certFile() != null)) {
            o.setSocketFactory(MqttTls.sslContext(tls).getSocketFactory());
        }
        return o;
    }
}
