package io.edgepush.simulator.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.simulator.mqtt.TestMqttClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void forwardsMqtt5ResponseTopicAndCorrelationDataToSubscriber() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", freePort());
             TestMqttClient sub = new TestMqttClient(broker.url(), "sub");
             TestMqttClient pub = new TestMqttClient(broker.url(), "pub")) {
            sub.subscribe("devices/+/stream/request");
            byte[] correlation = {'r', 'e', 'q', '-', '1', 0, (byte) 0xff};
            pub.publish("devices/CAM_1/stream/request", "{\"a\":1}", "devices/CAM_1/stream/response", correlation);

            TestMqttClient.Received r = sub.next(Duration.ofSeconds(10));
            assertNotNull(r, "subscriber got no message within 10 s");
            assertEquals("devices/CAM_1/stream/request", r.topic());
            assertEquals("{\"a\":1}", r.payload());
            assertEquals("devices/CAM_1/stream/response", r.message().getProperties().getResponseTopic());
            assertArrayEquals(correlation, r.message().getProperties().getCorrelationData());
        }
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> EmbeddedBroker.start("127.0.0.1", taken.getLocalPort()).close());
            assertEquals(true, e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
    }

    @Test
    void rejectsBadPort() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedBroker.start("127.0.0.1", 0));
    }

    @Test
    void configBindsOnlyTheGivenAddress() {
        String xml = EmbeddedBroker.configXml("127.0.0.1", 18830);
        assertEquals(true, xml.contains("<bind-address>127.0.0.1</bind-address>"));
        assertEquals(true, xml.contains("<port>18830</port>"));
        assertEquals(true, new String(xml.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .contains("<mode>in-memory</mode>"));
    }
}
