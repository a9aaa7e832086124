package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: what the cloud may put in a {@code stream/response} payload. Unusable publish URLs fail the
 * request with ENDPOINT_INVALID, wrong types with BAD_RESPONSE, payloads without a request id are unreadable; no
 * failure message (what the exchange logs) holds the stream key or more than a few hundred characters.
 */
class EndpointResponseParserTest {
    private static final String ID = "stream_0000abcd";

    @Test
    void aUsableEndpointIsAccepted() throws Exception {
        EndpointResponseParser.Answer a = parse(success("rtmps://live.example.com:443/live/", "key_123")
                .replace("}", ",\"expires_at\":1691238167,\"max_bitrate\":4000000,\"recommended_fps\":30,"
                        + "\"server_name\":\"A\",\"token\":\"tok\",\"unknown\":[1]}"));
        assertNull(a.failure());
        assertEquals(ID, a.requestId());
        assertEquals("rtmps://live.example.com:443/live/key_123", a.endpoint().publishUrl());
        assertEquals(1691238167, a.endpoint().expiresAt());
        assertEquals(30, a.endpoint().recommendedFps());
    }

    @Test
    void aSchemeOtherThanRtmpOrRtmpsOrAMissingHostIsEndpointInvalid() throws Exception {
        for (String url : new String[]{"file:///etc/passwd", "javascript:alert(1)//", "http://h/live/",
                "rtmp:///live/", "rtmp://", "live/", "rtmp://h:0/live/"}) {
            EndpointException e = failure(success(url, "secret_stream_key"));
            assertEquals("ENDPOINT_INVALID", e.errorCode(), url);
            assertFalse(e.getMessage().contains("secret_stream_key"), e.getMessage());
        }
    }

    @Test
    void aOneMegabyteStreamKeyOrUrlIsEndpointInvalidAndNotRepeated() throws Exception {
        String huge = "k".repeat(1 << 20);
        for (String payload : new String[]{success("rtmp://h/live/", huge), success("rtmp://h/" + huge + "/", "key")}) {
            EndpointException e = failure(payload);
            assertEquals("ENDPOINT_INVALID", e.errorCode());
            assertTrue(e.getMessage().length() < 300, e.getMessage().length() + " chars");
            assertTrue(e.getMessage().contains("over " + EndpointResponseParser.MAX_PUBLISH_URL_CHARS), e.getMessage());
        }
        int keyAtCap = EndpointResponseParser.MAX_PUBLISH_URL_CHARS - "rtmp://h/live/".length();
        assertNull(parse(success("rtmp://h/live/", "k".repeat(keyAtCap))).failure(), "exactly at the cap");
        assertNotNull(parse(success("rtmp://h/live/", "k".repeat(keyAtCap + 1))).failure(), "one over");
    }

    @Test
    void controlCharactersOrABlankKeyAreEndpointInvalid() throws Exception {
        assertEquals("ENDPOINT_INVALID", failure(success("rtmp://h/live/", "key\\r\\nforged log line")).errorCode());
        assertEquals("ENDPOINT_INVALID", failure(success("rtmp://h/live/", " ")).errorCode());
    }

    @Test
    void wrongTypesAreBadResponse() throws Exception {
        String[] payloads = {
            "{\"request_id\":\"" + ID + "\"}",
            "{\"request_id\":\"" + ID + "\",\"success\":\"true\"}",
            "{\"request_id\":\"" + ID + "\",\"success\":true,\"rtmp_url\":1,\"stream_key\":\"k\"}",
            success("rtmp://h/live/", "key").replace("}", ",\"expires_at\":\"soon\"}"),
            success("rtmp://h/live/", "key").replace("}", ",\"expires_at\":-1}"),
            success("rtmp://h/live/", "key").replace("}", ",\"expires_at\":253402300800}"),
            success("rtmp://h/live/", "key").replace("}", ",\"max_bitrate\":1e400}"),
            success("rtmp://h/live/", "key").replace("}", ",\"recommended_fps\":99999999999999999999999}"),
            success("rtmp://h/live/", "key").replace("}", ",\"server_name\":{}}"),
            "{\"request_id\":\"" + ID + "\",\"success\":false,\"error_code\":\"" + "E".repeat(65) + "\"}",
        };
        for (String p : payloads) {
            assertEquals("BAD_RESPONSE", failure(p).errorCode(), p);
        }
    }

    @Test
    void aRefusalKeepsTheCloudsCodeAndCutsALongMessage() throws Exception {
        EndpointException e = failure("{\"request_id\":\"" + ID + "\",\"success\":false,\"error_code\":\"UNAUTHORIZED\","
                + "\"error_message\":\"" + "m".repeat(100_000) + "\"}");
        assertEquals("UNAUTHORIZED", e.errorCode());
        assertTrue(e.getMessage().length() < 300, e.getMessage().length() + " chars");
    }

    @Test
    void payloadsWithoutARequestIdOfOursAreUnreadable() {
        String[] payloads = {"", "garbage", "{\"success\": true, \"request_id\": ", "[]", "null", "42", "\"s\"",
            "{\"success\":true}", "{\"request_id\":7}", "{\"request_id\":\"" + "r".repeat(65) + "\"}",
            "[".repeat(5000) + "]".repeat(5000)};
        for (String p : payloads) {
            assertThrows(EndpointResponseParser.Unreadable.class, () -> parse(p), p.length() > 40 ? p.substring(0, 40) : p);
        }
        byte[] huge = new byte[EndpointResponseParser.MAX_PAYLOAD_BYTES + 1];
        assertThrows(EndpointResponseParser.Unreadable.class, () -> EndpointResponseParser.parse(huge));
        assertThrows(EndpointResponseParser.Unreadable.class, () -> EndpointResponseParser.parse(
                new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}));
    }

    static String success(String url, String key) {
        return "{\"success\":true,\"request_id\":\"" + ID + "\",\"rtmp_url\":\"" + url + "\",\"stream_key\":\"" + key
                + "\"}";
    }

    private static EndpointResponseParser.Answer parse(String payload) throws EndpointResponseParser.Unreadable {
        return EndpointResponseParser.parse(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static EndpointException failure(String payload) throws EndpointResponseParser.Unreadable {
        EndpointResponseParser.Answer a = parse(payload);
        assertNull(a.endpoint(), payload.length() > 200 ? payload.substring(0, 200) : payload);
        assertEquals(ID, a.requestId());
        return a.failure();
    }
}
