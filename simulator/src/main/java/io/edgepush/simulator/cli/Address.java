package io.edgepush.simulator.cli;

/**
 * A TCP address given on the command line: {@code HOST:PORT} or {@code tcp://HOST:PORT}.
 *
 * @param host host name or IPv4 literal, never empty
 * @param port 1..65535
 */
record Address(String host, int port) {

    /**
     * Parses {@code HOST:PORT}.
     *
     * @param option the option name for the message, e.g. "--listen"
     * @throws IllegalArgumentException "--listen: expected HOST:PORT (e.g. 127.0.0.1:1883), got 'x'"
     */
    public static Address parse(String text, String option) {
        String example = option + ": expected HOST:PORT (e.g. 127.0.0.1:1883), got '" + text + "'";
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':') != colon) {
            throw new IllegalArgumentException(example);
        }
        String host = text.substring(0, colon);
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
            throw new IllegalArgumentException(example);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(example);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + ": port must be 1..65535, got " + port);
        }
        return new Address(host, port);
    }

    /**
     * Parses {@code tcp://HOST:PORT}.
     *
     * @throws IllegalArgumentException "--connect: expected tcp://HOST:PORT (e.g. tcp://127.0.0.1:7000), got 'x'"
     */
    public static Address parseTcpUrl(String text, String option) {
        if (text == null || !text.startsWith("tcp://")) {
            throw new IllegalArgumentException(
                    option + ": expected tcp://HOST:PORT (e.g. tcp://127.0.0.1:7000), got '" + text + "'");
        }
        return parse(text.substring("tcp://".length()), option);
    }

    /** "tcp://host:port". */
    public String tcpUrl() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
