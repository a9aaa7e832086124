package io.edgepush.agent.mqtt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.protocol.rtmp.RtmpUrl;

/**
 * Reads one {@code devices/{device_id}/stream/response} payload (DESIGN.md section 3), which comes from the cloud and
 * is not trusted: either it cannot be matched to a request ({@link Unreadable}: not JSON, not an object, no string
 * {@code request_id}, over {@link #MAX_PAYLOAD_BYTES}), or it is an {@link Answer} for a request id holding the
 * endpoint or why there is none. A success whose publish URL could not be used is a failure with
 * {@code ENDPOINT_INVALID}: a scheme other than rtmp/rtmps ({@code file://}, {@code javascript:}, {@code http://}),
 * no host, {@code rtmp_url} + {@code stream_key} longer than {@link #MAX_PUBLISH_URL_CHARS}, or control characters.
 * A missing or mistyped field, or an {@code expires_at} after the year 9999, is {@code BAD_RESPONSE}. No message built here contains the stream key or token.
 * Stateless.
 */
final class EndpointResponseParser {
    /** Larger payloads are not parsed at all, bytes. */
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    /** Cap of {@code rtmp_url} + {@code stream_key}, characters (a real publish URL is well under 1 KiB). */
    static final int MAX_PUBLISH_URL_CHARS = 4096;
    /** Cap of the cloud's {@code error_code}, characters; a longer one becomes {@code BAD_RESPONSE}. */
    static final int MAX_ERROR_CODE_CHARS = 64;
    /** Cap of the cloud's {@code error_message} and other texts passed on, characters; longer ones are cut. */
    static final int MAX_TEXT_CHARS = LogText.MAX_CHARS;
    /** Latest accepted {@code expires_at}: 9999-12-31T23:59:59Z, Unix seconds (later ones overflow millisecond math). */
    static final long MAX_EXPIRES_AT_SEC = 253_402_300_799L;
    /** A request id we send is {@code stream_} + 8 hex digits; longer ids cannot be ours. */
    static final int MAX_REQUEST_ID_CHARS = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EndpointResponseParser() {
    }

    /** The payload cannot be matched to any request; {@link #getMessage()} says why, short, without secrets. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A response to request {@code requestId}: exactly one of {@code endpoint} and {@code failure} is non-null.
     *
     * @param failure the cloud's refusal (its error_code), {@code BAD_RESPONSE} or {@code ENDPOINT_INVALID}
     */
    record Answer(String requestId, EndpointResponse endpoint, EndpointException failure) {
    }

    /**
     * Parses a payload.
     *
     * @throws Unreadable when no request id can be read from it
     */
    static Answer parse(byte[] payload) throws Unreadable {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new Unreadable("payload of " + payload.length + " bytes is over " + MAX_PAYLOAD_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JacksonException e) { // Jackson's message quotes the payload (a key, a token, control bytes)
            throw new Unreadable("not JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw new Unreadable("unreadable: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new Unreadable("not a JSON object");
        }
        JsonNode idNode = root.get("request_id");
        if (idNode == null || !idNode.isTextual()) {
            throw new Unreadable("no string request_id");
        }
        String requestId = idNode.asText();
        if (requestId.length() > MAX_REQUEST_ID_CHARS) {
            throw new Unreadable("request_id of " + requestId.length() + " characters is not one of ours");
        }
        try {
            return new Answer(requestId, endpoint(requestId, root), null);
        } catch (EndpointException e) {
            return new Answer(requestId, null, e);
        }
    }

    private static EndpointResponse endpoint(String requestId, JsonNode root) throws EndpointException {
        JsonNode success = root.get("success");
        if (success == null || !success.isBoolean()) {
            throw bad(requestId, "lacks boolean success");
        }
        if (!success.asBoolean()) {
            String code = text(root, "error_code", "UNKNOWN_ERROR");
            if (code.length() > MAX_ERROR_CODE_CHARS || code.isBlank() || hasControl(code)) {
                throw bad(requestId, "has an error_code that is blank, over " + MAX_ERROR_CODE_CHARS
                        + " characters or has control characters");
            }
            throw new EndpointException(code, cut(text(root, "error_message", "no error_message")));
        }
        String rtmpUrl = text(root, "rtmp_url", null);
        String streamKey = text(root, "stream_key", null);
        if (rtmpUrl == null || streamKey == null) {
            throw bad(requestId, "lacks string rtmp_url or stream_key");
        }
        EndpointResponse r = new EndpointResponse(requestId, rtmpUrl, streamKey, optionalText(requestId, root,
                "server_name"), optionalText(requestId, root, "server_region"), count(requestId, root, "max_bitrate"),
                (int) Math.min(Integer.MAX_VALUE, count(requestId, root, "recommended_fps")),
                root.path("supports_adaptive").asBoolean(false), expiresAt(requestId, root),
                optionalText(requestId, root, "token"));
        checkPublishUrl(requestId, r);
        return r;
    }

    private static void checkPublishUrl(String requestId, EndpointResponse r) throws EndpointException {
        long chars = (long) r.rtmpUrl().length() + r.streamKey().length();
        if (chars > MAX_PUBLISH_URL_CHARS) {
            throw invalid(requestId, "rtmp_url + stream_key is " + chars + " characters, over "
                    + MAX_PUBLISH_URL_CHARS);
        }
        if (r.streamKey().isBlank() || hasControl(r.rtmpUrl()) || hasControl(r.streamKey())) {
            throw invalid(requestId, "blank stream_key, or control characters in rtmp_url or stream_key");
        }
        try {
            RtmpUrl.parse(r.publishUrl()); // its messages never contain the stream key
        } catch (IllegalArgumentException e) {
            throw invalid(requestId, cut(e.getMessage()));
        }
    }

    private static EndpointException bad(String requestId, String why) {
        return new EndpointException("BAD_RESPONSE", "response " + requestId + " " + why);
    }

    private static EndpointException invalid(String requestId, String why) {
        return new EndpointException("ENDPOINT_INVALID", "response " + requestId + ": unusable endpoint: " + why);
    }

    /** A non-negative integer field, 0 when absent or null. */
    private static long count(String requestId, JsonNode root, String field) throws EndpointException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad(requestId, "has a field " + field + " that is not a non-negative 64-bit integer");
        }
        return v.asLong();
    }

    private static long expiresAt(String requestId, JsonNode root) throws EndpointException {
        long sec = count(requestId, root, "expires_at");
        if (sec > MAX_EXPIRES_AT_SEC) {
            throw bad(requestId, "has an expires_at after the year 9999");
        }
        return sec;
    }

    /** A string field cut to {@link #MAX_TEXT_CHARS}, null when absent or null. */
    private static String optionalText(String requestId, JsonNode root, String field) throws EndpointException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(requestId, "has a field " + field + " that is not a string");
        }
        if (field.equals("token")) {
            return v.asText();
        }
        return cut(v.asText());
    }

    private static String text(JsonNode root, String field, String def) {
        JsonNode v = root.get(field);
        return v != null && v.isTextual() ? v.asText() : def;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** {@link LogText#cut}. */
    static String cut(String s) {
        return LogText.cut(s);
    }
}
