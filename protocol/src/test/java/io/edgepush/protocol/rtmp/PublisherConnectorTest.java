package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** TCP connect failures map to the contract's error codes (DESIGN.md 3, connection_error.error_code). */
class PublisherConnectorTest {
    private final RtmpUrl url = RtmpUrl.parse("rtmp://cam.example.net:1936/live/secretkey");
    private final RtmpPublisherOptions options = RtmpPublisherOptions.defaults().withConnectTimeoutMs(1234);

    @Test
    void connectTimeoutIsRtmpConnectTimeout() {
        RtmpException e = PublisherConnector.mapConnectFailure(url, options, new ConnectTimeoutException("timed out"));
        assertEquals(RtmpErrorCode.RTMP_CONNECT_TIMEOUT, e.code());
        assertTrue(e.getMessage().contains("cam.example.net:1936 timed out after 1234 ms"), e.getMessage());
    }

    @Test
    void refusedUnresolvableAndUnreachableAreRtmpConnectRefused() {
        assertEquals(RtmpErrorCode.RTMP_CONNECT_REFUSED,
                PublisherConnector.mapConnectFailure(url, options, new ConnectException("refused")).code());
        RtmpException dns = PublisherConnector.mapConnectFailure(url, options, new UnknownHostException("x"));
        assertEquals(RtmpErrorCode.RTMP_CONNECT_REFUSED, dns.code());
        assertTrue(dns.getMessage().contains("cannot resolve host cam.example.net"), dns.getMessage());
        assertEquals(RtmpErrorCode.RTMP_CONNECT_REFUSED,
                PublisherConnector.mapConnectFailure(url, options, new NoRouteToHostException("no route")).code());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> RtmpPublisherOptions.defaults().withConnectTimeoutMs(0));
        assertThrows(IllegalArgumentException.class,
                () -> RtmpPublisherOptions.defaults().withFlashVer(" "));
        assertThrows(IllegalArgumentException.class,
                () -> RtmpPublisherOptions.defaults().withWriteTimeoutMs(-1));
        assertThrows(IllegalArgumentException.class,
                () -> RtmpPublisherOptions.defaults().withWriteBufferHighWaterMarkBytes(1));
    }
}
