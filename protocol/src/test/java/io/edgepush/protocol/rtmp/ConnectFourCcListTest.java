package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Received;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connect command object with Enhanced RTMP's "fourCcList" (veovera enhanced-rtmp v1): an AMF0 strict array
 * (AMF0 spec 2.12: 0x0A, U32 count, values) of strings, sent only when the options ask for it.
 */
class ConnectFourCcListTest extends PublisherTestSupport {

    private static String amf0String(String s) {
        return String.format("02 %04x %s", s.length(), ByteBufUtil.hexDump(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String key(String s) {
        return String.format("%04x %s", s.length(), ByteBufUtil.hexDump(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private Received connect(RtmpPublisherOptions options, ScriptedRtmpServer server) throws Exception {
        RtmpPublisher publisher = RtmpPublisher.publish(server.url(KEY), options).get(10, TimeUnit.SECONDS);
        cleanup.add(publisher);
        return server.await(m -> "connect".equals(m.name()), "connect");
    }

    @Test
    void connectCarriesFourCcListAsAStrictArrayOfStrings() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        Received connect = connect(RtmpPublisherOptions.defaults().withFourCcList(List.of("hvc1")), server);
        String tcUrl = "rtmp://127.0.0.1:" + server.port() + "/live";
        String expected = amf0String("connect")
                + " 00 3ff0000000000000"                                  // transaction id 1.0
                + " 03"                                                   // command object
                + " " + key("app") + " " + amf0String("live")
                + " " + key("type") + " " + amf0String("nonprivate")
                + " " + key("flashVer") + " " + amf0String("FMLE/3.0 (compatible; edgepush)")
                + " " + key("tcUrl") + " " + amf0String(tcUrl)
                + " 000a 666f757243634c697374"                            // key "fourCcList"
                + " 0a 00000001 02 0004 68766331"                         // ["hvc1"]
                + " 0000 09";                                              // object end
        assertEquals(HexBytes.hex(expected), ByteBufUtil.hexDump(connect.payload()));
    }

    @Test
    void withoutEnhancedCodecsTheConnectObjectHasNoFourCcList() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        Map<?, ?> object = (Map<?, ?>) connect(RtmpPublisherOptions.defaults(), server).command().commandObject();
        assertFalse(object.containsKey("fourCcList"));
        assertEquals(List.of("app", "type", "flashVer", "tcUrl"), List.copyOf(object.keySet()));
    }

    @Test
    void aFourCcMustHaveFourCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtmpPublisherOptions.defaults().withFourCcList(List.of("hvc")));
        assertEquals("a FourCC has 4 characters, got \"hvc\"", e.getMessage());
    }
}
