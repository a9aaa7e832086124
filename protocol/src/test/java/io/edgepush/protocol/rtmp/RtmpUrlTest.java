package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtmpUrlTest {

    @Test
    void parsesHostAppAndKeyWithDefaultPort() {
        RtmpUrl url = RtmpUrl.parse("rtmp://live.example.com/live/your_stream_key");
        assertFalse(url.tls());
        assertEquals("live.example.com", url.host());
        assertEquals(1935, url.port());
        assertEquals("live", url.app());
        assertEquals("your_stream_key", url.streamName());
        assertEquals("rtmp://live.example.com/live", url.tcUrl());
    }

    @Test
    void parsesExplicitPortAndKeepsItInTcUrl() {
        RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:19350/live/abc");
        assertEquals("127.0.0.1", url.host());
        assertEquals(19350, url.port());
        assertEquals("rtmp://127.0.0.1:19350/live", url.tcUrl());
    }

    @Test
    void rtmpsDefaultsToPort443() {
        RtmpUrl url = RtmpUrl.parse("RTMPS://a.rtmps.example.net/app/key1234");
        assertTrue(url.tls());
        assertEquals(443, url.port());
        assertEquals("rtmps://a.rtmps.example.net/app", url.tcUrl());
    }

    @Test
    void appWithInstanceTakesAllButTheLastSegment() {
        RtmpUrl url = RtmpUrl.parse("rtmp://host/app/inst/key");
        assertEquals("app/inst", url.app());
        assertEquals("key", url.streamName());
        assertEquals("rtmp://host/app/inst", url.tcUrl());
    }

    @Test
    void queryStringStaysWithTheStreamKeyEvenWithSlashes() {
        RtmpUrl url = RtmpUrl.parse("rtmp://host/live/key?token=a/b&x=1");
        assertEquals("live", url.app());
        assertEquals("key?token=a/b&x=1", url.streamName());
    }

    @Test
    void ipv6LiteralWithPort() {
        RtmpUrl url = RtmpUrl.parse("rtmp://[::1]:1936/live/k");
        assertEquals("::1", url.host());
        assertEquals(1936, url.port());
    }

    @Test
    void maskedAndToStringHideTheKey() {
        RtmpUrl url = RtmpUrl.parse("rtmp://host/live/supersecretkey");
        assertEquals("rtmp://host/live/supe***", url.masked());
        assertEquals(url.masked(), url.toString());
    }

    @Test
    void badSchemeIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtmpUrl.parse("http://host/live/key"));
        assertTrue(e.getMessage().contains("unsupported scheme 'http'"), e.getMessage());
    }

    @Test
    void missingKeyIsAClearErrorWithoutEchoingSecrets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtmpUrl.parse("rtmp://host/live/"));
        assertTrue(e.getMessage().contains("missing the stream key"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> RtmpUrl.parse("rtmp://host/live"));
        assertTrue(e2.getMessage().contains("missing the stream key"), e2.getMessage());
    }

    @Test
    void missingAppHostOrSchemeAreErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host"))
                .getMessage().contains("app and stream key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp:///live/k"))
                .getMessage().contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("host/live/k"))
                .getMessage().contains("no scheme"));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(""));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(null));
    }

    @Test
    void badPortsAreErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host:0/live/k"))
                .getMessage().contains("1..65535"));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host:99999/live/k"));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host:abc/live/k"));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host:/live/k"));
    }

    @Test
    void emptyAppSegmentIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://host//live/k"));
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse("rtmp://user@host/live/k"));
    }
}
