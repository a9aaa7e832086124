package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.rtmp.RtmpUrl;

/**
 * Fuzz target for {@link EndpointResponseParser} as fed by {@code devices/{device_id}/stream/response} payloads
 * (the whole input is the payload). Invariants per input: only {@link EndpointResponseParser.Unreadable} escapes,
 * with a short message; an answer has a request id of at most {@link EndpointResponseParser#MAX_REQUEST_ID_CHARS}
 * characters and exactly one of endpoint and failure; an endpoint's publish URL parses as rtmp/rtmps with a host,
 * is at most {@link EndpointResponseParser#MAX_PUBLISH_URL_CHARS} characters plus the joining '/', has no control
 * characters, its numbers are non-negative and
 * {@code expires_at} is at most {@link EndpointResponseParser#MAX_EXPIRES_AT_SEC}; a failure has a non-blank code of at most
 * {@link EndpointResponseParser#MAX_ERROR_CODE_CHARS} characters and a short message without the stream key.
 */
class EndpointResponseFuzzTest {
    private static final int MAX_MESSAGE_CHARS = 700;

    @FuzzTest
    void parse(byte[] payload) {
        EndpointResponseParser.Answer a;
        try {
            a = EndpointResponseParser.parse(payload);
        } catch (EndpointResponseParser.Unreadable e) {
            assertTrue(e.getMessage().length() <= MAX_MESSAGE_CHARS, e.getMessage().length() + " chars");
            return;
        }
        assertNotNull(a.requestId());
        assertTrue(a.requestId().length() <= EndpointResponseParser.MAX_REQUEST_ID_CHARS);
        assertTrue(a.endpoint() == null ^ a.failure() == null, "exactly one of endpoint and failure: " + a);
        if (a.failure() != null) {
            String code = a.failure().errorCode();
            assertFalse(code.isBlank());
            assertTrue(code.length() <= EndpointResponseParser.MAX_ERROR_CODE_CHARS, code);
            assertTrue(a.failure().getMessage().length() <= MAX_MESSAGE_CHARS,
                    a.failure().getMessage().length() + " chars");
            return;
        }
        EndpointResponse r = a.endpoint();
        assertEquals(a.requestId(), r.requestId());
        String url = r.publishUrl();
        assertTrue(url.length() <= EndpointResponseParser.MAX_PUBLISH_URL_CHARS + 1, url.length() + " chars");
        assertTrue(url.chars().noneMatch(c -> c < 0x20 || c == 0x7f), "control characters");
        RtmpUrl parsed = RtmpUrl.parse(url);
        assertFalse(parsed.host().isEmpty());
        assertTrue(r.maxBitrateBps() >= 0 && r.recommendedFps() >= 0 && r.expiresAt() >= 0, r.toString());
        assertTrue(r.expiresAt() <= EndpointResponseParser.MAX_EXPIRES_AT_SEC, r.toString());
    }
}
