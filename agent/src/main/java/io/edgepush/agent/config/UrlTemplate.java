package io.edgepush.agent.config;

import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RTMP URL templates and URL checks (DESIGN.md section 5). Variables: {@code {camera_id}},
 * {@code {stream_id}}, {@code {stream_name}}, {@code {device_id}}; values are inserted as-is.
 */
final class UrlTemplate {
    /** The allowed variable names, without braces. */
    public static final Set<String> VARIABLES = Set.of("camera_id", "stream_id", "stream_name", "device_id");
    /** Allowed variables as shown in error messages. */
    public static final String ALLOWED = "{camera_id}, {stream_id}, {stream_name}, {device_id}";

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]*)}");

    private UrlTemplate() {
    }

    /**
     * Expands a template for one stream, e.g. {@code rtmp://h/live/{device_id}_{stream_name}} ->
     * {@code rtmp://h/live/CAM1_main}.
     *
     * @throws IllegalArgumentException on an unknown variable (the loader rejects those earlier)
     */
    public static String expand(String template, CameraConfig camera, StreamConfig stream) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "camera_id" -> Integer.toString(camera.cameraId());
                case "stream_id" -> Integer.toString(stream.streamId());
                case "stream_name" -> stream.streamName();
                case "device_id" -> camera.deviceId();
                default -> throw new IllegalArgumentException(
                        "unknown variable {" + m.group(1) + "} (allowed: " + ALLOWED + ")");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Problems with a template, as messages (empty when it is fine): unknown variables, braces, scheme. */
    public static List<String> problems(String template) {
        List<String> problems = new ArrayList<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                problems.add("unknown variable {" + m.group(1) + "} (allowed: " + ALLOWED + ")");
            }
        }
        String stripped = VARIABLE.matcher(template).replaceAll("x");
        if (stripped.indexOf('{') >= 0 || stripped.indexOf('}') >= 0) {
            problems.add("unbalanced '{' or '}' in \"" + template + "\"");
        }
        String urlProblem = urlProblem(stripped, template);
        if (urlProblem != null) {
            problems.add(urlProblem);
        }
        return problems;
    }

    /**
     * Checks an RTMP URL: scheme rtmp or rtmps and a non-empty host.
     *
     * @return null when fine, else the problem
     */
    public static String urlProblem(String url) {
        return urlProblem(url, url);
    }

    private static String urlProblem(String url, String shown) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            return "expected an rtmp:// or rtmps:// URL, got \"" + shown + "\"";
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            return "scheme \"" + url.substring(0, sep) + "\" not allowed (allowed: rtmp, rtmps) in \"" + shown + "\"";
        }
        String rest = url.substring(sep + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (authority.isEmpty() || authority.startsWith(":")) {
            return "missing host in \"" + shown + "\"";
        }
        return null;
    }
}
