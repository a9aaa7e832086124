package io.edgepush.agent.config;

/**
 * A {@code host:port} listen or connect address, as written in the config
 * ({@code "0.0.0.0:7000"}, {@code "127.0.0.1:9100"}, {@code "[::1]:7000"}).
 *
 * @param host host name or IP literal (IPv6 without brackets), never empty
 * @param port TCP port, 0..65535 (0 = pick a free port, useful in tests)
 */
public record HostPort(String host, int port) {

    /**
     * Parses {@code host:port}; IPv6 literals are written in brackets.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected host:port, got an empty string");
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ipv6]:port, got \"" + text + "\"");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port, got \"" + text + "\"");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad host in \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port \"" + portText + "\" in \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535 in \"" + text + "\"");
        }
        return new HostPort(host, port);
    }

    /** {@code host:port}, brackets around IPv6 literals. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
