package io.edgepush.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamServiceCommandTest {

    @Test
    void repeatedRtmpUrlKeepsOrderAndLifetimeDefaultsToAnHour() {
        StreamServiceCommand c = new StreamServiceCommand();
        new CommandLine(c).parseArgs("--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "rtmp://a:1935/live/",
                "--rtmp-url", "rtmps://b:443/live/");
        assertEquals(List.of("rtmp://a:1935/live/", "rtmps://b:443/live/"), c.rtmpUrls);
        assertEquals(3600, c.lifetimeSec);
    }

    @Test
    void lifetimeIsParsed() {
        StreamServiceCommand c = new StreamServiceCommand();
        new CommandLine(c).parseArgs("--broker", "tcp://127.0.0.1:1883", "--rtmp-url", "rtmp://a/live/",
                "--lifetime-sec", "10");
        assertEquals(List.of("rtmp://a/live/"), c.rtmpUrls);
        assertEquals(10, c.lifetimeSec);
    }
}
