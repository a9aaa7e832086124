package io.edgepush.agent.mqtt;

/** MQTT topic filter matching with {@code +} and {@code #} wildcards (MQTT 5.0 4.7). */
final class TopicFilter {
    private TopicFilter() {
    }

    /**
     * Whether {@code topic} matches {@code filter}. Topics starting with {@code $} do not match
     * filters starting with a wildcard (MQTT 5.0 4.7.2).
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
