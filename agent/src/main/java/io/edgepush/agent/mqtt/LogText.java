package io.edgepush.agent.mqtt;

/**
 * Text from the cloud or a broker topic made safe for a one-line log: bounded in length, no control characters
 * (a line break would forge a log line), no secret in a URL's query or user info.
 */
public final class LogText {
    /** The longest text shown in full, characters. */
    public static final int MAX_CHARS = 256;

    private LogText() {
    }

    /**
     * At most {@link #MAX_CHARS} characters of {@code s} (longer text ends in {@code "...(N chars)"}), each control
     * character replaced by {@code '?'}; {@code null} -> {@code null}.
     */
    public static String cut(String s) {
        if (s == null) {
            return null;
        }
        String shown = s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "...(" + s.length() + " chars)" : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * A server URL (an endpoint's {@code rtmp_url}, which holds no stream key) for a log: the query, which may carry
     * a token, becomes {@code "?***"}; a URL with user info ({@code '@'} before the path, perhaps after a password)
     * keeps only its scheme. {@code "rtmp://h/live?token=abc"} -> {@code "rtmp://h/live?***"},
     * {@code "rtmp://u:pw@h/live"} -> {@code "rtmp://***"}. Then {@link #cut}.
     */
    public static String serverUrl(String url) {
        if (url == null) {
            return null;
        }
        int query = url.indexOf('?');
        String shown = query < 0 ? url : url.substring(0, query) + "?***";
        int scheme = shown.indexOf("://");
        int hostStart = scheme < 0 ? 0 : scheme + 3;
        int pathStart = shown.indexOf('/', hostStart);
        String authority = shown.substring(hostStart, pathStart < 0 ? shown.length() : pathStart);
        if (authority.contains("@")) {
            shown = shown.substring(0, hostStart) + "***";
        }
        return cut(shown);
    }
}
