package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StateChangedEventTest {
    private final StatusEvents events = new StatusEvents(Clock.fixed(Instant.ofEpochSecond(1691234567), ZoneOffset.UTC));

    @Test
    void stateChangedCarriesBothStateNumbersTheNameAndTheReason() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("{\"event\":\"state_changed\",\"timestamp\":1691234567,"
                        + "\"device_id\":\"CAM1\",\"stream_name\":\"sub\",\"state\":4,\"state_name\":\"reconnecting\","
                        + "\"previous_state\":3,\"reason\":\"RTMP_CONNECTION_CLOSED\"}"),
                json.readTree(events.stateChanged("CAM1", "sub", 4, "reconnecting", 3, "RTMP_CONNECTION_CLOSED")
                        .toString()));
    }
}
