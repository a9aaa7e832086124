package io.edgepush.protocol.rtmp;

/**
 * The one place that masks stream keys and tokens. DESIGN.md section 3: they are never published or logged in
 * full, only their first 4 characters are shown ({@code "your_***"}). Logs, status events, the {@code /status}
 * page and failure reports all mask through here.
 */
public final class Secrets {
    private static final int SHOWN = 4;
    private static final String HIDDEN = "***";

    private Secrets() {
    }

    /**
     * A secret (stream key, token) masked to its first 4 characters + {@code "***"}.
     *
     * <p>{@code "your_stream_key"} -> {@code "your***"}, {@code "abcde"} -> {@code "abcd***"}. A secret of 4
     * characters or fewer is hidden entirely, so it is never shown in full: {@code "abcd"} -> {@code "***"},
     * {@code ""} -> {@code "***"}. {@code null} -> {@code null} (an absent key stays absent, for example JSON null
     * in a status event; a log line prints it as "null").
     */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        return secret.length() <= SHOWN ? HIDDEN : secret.substring(0, SHOWN) + HIDDEN;
    }

    /**
     * A publish URL with its stream key masked, safe to log or publish.
     *
     * <p>A URL that {@link RtmpUrl#parse parses} is written as {@link RtmpUrl#masked()}: tcUrl + "/" + the masked
     * stream name. The stream name includes the query string, so a token there is hidden too:
     * {@code "rtmp://h:1936/live/secretkey42"} -> {@code "rtmp://h:1936/live/secr***"},
     * {@code "rtmps://h/app/inst/shortkey?token=x"} -> {@code "rtmps://h/app/inst/shor***"}.
     *
     * <p>A string that does not parse keeps everything up to its last {@code '/'} and masks the rest with
     * {@link #mask}. That last {@code '/'} is looked for before the first {@code '?'} and before any trailing
     * slashes, so neither a query string nor a trailing slash shows the key:
     * {@code "http://h/live/secretkey42"} -> {@code "http://h/live/secr***"},
     * {@code "rtmp://h/live/secretkey42/"} -> {@code "rtmp://h/live/secr***"},
     * {@code "rtmp://h:0/live/key?t=a/b"} -> {@code "rtmp://h:0/live/key?***"},
     * {@code "secretkey42"} (no {@code '/'}) -> {@code "secr***"}, {@code ""} -> {@code "***"}. If the kept part
     * has user info (an {@code '@'}, which may follow a password), the whole string is masked:
     * {@code "rtmp://user:pw@h/live/key"} -> {@code "rtmp***"}.
     *
     * <p>{@code null} -> {@code null}.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            return RtmpUrl.parse(url).masked();
        } catch (IllegalArgumentException e) {
            int query = url.indexOf('?');
            int end = query < 0 ? url.length() : query;
            while (end > 0 && url.charAt(end - 1) == '/') {
                end--;
            }
            int slash = url.lastIndexOf('/', end - 1);
            String kept = url.substring(0, slash + 1);
            return kept.contains("@") ? mask(url) : kept + mask(url.substring(slash + 1));
        }
    }

    /**
     * {@code text} with every occurrence of {@code secret} replaced by {@link #mask mask(secret)}, for free text
     * that may echo a key or token (server status descriptions, error messages, URLs).
     *
     * <p>{@code maskIn("publish rtmp://h/live/secret_key refused", "secret_key")} ->
     * {@code "publish rtmp://h/live/secr*** refused"}. A secret of 4 characters or fewer becomes {@code "***"}
     * wherever it occurs, also inside other words: {@code maskIn("no key, monkey", "key")} ->
     * {@code "no ***, mon***"}. The text is returned unchanged when it is {@code null} or when {@code secret} is
     * {@code null} or empty.
     */
    public static String maskIn(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, mask(secret));
    }
}
