package io.edgepush.simulator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's cloud-side view: subscribes {@code devices/+/stream/status} and {@code gateways/+/status}, keeps the latest {@link StreamStatus}
 * per device and publishes stream commands ({@code devices/{id}/stream/command}, DESIGN.md section 3). The Paho
 * callback only parses and stores; it never blocks.
 */
final class StatusBoard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final ConcurrentMap<String, StreamStatus> streams = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> gateways = new ConcurrentHashMap<>();

    StatusBoard(String brokerUrl) throws MqttException {
        client = new MqttClient(brokerUrl, "edgepush-demo-console", new MemoryPersistence());
        client.setCallback(new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        client.connect(o);
        client.subscribe("devices/+/stream/status", 1);
        client.subscribe("gateways/+/status", 1);
    }

    /** True once {@code gateways/{id}/status} said {"state":"online"} (the agent is connected and subscribed). */
    boolean gatewayOnline(String gatewayId) {
        return "online".equals(gateways.get(gatewayId));
    }

    /** Publishes {"command": command, "command_id": id} to the device's command topic (QoS 1). */
    void command(String deviceId, String command, String commandId) throws MqttException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("command_id", commandId);
        try {
            MqttMessage m = new MqttMessage(JSON.writeValueAsBytes(body));
            m.setQos(1);
            client.publish("devices/" + deviceId + "/stream/command", m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode command", e);
        }
    }

    /** Latest status of a device (idle if nothing was heard yet). */
    StreamStatus status(String deviceId) {
        return streams.getOrDefault(deviceId, StreamStatus.initial(deviceId));
    }

    /** Latest statuses of the given devices, in that order. */
    List<StreamStatus> statuses(List<String> deviceIds) {
        return deviceIds.stream().map(this::status).toList();
    }

    void onStatus(String topic, byte[] payload) {
        String[] parts = topic.split("/");
        if (parts.length == 3 && parts[0].equals("gateways")) {
            try {
                JsonNode presence = JSON.readTree(payload);
                gateways.put(parts[1], presence == null ? "" : presence.path("state").asText(""));
            } catch (IOException e) {
                LOG.warn("gateway_id={} unreadable presence ({} bytes)", parts[1], payload.length);
            }
            return;
        }
        if (parts.length != 4) {
            return;
        }
        try {
            JsonNode event = JSON.readTree(payload);
            if (event != null && event.isObject()) {
                streams.compute(parts[1], (id, old) -> (old == null ? StreamStatus.initial(id) : old).apply(event));
            }
        } catch (IOException e) {
            LOG.warn("device_id={} unreadable status event ({} bytes): {}", parts[1], payload.length, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("demo console MQTT close: {}", e.toString());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onStatus(topic, message.getPayload());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("demo console lost the broker: {}", response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("demo console MQTT error: {}", exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
