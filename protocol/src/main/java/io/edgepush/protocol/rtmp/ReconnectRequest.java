package io.edgepush.protocol.rtmp;

/**
 * A server's request to reconnect (Enhanced RTMP v2, "Reconnect Request": onStatus with code
 * {@code NetConnection.Connect.ReconnectRequest}, level "status"), e.g. before the ingest node is drained. The
 * current connection keeps working; the client should open a new publish (to {@code tcUrl} when given, else the
 * same URL) and then unpublish this one.
 *
 * @param tcUrl       the info object's "tcUrl": where to reconnect (rtmp[s]://host[:port]/app[/instance]), or null
 *                    for the current server
 * @param description the info object's "description", or null
 */
public record ReconnectRequest(String tcUrl, String description) {

    /**
     * The URL to publish {@code current}'s stream to: {@code tcUrl} joined with the current stream name, or
     * {@code current} when no tcUrl was given.
     *
     * @throws IllegalArgumentException when tcUrl is not a valid rtmp:// or rtmps:// application URL
     */
    public RtmpUrl target(RtmpUrl current) {
        if (tcUrl == null || tcUrl.isBlank()) {
            return current;
        }
        String base = tcUrl.endsWith("/") ? tcUrl.substring(0, tcUrl.length() - 1) : tcUrl;
        return RtmpUrl.parse(base + "/" + current.streamName());
    }
}
