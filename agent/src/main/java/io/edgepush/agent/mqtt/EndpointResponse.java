package io.edgepush.agent.mqtt;

import io.edgepush.protocol.rtmp.Secrets;

/**
 * A successful {@code devices/{device_id}/stream/response} (DESIGN.md section 3). Absent optional numbers
 * are 0, absent optional strings null. {@link #toString()} masks the stream key and token.
 *
 * @param requestId        echoed request_id
 * @param rtmpUrl          e.g. {@code rtmp://live.example.com/live/}
 * @param streamKey        secret; never log in full
 * @param serverName       nullable
 * @param serverRegion     nullable
 * @param maxBitrateBps    {@code max_bitrate}, bits per second
 * @param recommendedFps   {@code recommended_fps}
 * @param supportsAdaptive {@code supports_adaptive}
 * @param expiresAt        Unix seconds after which the endpoint is invalid; 0 = no expiry given
 * @param token            secret, nullable
 */
record EndpointResponse(String requestId, String rtmpUrl, String streamKey, String serverName,
                               String serverRegion, long maxBitrateBps, int recommendedFps, boolean supportsAdaptive,
                               long expiresAt, String token) {

    /** {@code rtmp_url} joined with {@code stream_key} with exactly one {@code /} between them. */
    public String publishUrl() {
        String base = rtmpUrl;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String key = streamKey;
        while (key.startsWith("/")) {
            key = key.substring(1);
        }
        return base + "/" + key;
    }

    @Override
    public String toString() {
        return "EndpointResponse[requestId=" + requestId + ", rtmpUrl=" + rtmpUrl + ", streamKey="
                + Secrets.mask(streamKey) + ", serverName=" + serverName + ", serverRegion=" + serverRegion
                + ", maxBitrateBps=" + maxBitrateBps + ", recommendedFps=" + recommendedFps + ", supportsAdaptive="
                + supportsAdaptive + ", expiresAt=" + expiresAt + ", token=" + Secrets.mask(token) + "]";
    }
}
