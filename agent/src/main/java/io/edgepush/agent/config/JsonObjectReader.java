package io.edgepush.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Typed access to one JSON object of the config with path-naming errors; remembers the keys read
 * so the rest can be reported as unknown. Package-private helper of {@link ConfigLoader}.
 */
final class JsonObjectReader {
    private final ObjectNode node;
    private final String path;
    private final Set<String> seen = new HashSet<>();

    JsonObjectReader(JsonNode node, String path) throws ConfigException {
        if (!(node instanceof ObjectNode object)) {
            throw new ConfigException(path, "expected object, got " + describe(node));
        }
        this.node = object;
        this.path = path;
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path + "." + key;
    }

    /** The value, or null when absent (a JSON null is returned as NullNode). */
    private JsonNode get(String key) {
        seen.add(key);
        return node.get(key);
    }

    String requiredString(String key) throws ConfigException {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            throw new ConfigException(child(key), "required string is missing");
        }
        return nonEmptyString(v, key);
    }

    /** Absent -> def; JSON null -> null. */
    String optString(String key, String def) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        return v.isNull() ? null : nonEmptyString(v, key);
    }

    private String nonEmptyString(JsonNode v, String key) throws ConfigException {
        if (!v.isTextual()) {
            throw new ConfigException(child(key), "expected string, got " + describe(v));
        }
        if (v.asText().isEmpty()) {
            throw new ConfigException(child(key), "expected a non-empty string");
        }
        return v.asText();
    }

    /**
     * Absent -> def. The range is the schema's ({@link ConfigSchema} checks it first); here only a value the schema
     * lets through as an integer but Java cannot take as an int (1.0, 1e2, beyond 32 bits) is refused.
     */
    int optInt(String key, int def) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ConfigException(child(key), "expected integer, got " + describe(v));
        }
        return v.asInt();
    }

    /** As {@link #optInt(String, int)} for a key the schema requires. */
    int requiredInt(String key) throws ConfigException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            get(key);
            throw new ConfigException(child(key), "required integer is missing");
        }
        return optInt(key, 0);
    }

    boolean optBoolean(String key, boolean def) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(child(key), "expected boolean, got " + describe(v));
        }
        return v.asBoolean();
    }

    /** Whether {@code key} holds a JSON object (without marking it read). */
    boolean isObject(String key) {
        return node.get(key) instanceof ObjectNode;
    }

    /** True when {@code key} is present and not JSON null (and marks it as read). */
    boolean has(String key) {
        JsonNode v = get(key);
        return v != null && !v.isNull();
    }

    /** The nested object, or null when absent or JSON null. */
    JsonObjectReader optObject(String key) throws ConfigException {
        JsonNode v = get(key);
        return v == null || v.isNull() ? null : new JsonObjectReader(v, child(key));
    }

    /** Elements of an array (absent or null -> empty), each with its path. */
    List<Element> optArray(String key) throws ConfigException {
        JsonNode v = get(key);
        List<Element> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(child(key), "expected array, got " + describe(v));
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(new Element(v.get(i), child(key) + "[" + i + "]"));
        }
        return out;
    }

    /** The keys asked for so far, present or not (a copy). */
    Set<String> keysRead() {
        return Set.copyOf(seen);
    }

    /** Reports every key that was not read. */
    void forEachUnknown(BiConsumer<String, JsonNode> sink) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!seen.contains(key)) {
                sink.accept(child(key), node.get(key));
            }
        }
    }

    /** One array element and its path. */
    record Element(JsonNode node, String path) {
        String string() throws ConfigException {
            if (!node.isTextual()) {
                throw new ConfigException(path, "expected string, got " + describe(node));
            }
            return node.asText();
        }
    }

    /** A value's JSON type and (for scalars) its value, for messages: {@code string "ten"}, {@code number 1.5}. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            String s = v.asText();
            return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v.isNumber()) {
            return "number " + v.asText();
        }
        if (v.isBoolean()) {
            return "boolean " + v.asText();
        }
        return v.isArray() ? "array" : "object";
    }
}
