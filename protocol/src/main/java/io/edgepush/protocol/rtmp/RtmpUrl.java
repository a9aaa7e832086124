package io.edgepush.protocol.rtmp;

import java.util.Locale;

/**
 * A parsed publish URL {@code rtmp[s]://host[:port]/app[/instance]/streamName[?query]}.
 *
 * <p>The app is everything between the host and the last {@code /} before the query string (so
 * {@code live/inst} is an app with an instance); the stream name is the last path segment plus the query
 * string, which many services use for tokens. Default ports: 1935 for rtmp, 443 for rtmps.
 * {@link #toString()} is {@link #masked()} so the stream key never reaches a log by accident.
 *
 * @param tls        true for rtmps:// (RTMP over TLS)
 * @param host       host name or IP literal (IPv6 without brackets)
 * @param port       TCP port
 * @param app        application name sent in connect, e.g. "live" or "app/inst"
 * @param streamName stream name (the stream key) incl. any query string, sent in releaseStream/FCPublish/publish
 * @param tcUrl      the tcUrl sent in connect: scheme://authority/app
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String streamName, String tcUrl) {

    /** Default TCP port of rtmp://. */
    public static final int DEFAULT_PORT = 1935;
    /** Default TCP port of rtmps://. */
    public static final int DEFAULT_TLS_PORT = 443;

    /**
     * Parses a publish URL.
     *
     * @throws IllegalArgumentException naming what is wrong (scheme, host, port, app or stream key); the message
     *                                  never contains the stream key
     */
    public static RtmpUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("RTMP URL is empty; expected rtmp://host[:port]/app/streamKey");
        }
        String text = url.trim();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("RTMP URL has no scheme; expected rtmp://host[:port]/app/streamKey");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("rtmp")) {
            tls = false;
        } else if (scheme.equals("rtmps")) {
            tls = true;
        } else {
            throw new IllegalArgumentException("unsupported scheme '" + scheme
                    + "' in RTMP URL; expected rtmp:// or rtmps://");
        }
        String rest = text.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String[] hostPort = parseAuthority(authority, tls);
        String host = hostPort[0];
        int port = Integer.parseInt(hostPort[1]);

        int queryStart = path.indexOf('?');
        String pathOnly = queryStart < 0 ? path : path.substring(0, queryStart);
        String query = queryStart < 0 ? "" : path.substring(queryStart);
        int lastSlash = pathOnly.lastIndexOf('/');
        if (lastSlash <= 0) {
            String what = pathOnly.isEmpty() ? "app and stream key" : "stream key";
            throw new IllegalArgumentException("RTMP URL for host " + host + " is missing the " + what
                    + "; expected " + scheme + "://host[:port]/app/streamKey");
        }
        String app = pathOnly.substring(0, lastSlash);
        String key = pathOnly.substring(lastSlash + 1);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL " + scheme + "://" + authority + "/" + app
                    + "/ is missing the stream key; expected " + scheme + "://host[:port]/app/streamKey");
        }
        if (app.startsWith("/") || app.endsWith("/") || app.contains("//")) {
            throw new IllegalArgumentException("RTMP URL has an empty path segment in app '" + app + "'");
        }
        String tcUrl = scheme + "://" + authority + "/" + app;
        return new RtmpUrl(tls, host, port, app, key + query, tcUrl);
    }

    private static String[] parseAuthority(String authority, boolean tls) {
        if (authority.contains("@")) {
            throw new IllegalArgumentException("RTMP URL must not contain user info before the host");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("RTMP URL has an unterminated IPv6 literal: " + authority);
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("RTMP URL has garbage after the IPv6 literal: " + authority);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL has no host; expected rtmp://host[:port]/app/streamKey");
        }
        int port = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("RTMP URL port '" + portText + "' is not a number in 1..65535");
            }
        }
        return new String[] {host, Integer.toString(port)};
    }

    /**
     * The URL with the stream name (key and query string) masked by {@link Secrets#mask}: its first 4 characters
     * + "***" (safe to log).
     */
    public String masked() {
        return tcUrl + "/" + Secrets.mask(streamName);
    }

    /** Same as {@link #masked()}: never prints the full stream key. */
    @Override
    public String toString() {
        return masked();
    }
}
